import { MASK } from './instance-request.js';

/**
 * Characters a secret is made of (base64, base64url, API keys). A secret is
 * masked only where it stands as a whole token, so that masking a short
 * secret such as `e` leaves "error" alone. `=` is only padding at the end of
 * base64, so it continues a token after the secret but not before it
 * (`api_key=<secret>` is still masked). A full stop after the secret ends a
 * sentence unless a token goes on after it.
 */
const CONTINUES_BEFORE = /[A-Za-z0-9+/_.-]/;
const CONTINUES_AFTER = /[A-Za-z0-9+/=_.-]/;
/**
 * A secret this long cannot turn up inside another word by chance: wherever
 * it appears (glued to other characters, or after a form-encoded `+`), it is
 * a leak, so it is masked there too.
 */
const ALWAYS_MASKED_LENGTH = 16;
const JSON_ESCAPES: Record<string, string> = {
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
  '"': '"',
  '\\': '\\',
  '/': '/',
};

/**
 * Replaces each secret in a text that is about to be shown (a server's error
 * message, a network error) with the mask: as typed, as it appears inside a
 * JSON string (slashes escaped or not), and percent-encoded. Only whole tokens
 * count: an occurrence next to a character of the secret alphabet is part of
 * another word. A neighbour written as a percent-escape (`User%20<secret>%2C`)
 * or a JSON escape (`\n<secret>`) counts as the character it stands for.
 * Secrets of ALWAYS_MASKED_LENGTH characters or more are masked wherever they
 * appear. Longest first, so a secret that contains another is masked whole.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  const forms = new Map<string, boolean>();
  for (const secret of secrets) {
    if (secret === '') continue;
    const anywhere = secret.length >= ALWAYS_MASKED_LENGTH;
    const json = JSON.stringify(secret).slice(1, -1);
    for (const form of [secret, json, json.replace(/\//g, '\\/'), encodeURIComponent(secret)]) {
      forms.set(form, anywhere || forms.get(form) === true);
    }
  }
  let result = text;
  for (const [form, anywhere] of [...forms].sort(([a], [b]) => b.length - a.length)) {
    result = anywhere ? result.split(form).join(MASK) : maskWholeTokens(result, form);
  }
  return result;
}

function maskWholeTokens(text: string, form: string): string {
  let result = '';
  let from = 0;
  for (let at = text.indexOf(form); at !== -1; at = text.indexOf(form, at + 1)) {
    if (at < from) continue;
    const end = at + form.length;
    if (!standsAlone(text, at, end)) continue;
    result += text.slice(from, at) + MASK;
    from = end;
  }
  return result + text.slice(from);
}

function standsAlone(text: string, start: number, end: number): boolean {
  const before = charBefore(text, start);
  let after = charAfter(text, end);
  // A full stop ends a sentence ("... key e.") unless a word goes on after it ("e.com").
  if (after === '.' && text[end] === '.') after = charAfter(text, end + 1);
  return (
    !(before !== undefined && CONTINUES_BEFORE.test(before)) && !(after !== undefined && CONTINUES_AFTER.test(after))
  );
}

/** The character that ends just before `index`, reading a percent-escape or a JSON escape as what it stands for. */
function charBefore(text: string, index: number): string | undefined {
  if (index === 0) return undefined;
  const head = text.slice(Math.max(0, index - 6), index);
  const percent = /%([0-9A-Fa-f]{2})$/.exec(head);
  if (percent) return String.fromCharCode(parseInt(percent[1] ?? '', 16));
  const unicode = /\\u([0-9A-Fa-f]{4})$/.exec(head);
  if (unicode) return String.fromCharCode(parseInt(unicode[1] ?? '', 16));
  const escape = /\\(["\\/bfnrt])$/.exec(head);
  if (escape && !/\\\\["\\/bfnrt]$/.test(head)) return JSON_ESCAPES[escape[1] ?? ''];
  return text[index - 1];
}

/** The character that starts at `index`, reading a percent-escape or a JSON escape as what it stands for. */
function charAfter(text: string, index: number): string | undefined {
  if (index >= text.length) return undefined;
  const tail = text.slice(index, index + 6);
  const percent = /^%([0-9A-Fa-f]{2})/.exec(tail);
  if (percent) return String.fromCharCode(parseInt(percent[1] ?? '', 16));
  const unicode = /^\\u([0-9A-Fa-f]{4})/.exec(tail);
  if (unicode) return String.fromCharCode(parseInt(unicode[1] ?? '', 16));
  const escape = /^\\(["\\/bfnrt])/.exec(tail);
  if (escape) return JSON_ESCAPES[escape[1] ?? ''];
  return text[index];
}
