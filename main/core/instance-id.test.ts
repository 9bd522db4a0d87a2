import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveApiBase } from './api-base.js';
import { buildEventsUrl } from './events-url.js';
import { extractInstanceId, parseInstanceId } from './instance-id.js';

const caseFile = (name: string) => readFileSync(new URL(`./cases/${name}`, import.meta.url), 'utf8');

describe('the instance id out of a create-instance response (cases/cloud-elements/)', () => {
  it('reads id 1234 from the valid response, not token, element.id (130) or user.id (5678)', () => {
    const text = caseFile('create-instance-response.json');
    expect(extractInstanceId(text)).toEqual({ ok: true, value: '1234' });
  });

  it('reads id 1234 from the seed response as pasted, invalid JSON included', () => {
    const text = caseFile('pasted-response.txt');
    expect(() => JSON.parse(text) as unknown).toThrow();
    expect(extractInstanceId(text)).toEqual({ ok: true, value: '1234' });
  });

  it('turns the pasted response into the events URL ending in MTIzNA==', () => {
    const id = extractInstanceId(caseFile('pasted-response.txt'));
    const base = resolveApiBase({});
    expect(id.ok && base.ok).toBe(true);
    if (!id.ok || !base.ok) return;
    const result = buildEventsUrl(base.value, id.value);
    expect(result.ok && result.value.url).toBe(
      'https://api.cloud-elements.com/elements/api-v2/events/freshdesk/MTIzNA==',
    );
  });

  it('never takes an id from a nested object, even when the top-level id comes last', () => {
    const text =
      '{"element":{"id":130,"key":"freshdesk"},"user":{"id":5678},"token":"abc/+=","elementId":491,"id":12345}';
    expect(extractInstanceId(text)).toEqual({ ok: true, value: '12345' });
  });

  it('refuses a response whose only ids are nested', () => {
    const result = extractInstanceId('{"element":{"id":130},"user":{"id":5678},"elementId":491}');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain('no top-level "id"');
  });

  it('reads a string id and curl output with headers before the body', () => {
    expect(extractInstanceId('{"id": "20931", "name": "x"}')).toEqual({ ok: true, value: '20931' });
    expect(extractInstanceId('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{"id":20931}')).toEqual({
      ok: true,
      value: '20931',
    });
  });

  it('keeps every digit of a JSON id past 2^53', () => {
    expect(extractInstanceId('{"id":9007199254740993,"name":"big"}')).toEqual({ ok: true, value: '9007199254740993' });
  });

  it('refuses a negative, fractional or non-numeric id in a response', () => {
    for (const [text, idea] of [
      ['{"id":-5}', 'negative'],
      ['{"id":12.5}', 'not a whole number'],
      ['{"id":"abc"}', 'not a number'],
      ['{"id":null}', 'not a number'],
    ] as const) {
      const result = extractInstanceId(text);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toContain(idea);
    }
  });
});

