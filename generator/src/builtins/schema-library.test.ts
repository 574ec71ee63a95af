import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Schema } from '../model/index.ts';
import { generatorDir, scratchDir } from '../testing/index.ts';
import { BuiltinSchemaLibrary } from './schema-library.ts';

const apiPackageDir = join(generatorDir, '..', 'packages', 'api');
const library = new BuiltinSchemaLibrary(apiPackageDir);

function schemaOf(module: string, name: string): Schema {
  const found = library.schemaOf(module, name);
  assert.ok('schema' in found, `${module}#${name}: ${JSON.stringify(found)}`);
  return found.schema;
}

/** The schema at a path of property names (`[]` steps into items, `{}` into additionalProperties). */
function at(schema: Schema | undefined, ...path: string[]): Schema | undefined {
  let current = schema;
  for (const step of path) {
    if (current === undefined) return undefined;
    const properties: Readonly<Record<string, Schema | undefined>> = current.properties ?? {};
    current = step === '[]' ? current.items : step === '{}' ? current.additionalProperties : properties[step];
  }
  return current;
}

/** Every `$ref` keyword left anywhere in a schema (JSONSchemaProps has a `$ref` property: an object). */
function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) =>
    key === '$ref' && typeof child === 'string' ? [child] : refsIn(child),
  );
}

describe('BuiltinSchemaLibrary', () => {
  it('inlines every reference of PodTemplateSpec', () => {
    const schema = schemaOf('core/v1', 'PodTemplateSpec');
    assert.deepEqual(refsIn(schema), []);
    const container = at(schema, 'spec', 'containers', '[]');
    assert.equal(container?.description, 'A single application container that you want to run within a pod.');
    assert.deepEqual(container.required, ['name']);
  });

  it('gives a referring field its own description, not the type’s', () => {
    const spec = at(schemaOf('core/v1', 'PodTemplateSpec'), 'spec');
    assert.match(spec?.description ?? '', /^Specification of the desired behavior of the pod/);
    assert.equal(spec?.type, 'object');
  });

  it('writes the embedded ObjectMeta controller-gen writes with generateEmbeddedObjectMeta', () => {
    const metadata = at(schemaOf('core/v1', 'PodTemplateSpec'), 'metadata');
    assert.deepEqual(Object.keys(metadata?.properties ?? {}).sort(), [
      'annotations',
      'finalizers',
      'labels',
      'name',
      'namespace',
    ]);
    assert.deepEqual(at(metadata, 'labels'), {
      type: 'object',
      additionalProperties: { type: 'string' },
    });
  });

  it('keeps list types, explicit defaults and int-or-string, drops zero defaults and enums', () => {
    const ports = at(schemaOf('core/v1', 'Container'), 'ports');
    assert.equal(ports?.['x-kubernetes-list-type'], 'map');
    assert.deepEqual(ports['x-kubernetes-list-map-keys'], ['containerPort', 'protocol']);
    const port = at(ports, '[]');
    assert.deepEqual(at(port, 'containerPort'), {
      description:
        "Number of port to expose on the pod's IP address. This must be a valid port number, 0 < x < 65536.",
      type: 'integer',
      format: 'int32',
    });
    assert.equal(at(port, 'protocol')?.default, 'TCP');
    assert.equal(at(port, 'protocol')?.enum, undefined);
    assert.equal(
      at(port, 'protocol')?.description,
      'Protocol for port. Must be UDP, TCP, or SCTP. Defaults to "TCP".',
    );
    const targetPort = at(schemaOf('core/v1', 'ServicePort'), 'targetPort');
    assert.deepEqual(targetPort?.anyOf, [{ type: 'integer' }, { type: 'string' }]);
    assert.equal(targetPort['x-kubernetes-int-or-string'], true);
  });

  it('cuts a recursive type where it meets itself instead of looping', () => {
    const props = schemaOf('apiextensions/v1', 'JSONSchemaProps');
    assert.deepEqual(refsIn(props), []);
    const nested = at(props, 'properties', '{}');
    assert.equal(nested?.['x-kubernetes-preserve-unknown-fields'], true);
    assert.equal(nested.type, 'object');
    const validation = schemaOf('apiextensions/v1', 'CustomResourceValidation');
    assert.equal(at(validation, 'openAPIV3Schema', 'type')?.type, 'string');
  });

  it('answers a property of a type for fields taken through extends or Pick', () => {
    const env = library.propertyOf('core/v1', 'Container', 'env');
    assert.equal(env?.['x-kubernetes-list-type'], 'map');
    assert.equal(at(env, '[]', 'valueFrom')?.type, 'object');
    assert.equal(library.propertyOf('core/v1', 'Container', 'nope'), undefined);
  });

  it('says whether the module file or the type is missing', () => {
    assert.equal((library.schemaOf('core/v1', 'NoSuchType') as { reason: string }).reason, 'no-type');
    assert.equal((library.schemaOf('nope/v9', 'Pod') as { reason: string }).reason, 'no-module');
  });

  it('reports a reference to an undefined type as a broken package', () => {
    const dir = scratchDir('schemas');
    mkdirSync(join(dir, 'schemas', 'x'), { recursive: true });
    writeFileSync(
      join(dir, 'schemas', 'x', 'v1.json'),
      JSON.stringify({ kubernetesVersion: 'v0', definitions: { A: { $ref: 'x/v1#B' } } }),
    );
    assert.throws(
      () => new BuiltinSchemaLibrary(dir).schemaOf('x/v1', 'A'),
      /x\/v1#B is referenced but not defined/,
    );
  });
});
