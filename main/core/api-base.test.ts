import { describe, expect, it } from 'vitest';
import { apiBaseFromHost, apiBaseFromUrl, hostOf, isLoopbackHost, resolveApiBase, type ApiBase } from './api-base.js';

function refused(result: { ok: boolean; message?: string }, idea: string): void {
  expect(result.ok).toBe(false);
  expect(result.message).toContain(idea);
}

describe('resolveApiBase', () => {
  it('defaults to the US host', () => {
    expect(resolveApiBase({})).toEqual({ ok: true, value: 'https://api.cloud-elements.com/elements/api-v2' });
  });

  it('keeps the EU host (and staging, and SAP hosts)', () => {
    for (const host of [
      'api.cloud-elements.co.uk',
      'staging.cloud-elements.com',
      'api.openconnectors.us2.ext.hana.ondemand.com',
    ]) {
      expect(resolveApiBase({ host })).toEqual({ ok: true, value: `https://${host}/elements/api-v2` });
    }
    expect(resolveApiBase({ baseUrl: 'https://api.cloud-elements.co.uk/elements/api-v2/' })).toEqual({
      ok: true,
      value: 'https://api.cloud-elements.co.uk/elements/api-v2',
    });
  });

  it('refuses --host and --base-url together', () => {
    refused(resolveApiBase({ host: 'a.example.com', baseUrl: 'https://a.example.com' }), 'not both');
  });
});

describe('apiBaseFromHost', () => {
  it.each([
    [' API.Cloud-Elements.co.uk ', 'https://api.cloud-elements.co.uk/elements/api-v2'],
    ['api.cloud-elements.co.uk/', 'https://api.cloud-elements.co.uk/elements/api-v2'],
    ['https://api.cloud-elements.co.uk', 'https://api.cloud-elements.co.uk/elements/api-v2'],
    ['api.cloud-elements.co.uk/elements/api-v2', 'https://api.cloud-elements.co.uk/elements/api-v2'],
    ['http://127.0.0.1:8080/elements/api-v2', 'http://127.0.0.1:8080/elements/api-v2'],
  ])('%j → %s', (input, expected) => {
    expect(apiBaseFromHost(input)).toEqual({ ok: true, value: expected });
  });

  it('refuses an empty host and one with spaces', () => {
    refused(apiBaseFromHost('  '), 'empty');
    refused(apiBaseFromHost('api cloud-elements.com'), 'not a host name');
  });
});

describe('apiBaseFromUrl', () => {
  it('allows plain http only on loopback addresses', () => {
    for (const url of [
      'http://127.0.0.1:4010/elements/api-v2',
      'http://localhost:4010',
      'http://[::1]:4010/elements/api-v2/',
    ]) {
      expect(apiBaseFromUrl(url).ok).toBe(true);
    }
    refused(apiBaseFromUrl('http://api.cloud-elements.com/elements/api-v2'), 'https');
    refused(apiBaseFromUrl('http://10.0.0.5/elements/api-v2'), 'https');
    refused(apiBaseFromUrl('ftp://api.cloud-elements.com/elements/api-v2'), 'https');
  });

  it('adds the API path to a bare origin', () => {
    expect(apiBaseFromUrl('https://api.cloud-elements.com')).toEqual({
      ok: true,
      value: 'https://api.cloud-elements.com/elements/api-v2',
    });
  });

  it('refuses a path without /elements/api-v2 (missing /elements, or an events URL)', () => {
    refused(apiBaseFromUrl('https://api.cloud-elements.com/api-v2'), '/elements/api-v2');
    refused(
      apiBaseFromUrl('https://api.cloud-elements.com/elements/api-v2/events/freshdesk/MjA5MzE='),
      '/elements/api-v2',
    );
  });

  it('collapses double slashes and drops the trailing slash', () => {
    expect(apiBaseFromUrl('https://api.cloud-elements.com//elements//api-v2//')).toEqual({
      ok: true,
      value: 'https://api.cloud-elements.com/elements/api-v2',
    });
  });

  it('refuses something that is not a URL, credentials in the URL, a query or a fragment', () => {
    refused(apiBaseFromUrl('api.cloud-elements.com'), 'not a URL');
    refused(apiBaseFromUrl('https://u:p@api.cloud-elements.com'), 'user name or password');
    refused(apiBaseFromUrl('https://api.cloud-elements.com/elements/api-v2?x=1'), 'query');
    refused(apiBaseFromUrl('https://api.cloud-elements.com/elements/api-v2#x'), 'fragment');
  });
});

describe('host helpers', () => {
  it('isLoopbackHost knows 127/8, localhost and ::1 only', () => {
    expect(['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '[::1]', '::1'].map(isLoopbackHost)).toEqual(
      Array(6).fill(true),
    );
    expect(['128.0.0.1', 'localhost.example.com', '0.0.0.0', '::2'].map(isLoopbackHost)).toEqual(Array(4).fill(false));
  });

  it('hostOf keeps the port', () => {
    expect(hostOf('http://127.0.0.1:4010/elements/api-v2' as ApiBase)).toBe('127.0.0.1:4010');
    expect(hostOf('https://api.cloud-elements.co.uk/elements/api-v2' as ApiBase)).toBe('api.cloud-elements.co.uk');
  });
});
