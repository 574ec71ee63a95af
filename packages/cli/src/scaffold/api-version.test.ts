import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addStorageVersionMarker,
  copySampleToVersion,
  copyTypesToVersion,
  declaresResource,
  hasStorageVersionMarker,
} from './api-version.ts';

const types = [
  "import { Part } from './part.ts';",
  "import type { Other } from '../v1beta1/other.ts';",
  '',
  '/** A Rack, in infra.example.com/v1. */',
  'export interface RackSpec { part: Part; other?: Other }',
  '',
  '/**',
  ' * A Rack.',
  ' *',
  ' * @resource',
  ' * @storageVersion',
  ' * @scope Cluster',
  ' */',
  'export interface Rack {',
  "  apiVersion?: 'infra.example.com/v1';",
  '}',
  '',
].join('\n');

const copy = { group: 'infra.example.com', kind: 'Rack', from: 'v1', to: 'v2' };

test('the storage marker is read from the doc comment of the kind only', () => {
  assert.equal(hasStorageVersionMarker(types, 'Rack'), true);
  assert.equal(hasStorageVersionMarker(types, 'RackSpec'), false);
  assert.equal(hasStorageVersionMarker(types, 'Shelf'), false);
  assert.equal(declaresResource(types, 'Rack'), true);
  assert.equal(declaresResource(types, 'Ra'), false, 'the whole name must match');
});

test('the storage marker is added right after the @resource line, with its indentation', () => {
  const unmarked = types.replace(' * @storageVersion\n', '');
  assert.equal(addStorageVersionMarker(unmarked, 'Rack'), types);
  assert.equal(addStorageVersionMarker('/** @resource */\nexport interface Rack {}\n', 'Rack'), undefined);
  assert.equal(addStorageVersionMarker('export interface Rack {}\n', 'Rack'), undefined);
});

test('a copied types file names the new version, drops the storage marker and keeps its imports resolving', () => {
  assert.equal(
    copyTypesToVersion(types, copy),
    types
      .replace("'./part.ts'", "'../v1/part.ts'")
      .replace(' * @storageVersion\n', '')
      .replaceAll('infra.example.com/v1', 'infra.example.com/v2'),
  );
});

test('a copied sample has the new apiVersion and its own name', () => {
  const sample = [
    'apiVersion: infra.example.com/v1',
    'kind: Rack',
    'metadata:',
    '  labels:',
    '    name: kept',
    '  name: rack-sample',
    'spec:',
    '  name: kept-too',
    '',
  ].join('\n');
  assert.equal(
    copySampleToVersion(sample, copy),
    sample.replace('/v1', '/v2').replace('rack-sample', 'rack-sample-v2'),
  );
});
