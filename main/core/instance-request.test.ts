import { describe, expect, it } from 'vitest';
import {
  buildInstanceRequest,
  checkCallbackUrl,
  curlPreview,
  maskInstanceBody,
  MASK,
  normalizeTags,
  type InstanceAnswers,
} from './instance-request.js';

const answers: InstanceAnswers = {
  name: '  Freshdesk events (acme) ',
  tags: ['prod, freshdesk', ' prod', ''],
  subdomain: 'https://ACME.freshdesk.com/',
  auth: { kind: 'apiKey', apiKey: ' fd/Key+9= ' },
  callbackUrl: 'https://app.example.com/hooks/freshdesk',
};

describe('buildInstanceRequest', () => {
  it('builds the POST /instances body for the freshdesk element', () => {
    expect(buildInstanceRequest(answers)).toEqual({
      ok: true,
      body: {
        element: { key: 'freshdesk' },
        configuration: {
          subdomain: 'acme',
          'api.key': 'fd/Key+9=',
          'event.notification.enabled': 'true',
          'event.notification.callback.url': 'https://app.example.com/hooks/freshdesk',
        },
        tags: ['prod', 'freshdesk'],
        name: 'Freshdesk events (acme)',
      },
    });
  });

  it('uses username and password when asked, keeping the password as typed', () => {
    const result = buildInstanceRequest({
      ...answers,
      auth: { kind: 'password', username: ' a@b.c ', password: ' pw ' },
    });
    expect(result.ok && result.body.configuration).toEqual({
      subdomain: 'acme',
      username: 'a@b.c',
      password: ' pw ',
      'event.notification.enabled': 'true',
      'event.notification.callback.url': 'https://app.example.com/hooks/freshdesk',
    });
  });

  it('names each missing field at once (API key)', () => {
    const result = buildInstanceRequest({
      name: ' ',
      tags: [],
      subdomain: '',
      auth: { kind: 'apiKey', apiKey: '' },
      callbackUrl: '',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((problem) => problem.field)).toEqual(['name', 'subdomain', 'apiKey', 'callbackUrl']);
    expect(result.problems.map((problem) => problem.message)).toEqual([
      'Name the instance, for example "Freshdesk events (acme)".',
      'The Freshdesk subdomain is empty: enter the name before .freshdesk.com, like acme.',
      'Enter the Freshdesk API key (Profile settings > Your API key).',
      "Enter your app's callback URL: the https address where Cloud Elements will POST the events.",
    ]);
  });

  it('names each missing field at once (username and password)', () => {
    const result = buildInstanceRequest({ ...answers, auth: { kind: 'password', username: '', password: '' } });
    expect(result.ok ? [] : result.problems.map((problem) => problem.field)).toEqual(['username', 'password']);
  });

  it('refuses an API key with a space inside, a long name and a long tag', () => {
    const result = buildInstanceRequest({
      ...answers,
      name: 'x'.repeat(201),
      auth: { kind: 'apiKey', apiKey: 'ab cd' },
      tags: ['t'.repeat(101)],
    });
    expect(result.ok ? [] : result.problems.map((problem) => problem.field)).toEqual(['name', 'apiKey', 'tags']);
  });
});

describe('the Freshdesk API key in the answers', () => {
  it('is sent without the whitespace and invisible characters pasted around it', () => {
    const result = buildInstanceRequest({ ...answers, auth: { kind: 'apiKey', apiKey: '\u200b fd/Key+9=\r\n' } });
    expect(result.ok && result.body.configuration['api.key']).toBe('fd/Key+9=');
  });

  it.each([
    ['"AbCdEf123456"', 'The Freshdesk API key has quotes around it: paste only what is between them.'],
    [
      'AbCd Ef123456',
      'The Freshdesk API key has a space inside: secrets never contain spaces. Copy it again, in one piece.',
    ],
    [
      'AbCdEf123456:X',
      `The Freshdesk API key ends with ":X", as in curl's -u KEY:X: paste only the key, without ":X".`,
    ],
  ])('refuses %j saying what is wrong', (apiKey, message) => {
    expect(buildInstanceRequest({ ...answers, auth: { kind: 'apiKey', apiKey } })).toEqual({
      ok: false,
      problems: [{ field: 'apiKey', message }],
    });
  });
});

describe('checkCallbackUrl', () => {
  it('accepts an https endpoint of the app', () => {
    expect(checkCallbackUrl(' https://app.example.com/hooks ')).toEqual({ url: 'https://app.example.com/hooks' });
  });

  it('refuses a #fragment, which is never sent to the server', () => {
    expect(checkCallbackUrl('https://app.example.com/hooks#freshdesk')).toEqual({
      problem:
        'The callback URL has a fragment (#freshdesk): the part after # is never sent to a server, so Cloud Elements would post without it. Remove it, or put that information in the path or query (?).',
    });
    expect(checkCallbackUrl('https://app.example.com/hooks?x=1#')).toEqual({
      problem:
        'The callback URL has a fragment (#): the part after # is never sent to a server, so Cloud Elements would post without it. Remove it, or put that information in the path or query (?).',
    });
    expect(checkCallbackUrl('https://app.example.com/#/routes/freshdesk/events/with/a/long/path').problem).toBe(
      'The callback URL has a fragment (#/routes/freshdesk/events/w...): the part after # is never sent to a server, so Cloud Elements would post without it. Remove it, or put that information in the path or query (?).',
    );
  });

  it('refuses plain http, even on loopback', () => {
    for (const url of ['http://app.example.com/hooks', 'http://127.0.0.1:3000/hooks']) {
      expect(checkCallbackUrl(url).problem).toContain('must start with https://');
    }
  });

  it('refuses the Cloud Elements /events/ URL, which belongs in Freshdesk', () => {
    for (const url of [
      'https://api.cloud-elements.com/elements/api-v2/events/freshdesk/MjA5MzE=',
      'https://api.cloud-elements.co.uk/elements/api-v2/events/freshdesk/',
      'https://api.cloud-elements.com//elements/api-v2/events/icontact',
    ]) {
      expect(checkCallbackUrl(url).problem).toContain('That is a Cloud Elements events URL, which goes into Freshdesk');
    }
  });

  it('refuses what is not a URL and credentials inside the URL', () => {
    expect(checkCallbackUrl('app.example.com/hooks').problem).toContain('is not a URL');
    expect(checkCallbackUrl('https://u:p@app.example.com/hooks').problem).toContain('user name or password');
  });
});

describe('masking', () => {
  const built = buildInstanceRequest({
    ...answers,
    auth: { kind: 'password', username: 'a@b.c', password: 'Pw/123+=' },
  });
  if (!built.ok) throw new Error('fixture is invalid');
  const body = built.body;

  it('masks the API key and the password, and nothing else, without touching the original', () => {
    const withKey = buildInstanceRequest(answers);
    if (!withKey.ok) throw new Error('fixture is invalid');
    expect(maskInstanceBody(withKey.body).configuration['api.key']).toBe(MASK);
    const masked = maskInstanceBody(body);
    expect(masked.configuration).toEqual({ ...body.configuration, password: MASK });
    expect(body.configuration['password']).toBe('Pw/123+=');
    expect(MASK).toBe('********');
  });

  it('shows a curl command with no secret in it', () => {
    const curl = curlPreview('https://api.cloud-elements.com/elements/api-v2', body);
    expect(curl).not.toContain('Pw/123+=');
    expect(curl).toContain(`-H 'Authorization: User ${MASK}, Organization ${MASK}'`);
    expect(curl.split('\n')[0]).toBe("curl -X POST 'https://api.cloud-elements.com/elements/api-v2/instances' \\");
    expect(curl).toContain("-H 'Content-Type: application/json'");
  });

  it('escapes a quote in the name so the curl command stays one argument', () => {
    const curl = curlPreview('https://x.example.com/elements/api-v2', { ...body, name: "Bob's" });
    expect(curl).toContain(`"name": "Bob'\\''s"`);
  });
});

describe('normalizeTags', () => {
  it('splits on commas, trims, drops empties and duplicates', () => {
    expect(normalizeTags(' a, b,,a ,c ')).toEqual(['a', 'b', 'c']);
    expect(normalizeTags(['x,y', ' x', ''])).toEqual(['x', 'y']);
  });
});

describe('freshdeskv2 (events by polling)', () => {
  const v2 = {
    name: 'Freshdesk v2 (acme)',
    tags: [],
    subdomain: 'acme.freshdesk.com',
    auth: { kind: 'apiKey' as const, apiKey: 'v2-key' },
    callbackUrl: 'https://app.example.com/events',
    element: 'freshdeskv2' as const,
    polling: { refreshIntervalMinutes: 15, resources: ['incidents' as const] },
  };

  it('sends the API key as username and the poller configuration for the chosen resources', () => {
    const result = buildInstanceRequest(v2);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.body.element).toEqual({ key: 'freshdeskv2' });
    expect(result.body.configuration).toMatchObject({
      subdomain: 'acme',
      username: 'v2-key',
      'event.notification.enabled': 'true',
      'event.notification.callback.url': 'https://app.example.com/events',
      'event.vendor.type': 'polling',
      'event.poller.refresh_interval': '15',
    });
    expect(result.body.configuration['api.key']).toBeUndefined();
    const poller = result.body.configuration['event.poller.configuration'] as Record<string, { url: string }>;
    expect(Object.keys(poller)).toEqual(['incidents']);
    expect(poller['incidents']?.url).toBe(
      "/hubs/helpdesk/incidents?where=updated_since='${gmtDate:yyyy-MM-dd'T'HH:mm:ss'Z'}'",
    );
  });

  it('masks the API key held in username', () => {
    const result = buildInstanceRequest(v2);
    if (!result.ok) throw new Error('expected a body');
    expect(maskInstanceBody(result.body).configuration['username']).toBe('********');
    expect(JSON.stringify(maskInstanceBody(result.body))).not.toContain('v2-key');
  });

  it('refuses a password, a bad interval and no resource, naming each', () => {
    const result = buildInstanceRequest({
      ...v2,
      auth: { kind: 'password', username: 'a@b.c', password: 'pw' },
      polling: { refreshIntervalMinutes: 0.5, resources: [] },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((problem) => problem.field)).toEqual(['authKind', 'refreshInterval', 'resources']);
  });
});
