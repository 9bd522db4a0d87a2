import { MASK } from './instance-request.js';

/**
 * Replaces every occurrence of each secret in a text that is about to be shown
 * (a server's error message, a network error) with the mask: as typed, as it
 * would appear inside a JSON string, and percent-encoded. Longest first, so a
 * secret that contains another is masked whole.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret === '') continue;
    forms.add(secret);
    forms.add(JSON.stringify(secret).slice(1, -1));
    forms.add(encodeURIComponent(secret));
  }
  let result = text;
  for (const form of [...forms].sort((a, b) => b.length - a.length)) {
    result = result.split(form).join(MASK);
  }
  return result;
}
