import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toYaml } from './yaml.ts';

describe('toYaml', () => {
  it('quotes what YAML 1.1 readers (kubectl, the API server) would take for booleans or numbers', () => {
    const yaml = toYaml({
      properties: { x: 1, y: 2, n: 'no', on: 'yes', mode: '0755' },
      required: ['x', 'y'],
    });
    assert.match(yaml, /^ {2}"y": 2$/m);
    assert.match(yaml, /^ {2}"n": "no"$/m);
    assert.match(yaml, /^ {2}"on": "yes"$/m);
    assert.match(yaml, /^ {2}mode: "0755"$/m);
    assert.match(yaml, /^ {2}- "y"$/m);
    assert.match(yaml, /^ {2}x: 1$/m);
  });

  it('sorts keys and writes no YAML directive', () => {
    const yaml = toYaml({ b: 1, a: 2 });
    assert.doesNotMatch(yaml, /%YAML/);
    assert.ok(yaml.indexOf('a: 2') < yaml.indexOf('b: 1'));
  });
});
