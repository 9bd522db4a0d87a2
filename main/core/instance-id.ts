import { decodeAsciiBase64 } from './base64.js';
import { accept, refuse, type Checked } from './errors.js';

/**
 * An instance id is kept as its string of decimal digits from start to end:
 * a JSON number would lose digits past 2^53 and a float would print as 2.0931e4.
 */
export type InstanceId = string & { readonly __brand: 'InstanceId' };

/** Checks an id that the user typed. Whitespace around it (a pasted newline) is dropped. */
export function parseInstanceId(input: string): Checked<InstanceId> {
  const text = input.trim();
  if (text === '') return refuse('The instance ID is empty: enter the number from the "id" field of the instance.');
  if (/^\d+$/.test(text)) {
    if (/^0/.test(text)) {
      return refuse(
        `The instance ID ${text} starts with 0: Cloud Elements IDs never do. Check that you copied the whole "id".`,
      );
    }
    return accept(text as InstanceId);
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
 * response (valid or not, like the seed's copy with a missing comma), or curl
 * output with headers before the body. Only the top-level "id" counts: never
 * "token", "element.id", "elementId" or "user.id".
 */
export function extractInstanceId(pasted: string): Checked<InstanceId> {
  const text = pasted.trim();
  const bodyStart = text.indexOf('{');
  if (bodyStart === -1) return parseInstanceId(text);
  const found = findTopLevelValue(text.slice(bodyStart), 'id');
  if (found === undefined) {
    return refuse('The pasted text has no top-level "id" field: paste the whole response of the create-instance call.');
  }
  const raw = found.replace(/^"(.*)"$/s, '$1');
  const checked = parseInstanceId(raw);
  if (!checked.ok) return refuse(`The pasted response's "id" is ${found}: ${checked.message}`);
  return checked;
}

/**
 * Reads the raw text of `key`'s value in the outermost object of a JSON-like
 * text, tolerating syntax errors elsewhere: it tracks only strings and
 * nesting depth, which is all a missing comma or a stray quote leaves intact.
 */
function findTopLevelValue(text: string, key: string): string | undefined {
  let depth = 0;
  let index = 0;
  while (index < text.length) {
    const char = text[index];
    if (char === '"') {
      const end = endOfString(text, index);
      const str = text.slice(index + 1, end);
      index = end + 1;
      if (depth === 1 && str === key) {
        const afterColon = /^\s*:\s*/.exec(text.slice(index));
        if (afterColon) {
          const valueStart = index + afterColon[0].length;
          const value = /^("(?:[^"\\]|\\.)*"|-?[\w.+-]+)/.exec(text.slice(valueStart));
          if (value) return value[0];
        }
      }
      continue;
    }
    if (char === '{' || char === '[') depth += 1;
    if (char === '}' || char === ']') {
      depth -= 1;
      if (depth === 0) return undefined;
    }
    index += 1;
  }
  return undefined;
}

function endOfString(text: string, openQuote: number): number {
  let index = openQuote + 1;
  while (index < text.length && text[index] !== '"') index += text[index] === '\\' ? 2 : 1;
  return index;
}

function shorten(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
