import Conf from 'conf';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, openSettings, storeSchema, type Settings } from './settings.js';

/** A real settings file through conf, the library electron-store is built on, with the app's schema. */
function open(dir: string) {
  const createStore = () => new Conf<Settings>({ cwd: dir, configName: 'settings', schema: storeSchema() });
  return openSettings(createStore, {
    filePath: join(dir, 'settings.json'),
    now: () => new Date('2026-12-03T10:00:00Z'),
  });
}

describe('settings on a real file', () => {
  it('starts with the defaults', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fdea-settings-'));
    const settings = open(dir);
    expect(settings.read()).toEqual(DEFAULT_SETTINGS);
    expect(settings.notice).toBeUndefined();
  });

  it('keeps progress across a restart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fdea-settings-'));
    open(dir).update({
      apiBase: 'api.cloud-elements.co.uk',
      subdomain: 'acme',
      instance: { id: '20931', name: 'Freshdesk events (acme)' },
      currentStep: 'events-url',
      walkthrough: { ui: 'legacy', done: ['open-admin'] },
    });
    const again = open(dir).read();
    expect(again).toMatchObject({
      apiBase: 'api.cloud-elements.co.uk',
      subdomain: 'acme',
      instance: { id: '20931', name: 'Freshdesk events (acme)' },
      currentStep: 'events-url',
      walkthrough: { ui: 'legacy', done: ['open-admin'] },
    });
  });

  it('records finished setups, newest first', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fdea-settings-'));
    const settings = open(dir);
    const setup = {
      finishedAt: '2026-12-03T10:00:00Z',
      apiBase: 'https://api.cloud-elements.com/elements/api-v2',
      subdomain: 'acme',
      instanceId: '20931',
      instanceName: 'A',
      eventsUrl: 'https://api.cloud-elements.com/elements/api-v2/events/freshdesk/MjA5MzE=',
    };
    settings.recordFinishedSetup(setup);
    settings.recordFinishedSetup({ ...setup, instanceId: '20932', instanceName: 'B' });
    expect(
      open(dir)
        .read()
        .history.map((entry) => entry.instanceId),
    ).toEqual(['20932', '20931']);
  });

  it('refuses a field that is not in the schema, such as a secret', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fdea-settings-'));
    const settings = open(dir);
    expect(() => settings.update({ userSecret: 'leak' } as unknown as Partial<Settings>)).toThrow();
    expect(() => settings.update({ authKind: 'token' } as unknown as Partial<Settings>)).toThrow();
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).not.toContain('leak');
  });

  it.each([
    ['truncated JSON', '{"apiBase": "api.cloud-elements.co.uk", "subdom'],
    ['wrong types', '{"apiBase": 42, "instance": "20931", "history": {}}'],
    ['an unknown auth kind', '{"authKind": "token"}'],
  ])('sets aside a file with %s, resets and tells the user', (_label, content) => {
    const dir = mkdtempSync(join(tmpdir(), 'fdea-settings-'));
    writeFileSync(join(dir, 'settings.json'), content);
    const settings = open(dir);
    expect(settings.read()).toEqual(DEFAULT_SETTINGS);
    const backup = join(dir, 'settings.json.corrupt-2026-12-03T10-00-00-000Z');
    expect(settings.notice).toEqual({ backupPath: backup, message: expect.stringContaining(backup) });
    expect(readFileSync(backup, 'utf8')).toBe(content);
    settings.update({ subdomain: 'acme' });
    expect(open(dir).read().subdomain).toBe('acme');
    expect(readdirSync(dir).sort()).toEqual(['settings.json', 'settings.json.corrupt-2026-12-03T10-00-00-000Z']);
    expect(existsSync(join(dir, 'settings.json'))).toBe(true);
  });
});
