import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apiBaseFromUrl, resolveApiBase, type ApiBase } from './api-base.js';
import { buildEventsUrl, encodeInstanceId, isEventsEndpoint } from './events-url.js';
import { parseInstanceId, type InstanceId } from './instance-id.js';

interface EventsUrlCase {
  instanceId: string;
  host?: string;
  element?: string;
  expected?: string;
  expectedError?: string;
}

const { cases } = JSON.parse(readFileSync(new URL('./cases/events-url.json', import.meta.url), 'utf8')) as {
  cases: EventsUrlCase[];
};

/** The whole path a typed id takes: host → API base, id → checked id → events URL. */
function eventsUrlFor(input: { instanceId: string; host?: string | undefined; element?: string | undefined }) {
  const base = resolveApiBase({ host: input.host });
  if (!base.ok) return base;
  const id = parseInstanceId(input.instanceId);
  if (!id.ok) return id;
  return buildEventsUrl(base.value, id.value, input.element);
}

function base(url: string): ApiBase {
  const checked = apiBaseFromUrl(url);
  if (!checked.ok) throw new Error(checked.message);
  return checked.value;
}

function id(text: string): InstanceId {
  const checked = parseInstanceId(text);
  if (!checked.ok) throw new Error(checked.message);
  return checked.value;
}

describe('events URL cases (cases/events-url.json)', () => {
  it('has the handed cases', () => {
    expect(cases).toHaveLength(12);
  });

  for (const testCase of cases.filter((c) => c.expected !== undefined)) {
    it(`${JSON.stringify(testCase.instanceId)}${testCase.host ? ` on ${testCase.host}` : ''}${testCase.element ? ` for ${testCase.element}` : ''} → ${testCase.expected}`, () => {
      const result = eventsUrlFor(testCase);
      expect(result).toMatchObject({ ok: true });
      if (result.ok) expect(result.value.url).toBe(testCase.expected);
    });
  }

  for (const testCase of cases.filter((c) => c.expectedError !== undefined)) {
    // The key idea is the part before any colon: "already encoded: say so" → "already encoded".
    const idea = (testCase.expectedError ?? '').split(':')[0] ?? '';
    it(`${JSON.stringify(testCase.instanceId)} is refused: ${idea}`, () => {
      const result = eventsUrlFor(testCase);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message.toLowerCase()).toContain(idea.toLowerCase());
    });
  }

  it('says which plain id an already encoded one stands for', () => {
    const result = parseInstanceId('MjA5MzE=');
    expect(result).toEqual({
      ok: false,
      message:
        '"MjA5MzE=" is already encoded: it is the base64 form of 20931. Enter the plain instance ID 20931 and the app encodes it.',
    });
  });
});

describe('base64 of the instance id', () => {
  /** Deterministic, so a failure can be reproduced. */
  function* randomIds(count: number): Generator<string> {
    let state = 0x2545f491;
    const next = () => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return (state >>> 0) / 2 ** 32;
    };
    for (let n = 0; n < count; n += 1) {
      // Up to 19 digits, the most a 64-bit id has (a 19-digit one starting with 1-8 stays below 2^63).
      const length = 1 + Math.floor(next() * 19);
      let digits = String(1 + Math.floor(next() * (length === 19 ? 8 : 9)));
      while (digits.length < length) digits += String(Math.floor(next() * 10));
      yield digits;
    }
  }

  it('is standard base64 with padding and never holds + / - _ or a newline (every id up to 200,000, and 20,000 long ones)', () => {
    const ids = [...Array.from({ length: 200_000 }, (_, n) => String(n + 1)), ...randomIds(20_000)];
    let checked = 0;
    for (const text of ids) {
      const encoded = encodeInstanceId(id(text));
      if (encoded !== Buffer.from(text).toString('base64') || /[+/\-_\n\r]/.test(encoded)) {
        throw new Error(`id ${text} encodes as ${encoded}`);
      }
      checked += 1;
    }
    expect(checked).toBe(220_000);
  });

  it('pads by the number of digits (len % 3): 1 → "==", 2 → "=", 0 → none', () => {
    expect(encodeInstanceId(id('1234'))).toBe('MTIzNA==');
    expect(encodeInstanceId(id('20931'))).toBe('MjA5MzE=');
    expect(encodeInstanceId(id('471196'))).toBe('NDcxMTk2');
  });

  it('is never the form with a trailing newline that `echo 20931 | base64` gives', () => {
    expect(encodeInstanceId(id(' 20931\n'))).toBe('MjA5MzE=');
    expect(encodeInstanceId(id('20931\r\n'))).not.toBe('MjA5MzEK');
  });

  it('keeps every digit of ids past 2^53', () => {
    for (const big of ['9007199254740993', '7233009987013018151', '9223372036854775807']) {
      const result = buildEventsUrl(base('https://api.cloud-elements.com'), id(big));
      expect(result.ok).toBe(true);
      if (!result.ok) continue;
      expect(result.value.instanceId).toBe(big);
      expect(Buffer.from(result.value.encodedId, 'base64').toString()).toBe(big);
    }
    expect(encodeInstanceId(id('7233009987013018151'))).toBe('NzIzMzAwOTk4NzAxMzAxODE1MQ==');
  });
});

describe('buildEventsUrl', () => {
  const us = base('https://api.cloud-elements.com/elements/api-v2');

  it('never percent-escapes the padding and never doubles a slash', () => {
    const result = buildEventsUrl(base('https://api.cloud-elements.com//elements//api-v2//'), id('1234'));
    expect(result).toEqual({
      ok: true,
      value: {
        instanceId: '1234',
        encodedId: 'MTIzNA==',
        url: 'https://api.cloud-elements.com/elements/api-v2/events/freshdesk/MTIzNA==',
      },
    });
  });

  it('refuses freshdeskv2, which polls and has no events URL', () => {
    const result = buildEventsUrl(us, id('20931'), 'freshdeskv2');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain('polling');
  });

  it('refuses something that is not an element key', () => {
    for (const key of ['Fresh Desk', 'freshdesk/', '../x', '']) {
      expect(buildEventsUrl(us, id('20931'), key).ok).toBe(false);
    }
  });

  it('recognises events endpoints (what Freshdesk posts to)', () => {
    expect(isEventsEndpoint(new URL('https://api.cloud-elements.com/elements/api-v2/events/freshdesk/MjA5MzE='))).toBe(
      true,
    );
    expect(isEventsEndpoint(new URL('https://api.cloud-elements.com//elements/api-v2/events'))).toBe(true);
    expect(isEventsEndpoint(new URL('https://app.example.com/hooks/events'))).toBe(false);
  });
});
