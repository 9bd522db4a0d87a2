import { describe, expect, it } from 'vitest';
import { exitCodeFor, type ErrorKind } from './errors.js';
import { splitJsonArray } from './json-array.js';
import { redactSecrets } from './redact.js';

describe('exitCodeFor', () => {
  it('maps each kind to the CLI contract: 2 input, 3 credentials or keychain, 4 network or server', () => {
    const kinds: ErrorKind[] = [
      'invalid-input',
      'bad-request',
      'conflict',
      'credentials',
      'keychain',
      'timeout',
      'network',
      'server',
      'unreadable',
      'cancelled',
    ];
    expect(kinds.map(exitCodeFor)).toEqual([2, 2, 2, 3, 3, 4, 4, 4, 4, 4]);
  });
});

describe('redactSecrets', () => {
  it('masks each secret as typed, JSON-escaped and percent-encoded', () => {
    const secret = 'a/b+c="d"=';
    const text = `raw ${secret} json ${JSON.stringify(secret)} url ${encodeURIComponent(secret)}`;
    expect(redactSecrets(text, [secret, ''])).toBe('raw ******** json "********" url ********');
  });

  it('masks the longer of two overlapping secrets whole', () => {
    expect(redactSecrets('x abcdef y', ['abc', 'abcdef'])).toBe('x ******** y');
  });

  it('leaves text without secrets alone', () => {
    expect(redactSecrets('nothing here', ['s3cret'])).toBe('nothing here');
  });

  it('masks a 1-3 character secret only where it stands as a whole token', () => {
    expect(redactSecrets('error: e is wrong (e), see e.', ['e'])).toBe(
      'error: ******** is wrong (********), see ********.',
    );
    expect(redactSecrets('unknown option --password p', ['p'])).toBe('unknown option --password ********');
    expect(redactSecrets('tab ab, "ab" [ab] abc xab ab_ a-ab', ['ab'])).toBe(
      'tab ********, "********" [********] abc xab ab_ a-ab',
    );
    expect(redactSecrets('x/y is x/yz, not wx/y', ['x/y'])).toBe('******** is x/yz, not wx/y');
    expect(redactSecrets('com at api.cloud-elements.com, com.', ['com'])).toBe(
      '******** at api.cloud-elements.com, ********.',
    );
  });

  it('masks short secrets in the header, after key=, JSON-escaped and percent-encoded', () => {
    expect(redactSecrets('Authorization: User ab, Organization cd', ['ab', 'cd'])).toBe(
      'Authorization: User ********, Organization ********',
    );
    expect(redactSecrets('GET /x?api_key=k1&user=k1x', ['k1'])).toBe('GET /x?api_key=********&user=k1x');
    expect(redactSecrets('auth=User%20ab%2C%20Organization%20c%2Bd', ['ab', 'c+d'])).toBe(
      'auth=User%20********%2C%20Organization%20********',
    );
    expect(redactSecrets('{"message":"line\\nab\\tcd"}', ['ab', 'cd'])).toBe(
      '{"message":"line\\n********\\t********"}',
    );
    expect(redactSecrets('{"s":"a\\"b"}', ['a"b'])).toBe('{"s":"********"}');
  });

  it('leaves a short secret that is part of a longer token, also through escapes', () => {
    expect(redactSecrets('abc== x%2Babc abc%3D \\/abc abc\\/', ['abc'])).toBe('abc== x%2Babc abc%3D \\/abc abc\\/');
  });

  it('masks real-looking base64 secrets in every form, and wherever they appear', () => {
    const user = 'Hx3k/9QzL+aW2mB7vT0pYc4R8sNdE1fG5uJ6oK+iP0A=';
    const org = 'q0P9o8I7u6Y5t4R3e2W1/+Zx==';
    const cases: [string, string][] = [
      [`Authorization: User ${user}, Organization ${org}`, 'Authorization: User ********, Organization ********'],
      [
        JSON.stringify({ auth: `User ${user}, Organization ${org}` }),
        '{"auth":"User ********, Organization ********"}',
      ],
      [`{"auth":"User ${user.replace(/\//g, '\\/')}"}`, '{"auth":"User ********"}'],
      [
        `a=${encodeURIComponent(`User ${user}, Organization ${org}`)}`,
        'a=User%20********%2C%20Organization%20********',
      ],
      [
        `a=User+${encodeURIComponent(user)}%2C+Organization+${encodeURIComponent(org)}`,
        'a=User+********%2C+Organization+********',
      ],
      [`token:${user}${org}`, 'token:****************'],
    ];
    for (const [text, expected] of cases) expect(redactSecrets(text, [user, org])).toBe(expected);
  });
});

describe('splitJsonArray', () => {
  it('returns the raw text of each element, with strings holding commas and brackets', () => {
    const text = ' [ {"id":9007199254740993,"name":"a, [b]"} , {"id":2,"x":{"y":[1,2]}}, "s\\"]", 3 ] ';
    expect(splitJsonArray(text)).toEqual([
      '{"id":9007199254740993,"name":"a, [b]"}',
      '{"id":2,"x":{"y":[1,2]}}',
      '"s\\"]"',
      '3',
    ]);
  });

  it('handles an empty array and refuses what is not an array', () => {
    expect(splitJsonArray('[]')).toEqual([]);
    expect(splitJsonArray('[ ]')).toEqual([]);
    expect(splitJsonArray('{"a":1}')).toBeUndefined();
    expect(splitJsonArray('[1,2')).toBeUndefined();
  });
});
