import { decodeAsciiBase64, encodeAsciiBase64 } from './base64.js';
import { accept, refuse, type Checked } from './errors.js';
import { splitJsonArray } from './json-array.js';

/**
 * An instance id is kept as its string of decimal digits from start to end:
 * a JSON number would lose digits past 2^53 and a float would print as 2.0931e4.
 */
export type InstanceId = string & { readonly __brand: 'InstanceId' };

/** Cloud Elements ids are signed 64-bit numbers: at most this, 19 digits. */
export const MAX_INSTANCE_ID = '9223372036854775807';

/** Checks an id that the user typed. Whitespace around it (a pasted newline) is dropped. */
export function parseInstanceId(input: string): Checked<InstanceId> {
  const text = input.trim();
  if (text === '') return refuse('The instance ID is empty: enter the number from the "id" field of the instance.');
  if (/^\d+$/.test(text)) {
    if (/^0+$/.test(text)) {
      return refuse(
        `The instance ID ${text} is zero: Cloud Elements numbers instances from 1. Copy the "id" of your instance again.`,
      );
    }
    if (/^0/.test(text)) {
      return refuse(
        `The instance ID ${text} starts with 0: Cloud Elements IDs never do. Check that you copied the whole "id".`,
      );
    }
    if (text.length > MAX_INSTANCE_ID.length || (text.length === MAX_INSTANCE_ID.length && text > MAX_INSTANCE_ID)) {
      return refuse(
        `${shorten(text)} is too long to be an instance ID: Cloud Elements IDs are at most ${MAX_INSTANCE_ID} (19 digits). Check that you copied only the "id".`,
      );
    }
    return accept(text as InstanceId);
  }
  if (/^\p{Nd}+$/u.test(text)) {
    const ordinary = text.replace(/[０-９]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xfee0));
    return /^\d+$/.test(ordinary)
      ? refuse(`"${shorten(text)}" is written in full-width digits: use ordinary digits (${shorten(ordinary)}).`)
      : refuse(`"${shorten(text)}" has digits other than 0-9: use ordinary digits.`);
  }
  if (/^-\s*\d+$/.test(text))
    return refuse(`The instance ID ${text} is negative: instance IDs are positive whole numbers.`);
  if (/^\d+(\s+\d+)+$/.test(text)) {
    return refuse(`"${text}" holds two numbers: enter exactly one instance ID.`);
  }
  if (/^\d+[.,]\d+$/.test(text))
    return refuse(`The instance ID ${text} is not a whole number: instance IDs have no decimals.`);
  const decoded = decodeAsciiBase64(text);
  if (decoded !== undefined && /^\d+$/.test(decoded)) {
    return refuse(
      `"${text}" is already encoded: it is the base64 form of ${decoded}. Enter the plain instance ID ${decoded} and the app encodes it.`,
    );
  }
  return refuse(`"${shorten(text)}" is not a number: the instance ID is the numeric "id" of the instance, like 20931.`);
}

/**
 * Finds the instance id in whatever the user pasted: a bare number, a JSON
 * response (valid or not, like the seed's copy with a missing comma), curl
 * output with headers before the body, a terminal session (the command or
 * instance.json, then the response), a one-item instance list, or an events
 * URL (its base64 suffix is decoded). Only a top-level "id" counts: never
 * "token", "element.id", "elementId" or "user.id".
 */
export function extractInstanceId(pasted: string): Checked<InstanceId> {
  const text = pasted.trim();
  const fromUrl = idFromEventsUrl(text);
  if (fromUrl !== undefined) return fromUrl;

  const blocks = topLevelJson(text.replace(CURL_TRACE, ''));
  if (blocks.length === 0) {
    const line = /^"?id"?\s*[:=]\s*("?)(\S+?)\1\s*,?$/i.exec(text);
    return parseInstanceId(line ? (line[2] ?? '') : text);
  }

  const objects = blocks.filter((block) => block.kind === 'object').map((block) => topLevelEntries(block.raw));
  const withId = objects.filter((entries) => entries.has('id'));
  if (withId.length > 0) return idOfBest(withId);

  const list = blocks.findLast((block) => block.kind === 'array');
  if (list !== undefined) {
    const listed = idsOfList(list.raw);
    if (listed !== undefined) return listed;
  }
  return refuse('The pasted text has no top-level "id" field: paste the whole response of the create-instance call.');
}

/** `{ [5 bytes data]` and `} [data not shown]`: curl -v's trace lines, which are not JSON. */
const CURL_TRACE = /^[{}] \[[^\]\n]*\][ \t]*$/gm;

