import type { ApiBase } from './api-base.js';
import { encodeAsciiBase64 } from './base64.js';
import { accept, refuse, type Checked } from './errors.js';
import type { InstanceId } from './instance-id.js';

/** The webhook-based Freshdesk element; `freshdeskv2` delivers events by polling instead. */
export const WEBHOOK_ELEMENT = 'freshdesk';
export const POLLING_ELEMENTS: readonly string[] = ['freshdeskv2'];

/** Base64 of the id's decimal digits: standard alphabet, padding kept, no newline. */
export function encodeInstanceId(id: InstanceId): string {
  return encodeAsciiBase64(id);
}

export interface EventsUrl {
  instanceId: InstanceId;
  encodedId: string;
  url: string;
}

/** `https://<host>/elements/api-v2/events/<element>/<base64 id>`: the URL the provider (Freshdesk) posts to. */
export function buildEventsUrl(
  base: ApiBase,
  id: InstanceId,
  elementKey: string = WEBHOOK_ELEMENT,
): Checked<EventsUrl> {
  const key = elementKey.trim();
  if (POLLING_ELEMENTS.includes(key)) {
    return refuse(`The ${key} element receives events by polling: it has no events URL and needs no Freshdesk rule.`);
  }
  if (!/^[a-z][a-z0-9]*$/.test(key)) {
    return refuse(`"${elementKey}" is not an element key: use lower-case letters and digits, like freshdesk.`);
  }
  const encodedId = encodeInstanceId(id);
  return accept({ instanceId: id, encodedId, url: `${base}/events/${key}/${encodedId}` });
}

/** True when a URL points at a Cloud Elements events endpoint (what Freshdesk posts to, never a callback URL). */
export function isEventsEndpoint(url: URL): boolean {
  return /\/elements\/api-v2\/events(\/|$)/.test(url.pathname.replace(/\/{2,}/g, '/'));
}
