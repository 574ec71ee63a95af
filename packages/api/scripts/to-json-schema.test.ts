/** How one OpenAPI component becomes the JSON Schema json-schema-to-typescript compiles. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ModuleImports, toJsonSchema } from './to-json-schema.ts';

const ref = (component: string) => ({ allOf: [{ $ref: `#/components/schemas/${component}` }] });

describe('toJsonSchema', () => {
  it('writes references as type names and records the imports they need', () => {
    const imports = new ModuleImports('apps/v1', new Set(['Deployment']));
    const schema = toJsonSchema(
      {
        type: 'object',
        required: ['template'],
        properties: {
          template: { description: 'The pods.', ...ref('io.k8s.api.core.v1.PodTemplateSpec') },
          strategy: ref('io.k8s.api.apps.v1.DeploymentStrategy'),
          maxSurge: ref('io.k8s.apimachinery.pkg.util.intstr.IntOrString'),
        },
      },
      imports,
      'DeploymentSpec',
    );
    assert.deepEqual(schema, {
      type: 'object',
      required: ['template'],
      additionalProperties: false,
      properties: {
        template: { description: 'The pods.', tsType: 'PodTemplateSpec' },
        strategy: { tsType: 'DeploymentStrategy' },
        maxSurge: { tsType: 'IntOrString' },
      },
    });
    assert.deepEqual([...imports.modules], [['core/v1', new Set(['PodTemplateSpec'])]]);
    assert.deepEqual([...imports.scalars], ['IntOrString']);
    assert.deepEqual([...imports.localUses], ['DeploymentStrategy']);
  });

  it('aliases an imported type whose name the importing module declares too', () => {
    const imports = new ModuleImports('events/v1', new Set(['Event']));
    assert.equal(imports.reference('io.k8s.api.core.v1.Event'), 'CoreV1Event');
    assert.deepEqual([...imports.modules], [['core/v1', new Set(['Event'])]]);
  });

  it('keeps integer widths, int-or-string, maps, enums and free-form objects', () => {
    const imports = new ModuleImports('core/v1', new Set());
    const convert = (schema: Parameters<typeof toJsonSchema>[0]) => toJsonSchema(schema, imports, 'X');
    assert.deepEqual(convert({ type: 'integer', format: 'int32' }), { tsType: 'int32' });
    assert.deepEqual(convert({ type: 'integer', format: 'int64' }), { tsType: 'int64' });
    assert.deepEqual(convert({ type: 'integer' }), { type: 'integer' });
    assert.deepEqual(convert({ type: 'string', 'x-kubernetes-int-or-string': true }), {
      tsType: 'IntOrString',
    });
    assert.deepEqual(convert({ type: 'string', enum: ['Always', 'Never'] }), {
      type: 'string',
      enum: ['Always', 'Never'],
    });
    assert.deepEqual(convert({ type: 'object', additionalProperties: { type: 'string' } }), {
      type: 'object',
      additionalProperties: { type: 'string' },
    });
    assert.deepEqual(convert({ type: 'object', description: 'Raw.' }), {
      description: 'Raw.',
      tsType: 'Record<string, unknown>',
    });
    assert.deepEqual(convert({ description: 'Any JSON.' }), { description: 'Any JSON.', tsType: 'unknown' });
  });

  it('names the field of a schema it cannot convert', () => {
    const imports = new ModuleImports('core/v1', new Set());
    assert.throws(
      () => toJsonSchema({ type: 'object', properties: { items: { type: 'array' } } }, imports, 'PodList'),
      /PodList\.items: array without items/,
    );
    assert.throws(
      () => toJsonSchema({ $ref: 'https://example.com/schema' }, imports, 'Pod.spec'),
      /Pod\.spec: unsupported \$ref https:\/\/example\.com\/schema/,
    );
  });
});