/**
 * Among objects with a top-level "id", the one that looks most like an
 * instance response: a numeric id first, then "token" or "createdDate", then
 * "element". instance.json (the request) has neither token nor createdDate.
 */
function idOfBest(candidates: readonly Map<string, string>[]): Checked<InstanceId> {
  const rank = (entries: Map<string, string>) =>
    (/^"?\d+"?$/.test(entries.get('id') ?? '') ? 10 : 0) +
    (entries.has('token') || entries.has('createdDate') ? 2 : entries.has('element') ? 1 : 0);
  const best = Math.max(...candidates.map(rank));
  const ids = [
    ...new Set(candidates.filter((entries) => rank(entries) === best).map((entries) => entries.get('id') ?? '')),
  ];
  if (ids.length > 1) {
    return refuse(
      `The pasted text holds ${ids.length} instance responses (ids ${listIds(ids.map(unquote))}): paste one instance's response or id.`,
    );
  }
  return checkFoundId(ids[0] ?? '');
}

/** A GET /instances answer: one item gives its id; several are refused, naming their ids. */
function idsOfList(raw: string): Checked<InstanceId> | undefined {
  const items = splitJsonArray(raw);
  if (items === undefined) {
    return /^\[\s*\{/.test(raw) ? refuse("This is a list of instances: paste one instance's id.") : undefined;
  }
  if (items.length === 0) {
    return refuse(
      "This is an empty list of instances: the account has none yet. Create one, or paste one instance's id.",
    );
  }
  const ids = items.filter((item) => item.startsWith('{')).map((item) => topLevelEntries(item).get('id'));
  const found = ids.filter((id): id is string => id !== undefined);
  if (found.length === 0) return undefined;
  if (items.length === 1) return checkFoundId(found[0] ?? '');
  return refuse(
    `This is a list of ${items.length} instances (ids ${listIds(found.map(unquote))}): paste one instance's id.`,
  );
}

function checkFoundId(raw: string): Checked<InstanceId> {
  const checked = parseInstanceId(unquote(raw));
  if (!checked.ok) return refuse(`The pasted response's "id" is ${raw}: ${checked.message}`);
  return checked;
}

/**
 * An events URL (`…/events/freshdesk/MjA5MzE=`) gives the id in its last
 * segment: base64 (padding optional, `%3D` forgiven) of the id's digits.
 * Undefined when the text is not one events URL.
 */
function idFromEventsUrl(text: string): Checked<InstanceId> | undefined {
  const url = text.replace(/^[<"'(]+|[>"')]+$/g, '');
  if (/[\s{}[\]"]/.test(url)) return undefined;
  const match = /\/events\/+([^/?#]+)\/*([^?#]*)/.exec(url);
  if (!match) return undefined;
  const segment = (match[2] ?? '').replace(/\/+$/, '');
  if (segment === '') {
    return refuse(
      'The events URL ends without the encoded instance ID: paste the whole URL, or enter the instance ID (the "id" of the instance).',
    );
  }
  let suffix = segment;
  try {
    suffix = decodeURIComponent(segment);
  } catch {
    // Not percent-encoding after all: read it as it is.
  }
  const standard = suffix.replace(/-/g, '+').replace(/_/g, '/');
  const padded = standard.length % 4 === 0 ? standard : `${standard}${'='.repeat(4 - (standard.length % 4))}`;
  const decoded = /^[A-Za-z0-9+/]+={0,2}$/.test(standard) ? decodeAsciiBase64(padded) : undefined;
  if (decoded !== undefined && /^\d+$/.test(decoded)) {
    const checked = parseInstanceId(decoded);
    return checked.ok ? checked : refuse(`The events URL's ID ${segment} decodes to ${decoded}. ${checked.message}`);
  }
  const digits = decoded === undefined ? undefined : /^\s*(\d+)\s+$/.exec(decoded)?.[1];
  if (digits !== undefined && !/^0/.test(digits)) {
    return refuse(
      `The events URL ends in ${segment}, which is ${digits} with a line break, encoded (the encoder added a newline). The instance ID is ${digits}: enter ${digits}, and its events URL ends in ${encodeAsciiBase64(digits)}.`,
    );
  }
  if (/^\d+$/.test(segment)) {
    return refuse(
      `The events URL ends in ${segment}, which is not base64: the last part must be the encoded instance ID (${segment} → ${encodeAsciiBase64(segment)}). If ${segment} is the instance ID, enter just ${segment}.`,
    );
  }
  return refuse(
    `The events URL ends in "${shorten(segment)}", which is not the base64 of an instance ID: copy the URL again, or enter the instance ID (the "id" of the instance).`,
  );
}

interface JsonBlock {
  kind: 'object' | 'array';
  raw: string;
}

/**
 * Every top-level JSON object or array in a text, in order, skipping prose
 * and headers between them. A bracket closed by the wrong kind is not JSON
 * and is skipped; one left open at the end (a truncated paste) runs to the end.
 */
function topLevelJson(text: string): JsonBlock[] {
  const blocks: JsonBlock[] = [];
  let index = 0;
  while (index < text.length) {
    const char = text[index];
    if (char === '{' || char === '[') {
      const kind = char === '{' ? 'object' : 'array';
      const end = closingBracket(text, index);
      if (end === 'open') {
        blocks.push({ kind, raw: text.slice(index) });
        break;
      }
      if (end !== 'mismatch') {
        blocks.push({ kind, raw: text.slice(index, end + 1) });
        index = end + 1;
        continue;
      }
    }
    index += 1;
  }
  return blocks;
}

function closingBracket(text: string, open: number): number | 'open' | 'mismatch' {
  const expected: string[] = [];
  let index = open;
  while (index < text.length) {
    const char = text[index];
    if (char === '"') {
      index = endOfString(text, index) + 1;
      continue;
    }
    if (char === '{') expected.push('}');
    else if (char === '[') expected.push(']');
    else if (char === '}' || char === ']') {
      if (expected.pop() !== char) return 'mismatch';
      if (expected.length === 0) return index;
    }
    index += 1;
  }
  return 'open';
}

/**
 * The raw text of each top-level key's value in a JSON-like object (the first
 * occurrence of each key), tolerating syntax errors elsewhere: it tracks only
 * strings and nesting depth, which is all a missing comma or a stray quote
 * leaves intact. Objects and arrays are given as `{…}` and `[…]`.
 */
function topLevelEntries(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  let depth = 0;
  let index = 0;
  while (index < text.length) {
    const char = text[index];
    if (char === '"') {
      const end = endOfString(text, index);
      const key = text.slice(index + 1, end);
      index = end + 1;
      if (depth !== 1 || entries.has(key)) continue;
      const afterColon = /^\s*:\s*/.exec(text.slice(index, index + 100));
      if (!afterColon) continue;
      const valueStart = index + afterColon[0].length;
      const rest = text.slice(valueStart, valueStart + 200);
      const value = /^("(?:[^"\\]|\\.)*"|-?[\w.+-]+|\{|\[)/.exec(rest)?.[0];
      if (value !== undefined) entries.set(key, value === '{' ? '{…}' : value === '[' ? '[…]' : value);
      continue;
    }
    if (char === '{' || char === '[') depth += 1;
    if (char === '}' || char === ']') {
      depth -= 1;
      if (depth === 0) break;
    }
    index += 1;
  }
  return entries;
}

function endOfString(text: string, openQuote: number): number {
  let index = openQuote + 1;
  while (index < text.length && text[index] !== '"') index += text[index] === '\\' ? 2 : 1;
  return index;
}

function unquote(raw: string): string {
  return raw.replace(/^"(.*)"$/s, '$1');
}

function listIds(ids: readonly string[]): string {
  return ids.length > 5 ? `${ids.slice(0, 5).join(', ')}, …` : ids.join(', ');
}

function shorten(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
