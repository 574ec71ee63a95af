import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSelector, toSelector } from './label-selector-parser.ts';
import {
  createRequirement,
  everything,
  LabelSelectorError,
  nothing,
  selectorFromLabelSelector,
  selectorFromSet,
  selectorToLabelSelector,
} from './label-selector.ts';

function parseError(input: string): LabelSelectorError {
  try {
    parseSelector(input);
  } catch (error) {
    assert.ok(error instanceof LabelSelectorError, `expected LabelSelectorError, got ${String(error)}`);
    return error;
  }
  assert.fail(`expected ${JSON.stringify(input)} to be rejected`);
}

describe('label selector grammar', () => {
  const valid: [string, string][] = [
    ['', ''],
    ['x=a', 'x=a'],
    ['x==a', 'x==a'],
    ['x!=a', 'x!=a'],
    ['x', 'x'],
    ['!x', '!x'],
    ['x in (a,b)', 'x in (a,b)'],
    ['x notin (b,a)', 'x notin (a,b)'],
    ['  x  in  ( a , b )  ', 'x in (a,b)'],
    ['x=a,y!=b,!z,w', 'w,x=a,y!=b,!z'],
    ['x=', 'x='],
    ['x=,y=b', 'x=,y=b'],
    ['x in ()', 'x in ()'],
    ['x in (a,)', 'x in (,a)'],
    ['x>1', 'x>1'],
    ['x<1', 'x<1'],
    ['example.com/app=web', 'example.com/app=web'],
    ['a.b-c_d=e.f-g_h', 'a.b-c_d=e.f-g_h'],
    ['in=notin', 'in=notin'],
    ['x in (in,notin)', 'x in (in,notin)'],
  ];
  for (const [input, canonical] of valid) {
    it(`parses ${JSON.stringify(input)} as ${JSON.stringify(canonical)}`, () => {
      const selector = parseSelector(input);
      assert.equal(selector.toString(), canonical);
      assert.equal(
        parseSelector(selector.toString()).toString(),
        canonical,
        'the canonical form round-trips',
      );
    });
  }

  it('sorts requirements by key and values within sets, so equal selectors print equally', () => {
    assert.equal(parseSelector('b=2,a in (z,y)').toString(), parseSelector('a in (y,z), b=2').toString());
  });

  it('keeps repeated keys as separate requirements', () => {
    assert.equal(parseSelector('a!=x,a!=y').requirements.length, 2);
  });
});

describe('label selector syntax errors', () => {
  const cases: [input: string, position: number, message: RegExp][] = [
    ['x in (a', 7, /found end of string, expected ',' or '\)'/],
    ['x in a', 5, /found 'a', expected '\(' to start the list of values/],
    ['x in (a b)', 8, /found 'b', expected ',' or '\)'/],
    ['x=a,', 4, /found end of string, expected '!' or a label key after ','/],
    [',x=a', 0, /found ',', expected '!' or a label key/],
    ['x=a y=b', 4, /found 'y', expected ',' or end of string/],
    ['x = (a)', 4, /found '\(', expected a value/],
    ['x foo y', 2, /found 'foo', expected an operator/],
    ['!x=a', 2, /found '=', expected ',' or end of string/],
    ['!', 1, /found end of string, expected a label key/],
    ['x=a,,y=b', 4, /found ',', expected '!' or a label key after ','/],
    ['x===a', 3, /found '=', expected a value/],
  ];
  for (const [input, position, message] of cases) {
    it(`rejects ${JSON.stringify(input)} at position ${position}`, () => {
      const error = parseError(input);
      assert.equal(error.reason, 'InvalidSyntax');
      assert.equal(error.position, position);
      assert.equal(error.selector, input);
      assert.match(error.message, message);
    });
  }

  it('shows the selector with a caret under the offending position', () => {
    const error = parseError('app in (web');
    assert.equal(
      error.message,
      `invalid label selector "app in (web" at position 11: found end of string, expected ',' or ')'\n  app in (web\n             ^`,
    );
  });
});

describe('label selector keys and values', () => {
  it('rejects a key with an invalid name part, pointing at the key', () => {
    const error = parseError('a=b,-bad=c');
    assert.equal(error.reason, 'InvalidKey');
    assert.equal(error.position, 4);
    assert.match(
      error.message,
      /invalid label key "-bad": the name part must consist of alphanumeric characters/,
    );
  });

  it('rejects an uppercase or empty prefix and more than one slash', () => {
    assert.match(parseError('Example.com/a=b').message, /prefix part must be a DNS subdomain/);
    assert.match(parseError('/a=b').message, /prefix part before '\/' must not be empty/);
    assert.match(parseError('a/b/c=d').message, /at most one '\/'/);
  });

  it('enforces the 63-character name and 253-character prefix limits', () => {
    assert.doesNotThrow(() => parseSelector(`${'a'.repeat(63)}=x`));
    assert.match(parseError(`${'a'.repeat(64)}=x`).message, /at most 63 characters/);
    assert.doesNotThrow(() => parseSelector(`${'a'.repeat(253)}/n=x`));
    assert.match(parseError(`${'a'.repeat(254)}/n=x`).message, /prefix part must be at most 253/);
  });

  it('rejects an invalid value, pointing at the value', () => {
    const error = parseError('tier in (front,-back)');
    assert.equal(error.reason, 'InvalidValue');
    assert.equal(error.position, 15);
    assert.match(error.message, /invalid value "-back" for key "tier"/);
    assert.match(parseError(`a=${'v'.repeat(64)}`).message, /at most 63 characters/);
  });

  it('requires integers for > and <', () => {
    const error = parseError('replicas>two');
    assert.equal(error.reason, 'InvalidValue');
    assert.match(error.message, /'>' compares integers: "two" is not an integer/);
  });

  it('validates requirements built by hand', () => {
    assert.throws(() => createRequirement('a', 'in', []), /'in' needs at least one value/);
    assert.throws(() => createRequirement('a', '=', ['x', 'y']), /exactly one value/);
    assert.throws(() => createRequirement('a', 'exists', ['x']), /takes no values/);
  });
});

