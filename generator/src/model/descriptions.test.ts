import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { capNestedDescriptions, truncateDescription } from './descriptions.ts';
import type { Schema } from './schema.ts';

const template: Schema = {
  type: 'object',
  description: 'The pods to run, as the field says.',
  properties: {
    spec: {
      type: 'object',
      description: 'Specification of the desired behavior of the pod.',
      properties: {
        containers: {
          type: 'array',
          description: 'List of containers belonging to the pod.',
          items: {
            type: 'object',
            description: 'A single application container.',
            properties: {
              env: { type: 'object', additionalProperties: { type: 'string', description: 'A value.' } },
            },
          },
        },
        tolerance: { anyOf: [{ type: 'integer', description: 'Seconds.' }, { type: 'string' }] },
      },
    },
  },
};

function descriptions(schema: Schema): string[] {
  const own = schema.description === undefined ? [] : [schema.description];
  const children = [
    ...Object.values(schema.properties ?? {}),
    ...(schema.items ? [schema.items] : []),
    ...(schema.additionalProperties ? [schema.additionalProperties] : []),
    ...(schema.anyOf ?? []),
  ];
  return [...own, ...children.flatMap(descriptions)];
}

describe('capNestedDescriptions', () => {
  it('drops every description below the schema at 0, through properties, items, maps and anyOf', () => {
    const capped = capNestedDescriptions(template, 0);
    assert.deepEqual(descriptions(capped), ['The pods to run, as the field says.']);
  });

  it('cuts nested descriptions at a word boundary and keeps the short ones', () => {
    const capped = capNestedDescriptions(template, 20);
    assert.deepEqual(descriptions(capped), [
      'The pods to run, as the field says.',
      'Specification of...',
      'List of...',
      'A single...',
      'A value.',
      'Seconds.',
    ]);
  });

  it('leaves the input untouched', () => {
    const before = JSON.stringify(template);
    capNestedDescriptions(template, 0);
    assert.equal(JSON.stringify(template), before);
  });
});

describe('truncateDescription', () => {
  it('cuts at a word boundary and marks the cut; 0 drops the description', () => {
    assert.equal(truncateDescription('The quick brown fox jumps', 15), 'The quick...');
    assert.equal(truncateDescription('short', 15), 'short');
    assert.equal(truncateDescription('anything', 0), undefined);
  });
});
