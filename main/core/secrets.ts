import { accept, refuse, type Checked } from './errors.js';

/**
 * The secrets a person pastes: the two Cloud Elements secrets that make up the
 * `Authorization: User <user secret>, Organization <org secret>` header, and
 * the Freshdesk API key. The names match the form fields (FieldProblem.field).
 */
export type SecretKind = 'userSecret' | 'orgSecret' | 'apiKey';

interface SecretInfo {
  /** "user secret", as it reads inside a sentence. */
  name: string;
  /** The product that shows it. */
  source: string;
  /** Where that product shows it. */
  where: string;
}

const INFO: Record<SecretKind, SecretInfo> = {
  userSecret: { name: 'user secret', source: 'Cloud Elements', where: 'your profile > Secrets' },
  orgSecret: { name: 'organization secret', source: 'Cloud Elements', where: 'your profile > Secrets' },
  apiKey: { name: 'Freshdesk API key', source: 'Freshdesk', where: 'Profile settings > Your API key' },
};

/** Whitespace as String.trim sees it, plus the invisible characters a web page or a chat app adds to a copy. */
const AROUND = /^[\s\u200b-\u200d\u2060\ufeff]+|[\s\u200b-\u200d\u2060\ufeff]+$/g;
const QUOTES = `"'\`“”„‘’‚«»`;
const HEADER_WORD = { userSecret: 'User', orgSecret: 'Organization' } as const;

/**
 * Cleans a pasted secret: drops the whitespace around it (secrets never hold
 * any), and refuses, saying exactly what is wrong, the usual wrong pastes:
 * the whole `User …, Organization …` header, a `User ` / `Organization `
 * prefix, quotes around it, whitespace or invisible characters inside. The
 * messages never repeat the secret.
 */
export function cleanSecret(input: string, kind: SecretKind): Checked<string> {
  const { name, source, where } = INFO[kind];
  const The = `The ${name}`;
  const text = input.replace(AROUND, '');
  if (text === '') return refuse(`${The} is empty: paste it from ${source} (${where}).`);

  const header = headerProblem(text, kind);
  if (header !== undefined) return refuse(header);

  const first = text[0] ?? '';
  const last = text[text.length - 1] ?? '';
  if (QUOTES.includes(first) || QUOTES.includes(last)) {
    const inner = text.replace(new RegExp(`^[${QUOTES}]+|[${QUOTES}]+$`, 'g'), '');
    if (text.length > 1 && QUOTES.includes(first) && QUOTES.includes(last)) {
      return refuse(`${The} has quotes around it: paste only what is between them.${stillWrong(inner)}`);
    }
    const side = QUOTES.includes(first) ? 'at the start' : 'at the end';
    return refuse(`${The} has a quote mark ${side}: paste it without quotes.${stillWrong(inner)}`);
  }
  if (/[\r\n]/.test(text)) {
    return refuse(`${The} has a line break inside: secrets are one line with no spaces. Copy it again, in one piece.`);
  }
  if (/\s/.test(text)) {
    return refuse(`${The} has a space inside: secrets never contain spaces. Copy it again, in one piece.`);
  }
  if (kind === 'apiKey' && /^[^:]+:X$/i.test(text)) {
    return refuse(`${The} ends with ":X", as in curl's -u KEY:X: paste only the key, without ":X".`);
  }
  const odd = [...text].find((char) => !/[\x21-\x7e]/.test(char));
  if (odd !== undefined) {
    const code = `U+${(odd.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
    const what = /[\u200b-\u200d\u2060\ufeff]/.test(odd) ? `an invisible character (${code})` : `the character ${code}`;
    return refuse(`${The} contains ${what}, which a secret never has: copy it again from ${source}.`);
  }
  return accept(text);
}

/** The message for a pasted header or a `User ` / `Organization ` prefix, or undefined when it is neither. */
function headerProblem(text: string, kind: SecretKind): string | undefined {
  const unquoted = text.replace(new RegExp(`^[${QUOTES}]+|[${QUOTES}]+$`, 'g'), '');
  const body = unquoted.replace(/^authorization\s*:\s*/i, '');
  const hasUser = /(^|[\s,])User\s+\S/i.test(body);
  const hasOrg = /(^|[\s,])Organi[sz]ation\s+\S/i.test(body);
  const named = kind === 'apiKey' ? undefined : HEADER_WORD[kind];
  if (hasUser && hasOrg) {
    if (named === undefined) {
      return 'That is the Cloud Elements Authorization header (User …, Organization …), not the Freshdesk API key: paste the API key from Freshdesk (Profile settings > Your API key).';
    }
    return `You pasted the whole Authorization header: paste only the ${INFO[kind].name} (after '${named} ').`;
  }
  if (body !== unquoted) {
    return `You pasted an Authorization header: paste only the ${INFO[kind].name}${named ? ` (after '${named} ')` : ''}.`;
  }
  const prefix = /^[,;\s]*(User|Organi[sz]ation)\s+\S/i.exec(body)?.[1];
  if (prefix === undefined) return undefined;
  const isUser = prefix.toLowerCase() === 'user';
  if (named === undefined) {
    return `That looks like part of the Cloud Elements Authorization header ('${isUser ? 'User' : 'Organization'} …'), not the Freshdesk API key: paste the API key from Freshdesk (Profile settings > Your API key).`;
  }
  if ((named === 'User') === isUser) {
    return `Paste only the ${INFO[kind].name}, without '${named} ' in front of it.`;
  }
  const other = isUser ? 'user secret' : 'organization secret';
  return `That is the ${other} ('${isUser ? 'User' : 'Organization'} …'): paste the ${INFO[kind].name} here, the value after '${named} '.`;
}

/** After quotes, what else would still be wrong, so one answer names every fix. */
function stillWrong(inner: string): string {
  return /\s/.test(inner) ? ' It also has a space inside: secrets never contain spaces.' : '';
}