describe('label selector matching', () => {
  const labels = { app: 'web', tier: 'frontend', empty: '', replicas: '3' };
  const table: [selector: string, matches: boolean][] = [
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app=db', false],
    ['app!=db', true],
    ['app!=web', false],
    ['missing!=x', true],
    ['app in (web,db)', true],
    ['app in (db)', false],
    ['missing in (x)', false],
    ['app notin (db)', true],
    ['app notin (web)', false],
    ['missing notin (x)', true],
    ['app', true],
    ['missing', false],
    ['!missing', true],
    ['!app', false],
    ['empty=', true],
    ['empty in ()', true],
    ['app in ()', false],
    ['replicas>2', true],
    ['replicas>3', false],
    ['replicas<4', true],
    ['app>1', false],
    ['missing<4', false],
    ['app=web,tier=frontend', true],
    ['app=web,tier=backend', false],
  ];
  for (const [selector, expected] of table) {
    it(`${JSON.stringify(selector)} ${expected ? 'matches' : 'does not match'}`, () => {
      assert.equal(parseSelector(selector).matches(labels), expected);
    });
  }

  it('treats missing labels as an empty set', () => {
    assert.equal(parseSelector('!a').matches(undefined), true);
    assert.equal(parseSelector('a').matches(undefined), false);
    assert.equal(parseSelector('').matches(undefined), true);
  });

  it('does not see inherited properties as labels', () => {
    assert.equal(parseSelector('constructor').matches({}), false);
    assert.equal(parseSelector('toString=x').matches({}), false);
  });

  it('has an everything and a nothing selector', () => {
    assert.equal(everything().isEmpty(), true);
    assert.equal(everything().matches({ a: 'b' }), true);
    assert.equal(nothing().matches({ a: 'b' }), false);
    assert.equal(nothing().isEmpty(), false);
  });

  it('accepts strings or parsed selectors', () => {
    const parsed = parseSelector('a=b');
    assert.equal(toSelector(parsed), parsed);
    assert.equal(toSelector('a=b').toString(), 'a=b');
    assert.equal(toSelector(undefined).isEmpty(), true);
  });
});

describe('metav1.LabelSelector conversion', () => {
  it('converts matchLabels and matchExpressions to a selector', () => {
    const selector = selectorFromLabelSelector({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['b', 'a'] },
        { key: 'env', operator: 'NotIn', values: ['prod'] },
        { key: 'team', operator: 'Exists' },
        { key: 'canary', operator: 'DoesNotExist' },
      ],
    });
    assert.equal(selector.toString(), 'app=web,!canary,env notin (prod),team,tier in (a,b)');
  });

  it('treats an empty selector as everything and a missing one as nothing', () => {
    assert.equal(selectorFromLabelSelector({}).isEmpty(), true);
    assert.equal(selectorFromLabelSelector(undefined).matches({}), false);
    assert.equal(selectorFromLabelSelector(null).matchesNothing, true);
  });

  it('rejects unknown operators and invalid keys', () => {
    assert.throws(
      () =>
        selectorFromLabelSelector({
          matchExpressions: [{ key: 'a', operator: 'Gt' as 'In', values: ['1'] }],
        }),
      /matchExpressions\[0\]\.operator "Gt" is not one of In, NotIn, Exists, DoesNotExist/,
    );
    assert.throws(() => selectorFromLabelSelector({ matchLabels: { 'a b': 'c' } }), LabelSelectorError);
    assert.throws(
      () => selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }),
      /at least one value/,
    );
  });

  it('converts a selector back to the structured form', () => {
    assert.deepEqual(selectorToLabelSelector(parseSelector('app=web,tier in (a,b),env!=prod,team,!canary')), {
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'canary', operator: 'DoesNotExist' },
        { key: 'env', operator: 'NotIn', values: ['prod'] },
        { key: 'team', operator: 'Exists' },
        { key: 'tier', operator: 'In', values: ['a', 'b'] },
      ],
    });
    assert.deepEqual(selectorToLabelSelector(parseSelector('a=x,a=y')), {
      matchLabels: { a: 'x' },
      matchExpressions: [{ key: 'a', operator: 'In', values: ['y'] }],
    });
    assert.deepEqual(selectorToLabelSelector(everything()), {});
  });

  it('refuses forms the structured selector cannot express', () => {
    assert.throws(
      () => selectorToLabelSelector(parseSelector('a>1')),
      /'>' has no metav1.LabelSelector form/,
    );
    assert.throws(() => selectorToLabelSelector(nothing()), /match-nothing/);
  });

  it('matches the same objects before and after a round trip', () => {
    const selector = parseSelector('app=web,tier notin (db),!canary');
    const back = selectorFromLabelSelector(selectorToLabelSelector(selector));
    for (const labels of [{ app: 'web' }, { app: 'web', tier: 'db' }, { app: 'web', canary: '1' }, {}]) {
      assert.equal(back.matches(labels), selector.matches(labels));
    }
  });

  it('builds an equality selector from a label set', () => {
    assert.equal(selectorFromSet({ b: '2', a: '1' }).toString(), 'a=1,b=2');
    assert.throws(() => selectorFromSet({ a: 'not valid' }), /invalid value "not valid"/);
  });
});
