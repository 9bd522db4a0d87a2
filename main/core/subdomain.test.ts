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
