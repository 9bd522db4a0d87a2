import { describe, expect, it } from 'vitest';
import { freshdeskBaseFromUrl, resolveFreshdeskBase } from './freshdesk-base.js';

describe('freshdeskBaseFromUrl', () => {
  it.each([
    ['https://acme.freshdesk.com', 'https://acme.freshdesk.com'],
    ['  https://ACME.freshdesk.com/  ', 'https://acme.freshdesk.com'],
    ['https://acme-support.freshdesk.com/api/v2/', 'https://acme-support.freshdesk.com'],
    ['http://127.0.0.1:4321', 'http://127.0.0.1:4321'],
    ['http://localhost:4321/', 'http://localhost:4321'],
  ])('accepts %j as %j', (input, origin) => {
    expect(freshdeskBaseFromUrl(input)).toEqual({ ok: true, value: origin });
  });

  it.each([
    ['acme.freshdesk.com', '"acme.freshdesk.com" is not a URL: enter something like https://acme.freshdesk.com.'],
    [
      'http://acme.freshdesk.com',
      'http:// is not allowed for acme.freshdesk.com: the Freshdesk API must be reached over https.',
    ],
    [
      'https://support.acme.com',
      'support.acme.com is not a Freshdesk address: the API answers only on name.freshdesk.com (not on a custom domain), so use https://<your subdomain>.freshdesk.com.',
    ],
    [
      'https://acme.freshdesk.com/a/tickets',
      "The Freshdesk URL should be the account's address only, like https://acme.freshdesk.com (got the path /a/tickets).",
    ],
    ['https://key:X@acme.freshdesk.com', 'The Freshdesk URL must not contain a user name or password.'],
    ['https://acme.freshdesk.com/?a=1', 'The Freshdesk URL must not contain a query (?) or a fragment (#).'],
  ])('refuses %j', (input, message) => {
    expect(freshdeskBaseFromUrl(input)).toEqual({ ok: false, message });
  });
});

describe('resolveFreshdeskBase', () => {
  it('builds https://SUB.freshdesk.com from the subdomain as people type it', () => {
    expect(resolveFreshdeskBase({ subdomain: ' https://ACME.freshdesk.com/ ' })).toEqual({
      ok: true,
      value: 'https://acme.freshdesk.com',
    });
  });

  it('lets the base URL win, and refuses a bad subdomain or none', () => {
    expect(resolveFreshdeskBase({ subdomain: 'acme', baseUrl: 'http://127.0.0.1:9' })).toEqual({
      ok: true,
      value: 'http://127.0.0.1:9',
    });
    expect(resolveFreshdeskBase({ subdomain: 'acme.freshservice.com' })).toEqual({
      ok: false,
      message:
        'acme.freshservice.com is a Freshservice address, not Freshdesk: enter your Freshdesk subdomain (the name in name.freshdesk.com).',
    });
    expect(resolveFreshdeskBase({})).toEqual({
      ok: false,
      message: 'Give the Freshdesk subdomain (the name in name.freshdesk.com).',
    });
  });
});
