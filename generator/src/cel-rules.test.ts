/**
 * The CEL rules in the fixture CRDs, evaluated with a CEL implementation: the local API
 * server (1.20) ignores x-kubernetes-validations, so this is where their meaning is checked
 * (syntax, field escaping, and that each union member's rule accepts exactly that member).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { run } from '@bufbuild/cel';
import { parse } from 'yaml';
import type { Schema, ValidationRule } from './model/index.ts';
import { fixtureDir } from './testing/index.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** CEL sees JSON objects as maps; the evaluator takes them as `Map`s. */
function toCel(value: Json): unknown {
  if (Array.isArray(value)) return value.map(toCel);
  if (value !== null && typeof value === 'object') {
    return new Map(Object.entries(value).map(([k, v]) => [k, toCel(v)]));
  }
  return value;
}

/** Whether `object` passes every rule (as the API server would evaluate them on `self`). */
function violations(rules: readonly ValidationRule[], object: Json): string[] {
  return rules
    .filter((r) => run(r.rule, { self: toCel(object) } as never) !== true)
    .map((r) => r.message ?? r.rule);
}

const crd = parse(
  readFileSync(
    join(
      fixtureDir('backup-operator'),
      '__golden__/config/crd/bases/backup.example.com_backupschedules.yaml',
    ),
    'utf8',
  ),
) as { spec: { versions: { name: string; schema: { openAPIV3Schema: Schema } }[] } };
const root = crd.spec.versions.find((v) => v.name === 'v1')?.schema.openAPIV3Schema;
const spec = root?.properties?.spec;
const destinationRules = spec?.properties?.destination?.['x-kubernetes-validations'] ?? [];

describe('CEL rules of a discriminated union', () => {
  it('generates one rule per member that has something to enforce', () => {
    assert.equal(destinationRules.length, 3);
  });

  const members: readonly [string, Json][] = [
    ['s3 with its fields', { type: 's3', bucket: 'b', region: 'eu' }],
    ['gcs with its fields', { type: 'gcs', bucket: 'b', project: 'p' }],
    ['pvc with a path', { type: 'pvc', path: '/data' }],
    ['hostPath with a path', { type: 'hostPath', path: '/data' }],
  ];
  for (const [what, value] of members) {
    it(`accepts ${what}`, () => {
      assert.deepEqual(violations(destinationRules, value), []);
    });
  }

  const broken: readonly [string, Json, string][] = [
    [
      'gcs without its required project',
      { type: 'gcs', bucket: 'b' },
      'when type is gcs: bucket, project are required; region, path must not be set',
    ],
    [
      's3 with a field of another member',
      { type: 's3', bucket: 'b', path: '/x' },
      'when type is s3: bucket is required; project, path must not be set',
    ],
    [
      'pvc without its path',
      { type: 'pvc' },
      'when type is pvc or hostPath: path is required; bucket, region, project must not be set',
    ],
  ];
  for (const [what, value, message] of broken) {
    it(`rejects ${what}`, () => {
      assert.deepEqual(violations(destinationRules, value), [message]);
    });
  }
});

describe('CEL rules from @validation', () => {
  it('evaluates a field rule on its object', () => {
    const rules = spec?.['x-kubernetes-validations'] ?? [];
    assert.deepEqual(violations(rules, { suspend: true, suspendUntil: '2024-01-02T15:04:05Z' }), []);
    assert.deepEqual(violations(rules, { suspend: false, suspendUntil: '2024-01-02T15:04:05Z' }), [
      'suspendUntil needs suspend',
    ]);
  });

  it('evaluates a resource rule on the whole object', () => {
    const rules = root?.['x-kubernetes-validations'] ?? [];
    assert.deepEqual(violations(rules, { metadata: { name: 'short' } }), []);
    assert.deepEqual(violations(rules, { metadata: { name: 'x'.repeat(41) } }), [
      'name must be at most 40 characters',
    ]);
  });
});
