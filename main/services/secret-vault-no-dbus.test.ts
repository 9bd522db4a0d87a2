import { expect, it } from 'vitest';
import { createSecretVault } from './secret-vault.js';

/**
 * No D-Bus session at all (a headless server, a container). vitest runs each
 * file in its own process, and keytar binds to a bus on first use, so removing
 * the address here affects this file only.
 */
delete process.env['DBUS_SESSION_BUS_ADDRESS'];
delete process.env['DISPLAY'];

it('says there is no D-Bus session and how to get one', async () => {
  const vault = createSecretVault({ service: 'fdea-no-dbus-test', timeoutMs: 5_000, platform: 'linux' });
  const error = await vault
    .saveCloudElements('api.cloud-elements.com', { userSecret: 'no-bus-user', orgSecret: 'no-bus-org' })
    .then(
      () => undefined,
      (caught: unknown) => caught,
    );
  expect(error).toBeInstanceOf(Error);
  const message = (error as Error).message;
  expect(message).toMatch(/no D-Bus session/);
  expect(message).not.toContain('no-bus-user');
  expect(await vault.check()).toEqual({ usable: false, message: expect.stringMatching(/no D-Bus session/) });
});
