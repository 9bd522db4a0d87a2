/**
 * Standard base64 (RFC 4648 alphabet, with padding) of an ASCII string.
 * Written over btoa so the same code runs in Node and in the renderer.
 * Never adds a newline and never percent-escapes the padding.
 */
export function encodeAsciiBase64(text: string): string {
  if (!/^[\x20-\x7e]*$/.test(text)) throw new Error('encodeAsciiBase64 takes printable ASCII only');
  return btoa(text);
}

/** Decodes standard base64 to ASCII, or returns undefined when the text is not canonical base64. */
export function decodeAsciiBase64(text: string): string | undefined {
  if (text.length === 0 || text.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
  try {
    return atob(text);
  } catch {
    return undefined;
  }
}
