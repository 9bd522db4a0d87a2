import { describe, expect, it } from 'vitest';
import { cleanSecret } from './secrets.js';

const USER = 'Hx3k/9QzL+aW2mB7vT0pYc4R8sNdE1fG5uJ6oK+iP0A=';
const ORG = '9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const KEY = 'AbCdEf123456GhIjKlMn';

describe('cleanSecret', () => {
  it('drops whitespace and invisible characters around a secret, and nothing else', () => {
    expect(cleanSecret(`  ${USER}\n`, 'userSecret')).toEqual({ ok: true, value: USER });
    expect(cleanSecret(`\t${ORG}\r\n`, 'orgSecret')).toEqual({ ok: true, value: ORG });
    expect(cleanSecret(`\u00a0${KEY}\u200b\ufeff`, 'apiKey')).toEqual({ ok: true, value: KEY });
    expect(cleanSecret(USER, 'userSecret')).toEqual({ ok: true, value: USER });
  });

  it.each([
    ['userSecret', 'The user secret is empty: paste it from Cloud Elements (your profile > Secrets).'],
    ['orgSecret', 'The organization secret is empty: paste it from Cloud Elements (your profile > Secrets).'],
    ['apiKey', 'The Freshdesk API key is empty: paste it from Freshdesk (Profile settings > Your API key).'],
  ] as const)('refuses an empty or blank %s', (kind, message) => {
    expect(cleanSecret('', kind)).toEqual({ ok: false, message });
    expect(cleanSecret(' \n\t', kind)).toEqual({ ok: false, message });
  });

  describe('the whole Authorization header', () => {
    const header = `User ${USER}, Organization ${ORG}`;
    it.each([header, `Authorization: ${header}`, `'Authorization: ${header}'`, `"${header}"`, ` ${header}\n`])(
      'says which part to paste: %j',
      (pasted) => {
        expect(cleanSecret(pasted, 'userSecret')).toEqual({
          ok: false,
          message: "You pasted the whole Authorization header: paste only the user secret (after 'User ').",
        });
        expect(cleanSecret(pasted, 'orgSecret')).toEqual({
          ok: false,
          message:
            "You pasted the whole Authorization header: paste only the organization secret (after 'Organization ').",
        });
        expect(cleanSecret(pasted, 'apiKey')).toEqual({
          ok: false,
          message:
            'That is the Cloud Elements Authorization header (User …, Organization …), not the Freshdesk API key: paste the API key from Freshdesk (Profile settings > Your API key).',
        });
      },
    );

    it('recognises it in either order and any capitalisation', () => {
      expect(cleanSecret(`organization ${ORG},user ${USER}`, 'userSecret')).toEqual({
        ok: false,
        message: "You pasted the whole Authorization header: paste only the user secret (after 'User ').",
      });
    });

    it('says so for an Authorization: prefix alone', () => {
      expect(cleanSecret(`Authorization: ${USER}`, 'userSecret')).toEqual({
        ok: false,
        message: "You pasted an Authorization header: paste only the user secret (after 'User ').",
      });
      expect(cleanSecret(`Authorization:${KEY}`, 'apiKey')).toEqual({
        ok: false,
        message: 'You pasted an Authorization header: paste only the Freshdesk API key.',
      });
    });
  });

  describe('a User / Organization prefix', () => {
    it('asks for the secret without its own prefix', () => {
      expect(cleanSecret(`User ${USER}`, 'userSecret')).toEqual({
        ok: false,
        message: "Paste only the user secret, without 'User ' in front of it.",
      });
      expect(cleanSecret(`Organization ${ORG},`, 'orgSecret')).toEqual({
        ok: false,
        message: "Paste only the organization secret, without 'Organization ' in front of it.",
      });
      expect(cleanSecret(`, Organization ${ORG}`, 'orgSecret')).toEqual({
        ok: false,
        message: "Paste only the organization secret, without 'Organization ' in front of it.",
      });
    });

    it('says when the other secret went into the field', () => {
      expect(cleanSecret(`Organization ${ORG}`, 'userSecret')).toEqual({
        ok: false,
        message:
          "That is the organization secret ('Organization …'): paste the user secret here, the value after 'User '.",
      });
      expect(cleanSecret(`User ${USER}`, 'orgSecret')).toEqual({
        ok: false,
        message:
          "That is the user secret ('User …'): paste the organization secret here, the value after 'Organization '.",
      });
      expect(cleanSecret(`User ${USER}`, 'apiKey')).toEqual({
        ok: false,
        message:
          "That looks like part of the Cloud Elements Authorization header ('User …'), not the Freshdesk API key: paste the API key from Freshdesk (Profile settings > Your API key).",
      });
    });
  });

  describe('quotes', () => {
    it.each([`"${USER}"`, `'${USER}'`, `“${USER}”`, `‘${USER}’`, ` "${USER}"\n`])('refuses %j', (pasted) => {
      expect(cleanSecret(pasted, 'userSecret')).toEqual({
        ok: false,
        message: 'The user secret has quotes around it: paste only what is between them.',
      });
    });

    it('refuses one quote mark at either end', () => {
      expect(cleanSecret(`"${KEY}`, 'apiKey')).toEqual({
        ok: false,
        message: 'The Freshdesk API key has a quote mark at the start: paste it without quotes.',
      });
      expect(cleanSecret(`${ORG}'`, 'orgSecret')).toEqual({
        ok: false,
        message: 'The organization secret has a quote mark at the end: paste it without quotes.',
      });
      expect(cleanSecret('"', 'orgSecret')).toEqual({
        ok: false,
        message: 'The organization secret has a quote mark at the start: paste it without quotes.',
      });
    });

    it('names a space inside the quotes too', () => {
      expect(cleanSecret(`"${KEY} x"`, 'apiKey')).toEqual({
        ok: false,
        message:
          'The Freshdesk API key has quotes around it: paste only what is between them. It also has a space inside: secrets never contain spaces.',
      });
    });
  });

  describe('inside the secret', () => {
    it('refuses a space or a line break inside', () => {
      expect(cleanSecret(`${USER.slice(0, 10)} ${USER.slice(10)}`, 'userSecret')).toEqual({
        ok: false,
        message: 'The user secret has a space inside: secrets never contain spaces. Copy it again, in one piece.',
      });
      expect(cleanSecret(`${ORG.slice(0, 10)}\n${ORG.slice(10)}`, 'orgSecret')).toEqual({
        ok: false,
        message:
          'The organization secret has a line break inside: secrets are one line with no spaces. Copy it again, in one piece.',
      });
    });

    it("refuses curl's KEY:X form of the Freshdesk key", () => {
      expect(cleanSecret(`${KEY}:X`, 'apiKey')).toEqual({
        ok: false,
        message: `The Freshdesk API key ends with ":X", as in curl's -u KEY:X: paste only the key, without ":X".`,
      });
    });

    it('names an invisible or non-ASCII character inside', () => {
      expect(cleanSecret(`${KEY.slice(0, 5)}\u200b${KEY.slice(5)}`, 'apiKey')).toEqual({
        ok: false,
        message:
          'The Freshdesk API key contains an invisible character (U+200B), which a secret never has: copy it again from Freshdesk.',
      });
      expect(cleanSecret(`${USER}é`, 'userSecret')).toEqual({
        ok: false,
        message:
          'The user secret contains the character U+00E9, which a secret never has: copy it again from Cloud Elements.',
      });
    });

    it('never repeats the secret in a message', () => {
      for (const pasted of [
        `User ${USER}`,
        `"${USER}"`,
        `${USER} x`,
        `${USER.slice(0, 3)}\u200b${USER.slice(3)}`,
        `Authorization: ${USER}`,
      ]) {
        const result = cleanSecret(pasted, 'userSecret');
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.message).not.toContain(USER);
      }
    });
  });
});
