/**
 * The CEL rules in the fixture CRDs, checked and evaluated by @kubeforge/testing/cel as the
 * API server would: the local API server (1.20) ignores x-kubernetes-validations, so this is
 * where their meaning is checked (types, cost, field escaping, and that each union member's
 * rule accepts exactly that member). crd-server.test.ts runs them on servers >= 1.25.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkSchemaRules, validateWithRules } from '@kubeforge/testing/cel';
import { parse } from 'yaml';
import type { Schema } from './model/index.ts';
import { fixtureDir } from './testing/index.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The messages of the rules of `schema` (and below) that `object` breaks. */
function violations(schema: Schema | undefined, object: Json): string[] {
  assert.ok(schema);
  return validateWithRules(schema, object).map((v) => v.message);
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
const destination = spec?.properties?.destination;
const destinationRules = destination?.['x-kubernetes-validations'] ?? [];

describe('CEL rules of a discriminated union', () => {
  it('generates one rule per member that has something to enforce', () => {
    assert.equal(destinationRules.length, 3);
  });

  it('generates rules the API server accepts: they type-check and stay within the cost limits', () => {
    assert.ok(root);
    assert.deepEqual(checkSchemaRules(root, { kubeVersion: '1.25' }), []);
    assert.deepEqual(checkSchemaRules(root), []);
  });

  const members: readonly [string, Json][] = [
    ['s3 with its fields', { type: 's3', bucket: 'b', region: 'eu' }],
    ['gcs with its fields', { type: 'gcs', bucket: 'b', project: 'p' }],
    ['pvc with a path', { type: 'pvc', path: '/data' }],
    ['hostPath with a path', { type: 'hostPath', path: '/data' }],
  ];
  for (const [what, value] of members) {
    it(`accepts ${what}`, () => {
      assert.deepEqual(violations(destination, value), []);
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
      assert.deepEqual(violations(destination, value), [message]);
    });
  }
});

describe('CEL rules from @validation', () => {
  it('evaluates a field rule on its object', () => {
    const rules = {
      ...spec,
      properties: {
        suspend: spec?.properties?.suspend ?? {},
        suspendUntil: spec?.properties?.suspendUntil ?? {},
      },
    };
    assert.deepEqual(violations(rules, { suspend: true, suspendUntil: '2024-01-02T15:04:05Z' }), []);
    assert.deepEqual(violations(rules, { suspend: false, suspendUntil: '2024-01-02T15:04:05Z' }), [
      'suspendUntil needs suspend',
    ]);
  });

  it('evaluates a resource rule on the whole object', () => {
    const rules = { ...root, properties: { metadata: root?.properties?.metadata ?? {} } };
    assert.deepEqual(violations(rules, { metadata: { name: 'short' } }), []);
    assert.deepEqual(violations(rules, { metadata: { name: 'x'.repeat(41) } }), [
      'name must be at most 40 characters',
    ]);
  });
});
