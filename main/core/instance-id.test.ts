import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveApiBase } from './api-base.js';
import { buildEventsUrl } from './events-url.js';
import { extractInstanceId, parseInstanceId } from './instance-id.js';

const caseFile = (name: string) => readFileSync(new URL(`./cases/${name}`, import.meta.url), 'utf8');

describe('the instance id out of a create-instance response (cases/cloud-elements/)', () => {
  it('reads id 1234 from the valid response, not token, element.id (130) or user.id (5678)', () => {
    const text = caseFile('create-instance-response.json');
    expect(extractInstanceId(text)).toEqual({ ok: true, value: '1234' });
  });

  it('reads id 1234 from the seed response as pasted, invalid JSON included', () => {
    const text = caseFile('pasted-response.txt');
    expect(() => JSON.parse(text) as unknown).toThrow();
    expect(extractInstanceId(text)).toEqual({ ok: true, value: '1234' });
  });

  it('turns the pasted response into the events URL ending in MTIzNA==', () => {
    const id = extractInstanceId(caseFile('pasted-response.txt'));
    const base = resolveApiBase({});
    expect(id.ok && base.ok).toBe(true);
    if (!id.ok || !base.ok) return;
    const result = buildEventsUrl(base.value, id.value);
    expect(result.ok && result.value.url).toBe(
      'https://api.cloud-elements.com/elements/api-v2/events/freshdesk/MTIzNA==',
    );
  });

  it('never takes an id from a nested object, even when the top-level id comes last', () => {
    const text =
      '{"element":{"id":130,"key":"freshdesk"},"user":{"id":5678},"token":"abc/+=","elementId":491,"id":12345}';
    expect(extractInstanceId(text)).toEqual({ ok: true, value: '12345' });
  });

  it('refuses a response whose only ids are nested', () => {
    const result = extractInstanceId('{"element":{"id":130},"user":{"id":5678},"elementId":491}');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain('no top-level "id"');
  });

  it('reads a string id and curl output with headers before the body', () => {
    expect(extractInstanceId('{"id": "20931", "name": "x"}')).toEqual({ ok: true, value: '20931' });
    expect(extractInstanceId('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{"id":20931}')).toEqual({
      ok: true,
      value: '20931',
    });
  });

  it('keeps every digit of a JSON id past 2^53', () => {
    expect(extractInstanceId('{"id":9007199254740993,"name":"big"}')).toEqual({ ok: true, value: '9007199254740993' });
  });

  it('refuses a negative, fractional or non-numeric id in a response', () => {
    for (const [text, idea] of [
      ['{"id":-5}', 'negative'],
      ['{"id":12.5}', 'not a whole number'],
      ['{"id":"abc"}', 'not a number'],
      ['{"id":null}', 'not a number'],
    ] as const) {
      const result = extractInstanceId(text);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toContain(idea);
    }
  });
});

describe('parseInstanceId', () => {
  it('accepts digits with whitespace around, and keeps them as a string', () => {
    expect(parseInstanceId('\t20931 \r\n')).toEqual({ ok: true, value: '20931' });
  });

  it.each([
    ['020931', 'starts with 0'],
    ['2.0931e4', 'not a number'],
    ['20,931', 'not a whole number'],
    ['- 5', 'negative'],
    ['1 2 3', 'two numbers'],
  ])('refuses %j (%s)', (input, idea) => {
    const result = parseInstanceId(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(idea);
  });
});
