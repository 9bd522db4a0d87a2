import { listPackage } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * Packaging smoke: electron-builder packs the built app for Linux against a
 * stand-in Electron binary (none can be downloaded here). The stand-in holds
 * Electron's fuse wire with its factory settings, so the test also proves the
 * packaged binary has the fuses turned off that would let it run as plain
 * Node or take inspector flags.
 */
const run = promisify(execFile);
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
// A fuse is the ASCII byte '1' (on) or '0' (off) after the sentinel, the wire version and its length.
const ENABLE = 0x31;
const DISABLE = 0x30;
// Electron's defaults: RunAsNode on, cookie encryption off, NODE_OPTIONS on, --inspect on, asar integrity off, only-asar off, v8 snapshot off, file privileges on.
const FACTORY_WIRE = [1, 0, 1, 1, 0, 0, 0, 1].map((on) => (on ? ENABLE : DISABLE));

function standInElectron(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fdea-electron-dist-'));
  const pkg = JSON.parse(readFileSync('node_modules/electron/package.json', 'utf8')) as { version: string };
  const binary = Buffer.concat([
    Buffer.from('stand-in electron binary for the packaging smoke test\n'),
    Buffer.from(SENTINEL),
    Buffer.from([1, FACTORY_WIRE.length, ...FACTORY_WIRE]),
  ]);
  writeFileSync(join(dir, 'electron'), binary, { mode: 0o755 });
  writeFileSync(join(dir, 'version'), pkg.version);
  mkdirSync(join(dir, 'resources'));
  return dir;
}

describe('packaging', () => {
  it('packs the built app into app.asar with keytar unpacked and the fuses off', { timeout: 180_000 }, async () => {
    expect(existsSync('out/main/main.js'), 'run npm run build first').toBe(true);
    const output = mkdtempSync(join(tmpdir(), 'fdea-dist-'));
    await run(
      'npx',
      ['electron-builder', '--linux', 'dir', `-c.electronDist=${standInElectron()}`, `-c.directories.output=${output}`],
      { env: { ...process.env, CI: 'true' }, maxBuffer: 20 * 1024 * 1024 },
    );
    const unpacked = join(output, 'linux-unpacked');
    const asar = join(unpacked, 'resources', 'app.asar');
    expect(existsSync(asar)).toBe(true);

    const files = listPackage(asar, { isPack: false }).map((file) => file.replaceAll('\\', '/'));
    expect(files).toEqual(
      expect.arrayContaining([
        '/package.json',
        '/out/main/main.js',
        '/out/preload/preload.cjs',
        '/out/renderer/index.html',
        '/node_modules/keytar/package.json',
      ]),
    );
    // Only built output ships: no sources, tests or emulators.
    expect(files.filter((file) => /\.tsx?$|\.test\.|\/e2e\//.test(file))).toEqual([]);
    expect(
      existsSync(
        join(unpacked, 'resources', 'app.asar.unpacked', 'node_modules', 'keytar', 'build', 'Release', 'keytar.node'),
      ),
    ).toBe(true);

    const wire = await getCurrentFuseWire(join(unpacked, 'freshdesk-events-assistant'));
    expect(wire[FuseV1Options.RunAsNode]).toBe(DISABLE);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(DISABLE);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(DISABLE);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(ENABLE);
  });
});
