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
