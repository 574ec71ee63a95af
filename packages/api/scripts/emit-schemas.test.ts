/**
 * The schema step: each rule by which the served OpenAPI is turned into what controller-gen
 * writes for the same Go types (emit-schemas.ts's module comment lists them).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildSchemaFiles, convertSchema, moduleOf, type JsonSchema } from './emit-schemas.ts';

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

function definitions(
  schemas: Record<string, JsonSchema>,
): Record<string, Readonly<Record<string, JsonSchema>>> {
  const files = buildSchemaFiles({ gitVersion: 'v1.99.0', schemas: new Map(Object.entries(schemas)) });
  return Object.fromEntries(files.map((file) => [file.module, file.definitions]));
}

describe('emit-schemas', () => {
  it('places components in their group/version module by Go package', () => {
    assert.deepEqual(moduleOf('io.k8s.api.core.v1.PodSpec'), { module: 'core/v1', name: 'PodSpec' });
    assert.deepEqual(moduleOf('io.k8s.api.autoscaling.v2.MetricSpec'), {
      module: 'autoscaling/v2',
      name: 'MetricSpec',
    });
    assert.deepEqual(moduleOf('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'), {
      module: 'meta/v1',
      name: 'ObjectMeta',
    });
    assert.deepEqual(moduleOf('io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps'), {
      module: 'apiextensions/v1',
      name: 'JSONSchemaProps',
    });
    assert.equal(moduleOf('io.k8s.apimachinery.pkg.runtime.RawExtension'), undefined);
  });

  it('drops openapi-gen zero defaults on required fields, list items and structs, keeps +default values', () => {
    const converted = convertSchema(
      {
        type: 'object',
        required: ['port'],
        properties: {
          port: { type: 'integer', format: 'int32', default: 0 },
          name: { type: 'string', default: '' },
          protocol: { type: 'string', default: 'TCP' },
          tags: { type: 'array', items: { type: 'string', default: '' } },
          nested: { default: {}, allOf: [ref('io.k8s.api.core.v1.Probe')] },
        },
      },
      'io.k8s.api.core.v1.Example',
    );
    const properties = converted.properties as Record<string, JsonSchema>;
    assert.equal(properties.port?.default, undefined);
    assert.equal(
      properties.name?.default,
      '',
      'an optional field with a zero default carries +default upstream',
    );
    assert.equal(properties.protocol?.default, 'TCP');
    assert.deepEqual(properties.tags?.items, { type: 'string' });
    assert.deepEqual(properties.nested, { $ref: 'core/v1#Probe' });
  });

  it('drops the zero default of the legacy optional fields declared without omitempty', () => {
    const converted = convertSchema(
      { type: 'object', properties: { start: { type: 'integer', format: 'int32', default: 0 } } },
      'io.k8s.api.apps.v1.StatefulSetOrdinals',
    );
    assert.deepEqual((converted.properties as Record<string, JsonSchema>).start, {
      type: 'integer',
      format: 'int32',
    });
  });

  it('drops enums, their description paragraph and the patch and GVK extensions', () => {
    const converted = convertSchema(
      {
        description: 'Protocol for port.\n\nPossible enum values:\n - `"TCP"` is the TCP protocol.',
        type: 'string',
        enum: ['TCP', 'UDP'],
        'x-kubernetes-patch-strategy': 'merge',
        'x-kubernetes-patch-merge-key': 'name',
        'x-kubernetes-group-version-kind': [{ group: '', kind: 'Pod', version: 'v1' }],
      },
      'x',
    );
    assert.deepEqual(converted, { description: 'Protocol for port.', type: 'string' });
  });

  it('keeps a field’s own description and list type over the referenced type’s, and inlines known types', () => {
    const converted = convertSchema(
      {
        type: 'object',
        properties: {
          template: {
            description: 'The pods.',
            default: {},
            allOf: [ref('io.k8s.api.core.v1.PodTemplateSpec')],
          },
          port: { description: 'A port.', allOf: [ref('io.k8s.apimachinery.pkg.util.intstr.IntOrString')] },
          cpu: ref('io.k8s.apimachinery.pkg.api.resource.Quantity'),
          raw: ref('io.k8s.apimachinery.pkg.runtime.RawExtension'),
          ratio: { type: 'number', format: 'double' },
        },
      },
      'x',
    );
    const properties = converted.properties as Record<string, JsonSchema>;
    assert.deepEqual(properties.template, { $ref: 'core/v1#PodTemplateSpec', description: 'The pods.' });
    assert.deepEqual(properties.port, {
      anyOf: [{ type: 'integer' }, { type: 'string' }],
      'x-kubernetes-int-or-string': true,
      description: 'A port.',
    });
    assert.equal(properties.cpu?.['x-kubernetes-int-or-string'], true);
    assert.equal(typeof properties.cpu.pattern, 'string');
    assert.deepEqual(properties.raw, { type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
    assert.deepEqual(properties.ratio, { type: 'number' });
  });

  it('writes ObjectMeta as controller-gen does with generateEmbeddedObjectMeta, and typeless schemas as any JSON', () => {
    const modules = definitions({
      'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': {
        description: 'ObjectMeta is metadata.',
        type: 'object',
        properties: { uid: { type: 'string' }, generateName: { type: 'string' } },
      },
      'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomThing': { description: 'Any JSON.' },
    });
    const meta = modules['meta/v1']?.ObjectMeta;
    assert.deepEqual(Object.keys(meta?.properties ?? {}).sort(), [
      'annotations',
      'finalizers',
      'labels',
      'name',
      'namespace',
    ]);
    assert.deepEqual(modules['apiextensions/v1']?.CustomThing, {
      description: 'Any JSON.',
      'x-kubernetes-preserve-unknown-fields': true,
    });
  });

  it('fails on a reference to a type that belongs to no module, naming the field', () => {
    assert.throws(
      () => convertSchema({ properties: { x: ref('io.example.Unknown') } }, 'io.k8s.api.core.v1.T'),
      /io\.k8s\.api\.core\.v1\.T\.x: io\.example\.Unknown belongs to no group\/version module/,
    );
  });
});
