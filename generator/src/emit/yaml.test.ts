import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { toYaml } from './yaml.ts';

const options = {
  sortMapEntries: true,
  lineWidth: 0,
  indentSeq: true,
  aliasDuplicateObjects: false,
} as const;

/** What toYaml must produce: the whole value rendered at once. */
function reference(value: unknown): string {
  return toYaml(null).replace(/null\n$/, '') + stringify(value, options);
}

/** A subtree large enough to be rendered once and spliced, with every awkward scalar. */
function bigSubtree(seed: string): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (let i = 0; i < 40; i++) {
    properties[`field${i}`] = {
      description:
        i % 3 === 0 ? `line one ${seed}\n\n  indented line\nlast: with colon` : `plain ${seed} #${i}`,
      type: i % 2 === 0 ? 'string' : 'integer',
      ...(i % 5 === 0 ? { enum: ['true', '', 'null', '1.5', '- dash', 'a: b'] } : {}),
      ...(i % 7 === 0 ? { items: [[{ deep: [seed, { x: 1 }] }], []], empty: {} } : {}),
    };
  }
  return { type: 'object', 'x-kubernetes-list-map-keys': ['name'], properties, required: ['field1'] };
}

describe('toYaml', () => {
  it('renders shared large subtrees byte-identically to rendering the whole value', () => {
    const shared = bigSubtree('shared');
    const value = {
      spec: {
        template: shared,
        list: [shared, { name: 'x', nested: shared }, [shared, shared]],
        again: { ': odd key': shared, 'key with spaces': [bigSubtree('other')] },
      },
      empty: [],
      nothing: {},
    };
    assert.equal(toYaml(value), reference(value));
  });

  it('gives the same text for an object rendered before, in another file', () => {
    const shared = bigSubtree('twice');
    const first = toYaml({ a: shared });
    const second = toYaml({ b: [shared], a: shared });
    assert.equal(first, reference({ a: shared }));
    assert.equal(second, reference({ b: [shared], a: shared }));
  });

  it('keeps the header lines as comments', () => {
    assert.equal(toYaml({ a: 1 }, ['Source: x.ts']).split('\n')[1], '# Source: x.ts');
  });
});