describe('parseInstanceId', () => {
  it('accepts digits with whitespace around, and keeps them as a string', () => {
    expect(parseInstanceId('\t20931 \r\n')).toEqual({ ok: true, value: '20931' });
  });

  it.each([
    ['020931', 'starts with 0'],
    ['2.0931e4', 'not a number'],
    ['20,931', 'not a whole number'],
    ['- 5', 'negative'],
    ['1 2 3', 'two numbers'],
  ])('refuses %j (%s)', (input, idea) => {
    const result = parseInstanceId(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(idea);
  });
});

describe('extractInstanceId from a terminal session', () => {
  const response =
    '{"id":20931,"name":"Freshdesk events (acme)","token":"/sO6vVsB2eXhOlgvNR/p+G7wC/+rhY5M=","element":{"id":130,"key":"freshdesk"},"user":{"id":5678},"createdDate":"2024-05-01T10:00:00Z"}';
  const instanceJson = JSON.stringify(
    {
      element: { key: 'freshdesk' },
      configuration: { subdomain: 'acme', 'api.key': 'k', 'event.notification.enabled': 'true' },
      tags: [],
      name: 'Freshdesk events (acme)',
    },
    null,
    2,
  );

  it('reads the response after the curl command that carries the body inline', () => {
    const session = [
      "$ curl -X POST 'https://api.cloud-elements.com/elements/api-v2/instances' \\",
      "  -H 'Authorization: User ********, Organization ********' \\",
      "  -H 'Content-Type: application/json' \\",
      `  -d '${JSON.stringify(JSON.parse(instanceJson))}'`,
      response,
      '$ ',
    ].join('\n');
    expect(extractInstanceId(session)).toEqual({ ok: true, value: '20931' });
  });

  it('reads the response after instance.json, even when instance.json has an id of its own', () => {
    const withId = `{"id": 77, "element": {"key": "freshdesk"}, "name": "copied from an old response"}`;
    for (const first of [instanceJson, withId]) {
      const session = `$ cat instance.json\n${first}\n$ curl -s -X POST … -d @instance.json\n${response}\n`;
      expect(extractInstanceId(session)).toEqual({ ok: true, value: '20931' });
    }
  });

  it('reads curl -i and curl -v output, trace lines included', () => {
    const headers = 'HTTP/2 200\r\ncontent-type: application/json\r\nelements-request-id: 5f1e\r\n\r\n';
    expect(extractInstanceId(`${headers}${response}`)).toEqual({ ok: true, value: '20931' });
    const verbose = [
      '> POST /elements/api-v2/instances HTTP/2',
      '> content-type: application/json',
      '} [241 bytes data]',
      '< HTTP/2 200',
      '< content-type: application/json',
      '{ [512 bytes data]',
      response,
      '* Connection #0 to host api.cloud-elements.com left intact',
    ].join('\n');
    expect(extractInstanceId(verbose)).toEqual({ ok: true, value: '20931' });
  });

  it('reads the seed response (invalid JSON) after its curl command', () => {
    const session = `$ curl -X POST https://api.cloud-elements.com/elements/api-v2/instances -d @instance.json\n${caseFile('pasted-response.txt')}`;
    expect(extractInstanceId(session)).toEqual({ ok: true, value: '1234' });
  });

  it('refuses two instance responses, naming both ids', () => {
    const second = response.replace('"id":20931', '"id":20932');
    expect(extractInstanceId(`${response}\n${second}`)).toEqual({
      ok: false,
      message: "The pasted text holds 2 instance responses (ids 20931, 20932): paste one instance's response or id.",
    });
  });

  it('reads a single "id" line copied out of a response', () => {
    expect(extractInstanceId('"id": 20931,')).toEqual({ ok: true, value: '20931' });
    expect(extractInstanceId('id: "20931"')).toEqual({ ok: true, value: '20931' });
  });
});

describe('extractInstanceId from a GET /instances list', () => {
  const item = (id: number) => `{"id":${id},"name":"i${id}","element":{"id":130,"key":"freshdesk"},"token":"t${id}"}`;

  it('takes the id of a one-item list', () => {
    expect(extractInstanceId(`[${item(20931)}]`)).toEqual({ ok: true, value: '20931' });
    expect(extractInstanceId(`HTTP/1.1 200 OK\r\n\r\n[\n  ${item(471196)}\n]`)).toEqual({ ok: true, value: '471196' });
  });

  it('refuses a list of several, naming their ids', () => {
    expect(extractInstanceId(`[${item(20931)},${item(20932)},${item(20933)}]`)).toEqual({
      ok: false,
      message: "This is a list of 3 instances (ids 20931, 20932, 20933): paste one instance's id.",
    });
    const many = `[${[1, 2, 3, 4, 5, 6, 7].map((n) => item(20930 + n)).join(',')}]`;
    expect(extractInstanceId(many)).toEqual({
      ok: false,
      message: "This is a list of 7 instances (ids 20931, 20932, 20933, 20934, 20935, …): paste one instance's id.",
    });
  });

  it('refuses an empty list', () => {
    expect(extractInstanceId('[]')).toEqual({
      ok: false,
      message: "This is an empty list of instances: the account has none yet. Create one, or paste one instance's id.",
    });
  });
});

describe('extractInstanceId from an events URL', () => {
  const base = 'https://api.cloud-elements.com/elements/api-v2/events/freshdesk';

  it.each([
    `${base}/MjA5MzE=`,
    ` ${base}/MjA5MzE=\n`,
    `${base}/MjA5MzE%3D`,
    `${base}/MjA5MzE`,
    `${base}/MjA5MzE=/`,
    `<${base}/MjA5MzE=>`,
    'https://api.cloud-elements.co.uk/elements/api-v2/events/freshdesk/MjA5MzE=?x=1',
  ])('decodes %j to 20931', (pasted) => {
    expect(extractInstanceId(pasted)).toEqual({ ok: true, value: '20931' });
  });

  it('refuses a suffix encoded with a trailing newline, giving the id and the right suffix', () => {
    expect(extractInstanceId(`${base}/MjA5MzEK`)).toEqual({
      ok: false,
      message:
        'The events URL ends in MjA5MzEK, which is 20931 with a line break, encoded (the encoder added a newline). The instance ID is 20931: enter 20931, and its events URL ends in MjA5MzE=.',
    });
  });

  it('refuses a suffix that is the id unencoded', () => {
    expect(extractInstanceId(`${base}/20931`)).toEqual({
      ok: false,
      message:
        'The events URL ends in 20931, which is not base64: the last part must be the encoded instance ID (20931 → MjA5MzE=). If 20931 is the instance ID, enter just 20931.',
    });
  });

  it('refuses a suffix that is not base64 of digits, or no suffix at all', () => {
    expect(extractInstanceId(`${base}/aGVsbG8=`)).toEqual({
      ok: false,
      message:
        'The events URL ends in "aGVsbG8=", which is not the base64 of an instance ID: copy the URL again, or enter the instance ID (the "id" of the instance).',
    });
    expect(extractInstanceId(`${base}/`)).toEqual({
      ok: false,
      message:
        'The events URL ends without the encoded instance ID: paste the whole URL, or enter the instance ID (the "id" of the instance).',
    });
    expect(extractInstanceId(`${base}/MA==`)).toEqual({
      ok: false,
      message:
        'The events URL\'s ID MA== decodes to 0. The instance ID 0 is zero: Cloud Elements numbers instances from 1. Copy the "id" of your instance again.',
    });
  });
});

describe('instance ids that cannot be', () => {
  it('accepts the largest 64-bit id and refuses anything longer or larger', () => {
    expect(parseInstanceId('9223372036854775807')).toEqual({ ok: true, value: '9223372036854775807' });
    const tooLong = (shown: string) => ({
      ok: false,
      message: `${shown} is too long to be an instance ID: Cloud Elements IDs are at most 9223372036854775807 (19 digits). Check that you copied only the "id".`,
    });
    expect(parseInstanceId('9223372036854775808')).toEqual(tooLong('9223372036854775808'));
    expect(parseInstanceId('12345678901234567890')).toEqual(tooLong('12345678901234567890'));
    expect(parseInstanceId('1'.repeat(60))).toEqual(tooLong(`${'1'.repeat(37)}...`));
    expect(extractInstanceId('{"id":99999999999999999999}')).toEqual({
      ok: false,
      message: `The pasted response's "id" is 99999999999999999999: ${tooLong('99999999999999999999').message}`,
    });
  });

  it('refuses 0 as zero', () => {
    expect(parseInstanceId('0')).toEqual({
      ok: false,
      message:
        'The instance ID 0 is zero: Cloud Elements numbers instances from 1. Copy the "id" of your instance again.',
    });
    expect(extractInstanceId('{"id":0}')).toEqual({
      ok: false,
      message:
        'The pasted response\'s "id" is 0: The instance ID 0 is zero: Cloud Elements numbers instances from 1. Copy the "id" of your instance again.',
    });
  });

  it('asks for ordinary digits instead of full-width or other scripts', () => {
    expect(parseInstanceId('２０９３１')).toEqual({
      ok: false,
      message: '"２０９３１" is written in full-width digits: use ordinary digits (20931).',
    });
    expect(extractInstanceId(' ２０９３１\n')).toEqual({
      ok: false,
      message: '"２０９３１" is written in full-width digits: use ordinary digits (20931).',
    });
    expect(parseInstanceId('٢٠٩٣١')).toEqual({
      ok: false,
      message: '"٢٠٩٣١" has digits other than 0-9: use ordinary digits.',
    });
  });
});
