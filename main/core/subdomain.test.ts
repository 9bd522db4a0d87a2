import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { freshdeskUrl, normalizeSubdomain } from './subdomain.js';

interface SubdomainCase {
  input: string;
  expected?: string;
  expectedError?: string;
}

const { cases } = JSON.parse(readFileSync(new URL('./cases/subdomain.json', import.meta.url), 'utf8')) as {
  cases: SubdomainCase[];
};

describe('subdomain cases (cases/subdomain.json)', () => {
  it('has the handed cases', () => {
    expect(cases).toHaveLength(10);
  });

  for (const testCase of cases.filter((c) => c.expected !== undefined)) {
    it(`${JSON.stringify(testCase.input)} → ${testCase.expected}`, () => {
      const result = normalizeSubdomain(testCase.input);
      expect(result).toEqual({ ok: true, value: testCase.expected });
      if (result.ok) expect(freshdeskUrl(result.value)).toBe(`https://${testCase.expected}.freshdesk.com`);
    });
  }

  for (const testCase of cases.filter((c) => c.expectedError !== undefined)) {
    const idea = (testCase.expectedError ?? '').split(':')[0] ?? '';
    it(`${JSON.stringify(testCase.input)} is refused: ${idea}`, () => {
      const result = normalizeSubdomain(testCase.input);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message.toLowerCase()).toContain(idea.toLowerCase());
    });
  }

  it('tells a custom domain where Freshdesk shows the real name', () => {
    const result = normalizeSubdomain('support.acme.com');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain('Admin > Portals / Helpdesk settings');
  });
});

describe('normalizeSubdomain beyond the cases', () => {
  it.each([
    ['http://Acme.Freshdesk.com', 'acme'],
    ['acme.freshdesk.com.', 'acme'],
    ['acme.freshdesk.com:443/x?y#z', 'acme'],
    ['\tacme\n', 'acme'],
  ])('%j → %s', (input, expected) => {
    expect(normalizeSubdomain(input)).toEqual({ ok: true, value: expected });
  });

  it.each(['-acme', 'acme-', 'ac_me', 'freshdesk.com', 'https://acme.freshservice.com/'])('refuses %j', (input) => {
    expect(normalizeSubdomain(input).ok).toBe(false);
  });
});

describe('addresses that are not an account name', () => {
  it.each(['www.freshdesk.com', 'https://www.freshdesk.com/', 'WWW.Freshdesk.com'])('refuses %j', (input) => {
    expect(normalizeSubdomain(input)).toEqual({
      ok: false,
      message:
        "www.freshdesk.com is Freshdesk's own website, not an account: enter the name in your helpdesk's address name.freshdesk.com.",
    });
  });

  it('refuses a label over 63 characters, and accepts one of 63', () => {
    const long = `a${'b'.repeat(63)}`;
    const expected = {
      ok: false,
      message:
        '"abbbbbbbbbbbbbbbbbbb..." is too long (at most 63 characters): a subdomain is the short name in name.freshdesk.com, and this one has 64.',
    };
    expect(normalizeSubdomain(long)).toEqual(expected);
    expect(normalizeSubdomain(`https://${long}.freshdesk.com/`)).toEqual(expected);
    expect(normalizeSubdomain('a'.repeat(63))).toEqual({ ok: true, value: 'a'.repeat(63) });
  });

  it.each([
    [
      'acme.myfreshworks.com',
      "acme.myfreshworks.com is the Freshworks address, not the helpdesk's: enter the name of your name.freshdesk.com address (if your helpdesk is acme.freshdesk.com, enter acme).",
    ],
    [
      'https://acme.myfreshworks.com/crm/sales/',
      "acme.myfreshworks.com is the Freshworks address, not the helpdesk's: enter the name of your name.freshdesk.com address (if your helpdesk is acme.freshdesk.com, enter acme).",
    ],
    [
      'acme.freshworks.com',
      "acme.freshworks.com is the Freshworks address, not the helpdesk's: enter the name of your name.freshdesk.com address (if your helpdesk is acme.freshdesk.com, enter acme).",
    ],
    [
      'www.freshworks.com',
      "www.freshworks.com is the Freshworks address, not the helpdesk's: enter the name of your name.freshdesk.com address.",
    ],
    [
      'freshworks.com',
      "freshworks.com is the Freshworks address, not the helpdesk's: enter the name of your name.freshdesk.com address.",
    ],
  ])('says %j is the Freshworks address', (input, message) => {
    expect(normalizeSubdomain(input)).toEqual({ ok: false, message });
  });

  it.each(['https://', 'http://', ' https:// ', 'https:', 'https:///'])('%j alone is empty', (input) => {
    expect(normalizeSubdomain(input)).toEqual({
      ok: false,
      message: 'The Freshdesk subdomain is empty: enter the name before .freshdesk.com, like acme.',
    });
  });
});
