/**
 * The raw text of each element of a top-level JSON array, so that a caller can
 * read a field's exact digits (see extractInstanceId) instead of a float.
 * Returns undefined when the text is not an array. Expects text that
 * JSON.parse has already accepted: it only tracks strings and nesting.
 */
export function splitJsonArray(text: string): string[] | undefined {
  const body = text.trim();
  if (!body.startsWith('[')) return undefined;
  const items: string[] = [];
  let depth = 0;
  let start = 1;
  for (let index = 0; index < body.length; index += 1) {
    const char = body[index];
    if (char === '"') {
      index += 1;
      while (index < body.length && body[index] !== '"') index += body[index] === '\\' ? 2 : 1;
    } else if (char === '[' || char === '{') {
      depth += 1;
    } else if (char === ']' || char === '}') {
      depth -= 1;
      if (depth === 0) {
        const last = body.slice(start, index).trim();
        if (last !== '') items.push(last);
        return items;
      }
    } else if (char === ',' && depth === 1) {
      items.push(body.slice(start, index).trim());
      start = index + 1;
    }
  }
  return undefined;
}
