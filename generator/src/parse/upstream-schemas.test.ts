/**
 * The fixed schemas of apimachinery structs against what a Kubernetes 1.34.9 API server
 * serves (packages/api/openapi/v1.34.9), path by path: structure, required fields, list and
 * map types, formats and descriptions. openapi-gen's `default: ""` on non-pointer fields is
 * left out, as controller-gen leaves it out.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { JsonValue, Schema } from '../model/index.ts';
import { generatorDir } from '../testing/index.ts';
import { scalarSchemas, structSchemas } from './runtime-types.ts';

type Json = Readonly<Record<string, JsonValue>>;

const openapi = JSON.parse(
  readFileSync(join(generatorDir, '..', 'packages/api/openapi/v1.34.9/openapi/api_v1.json'), 'utf8'),
) as { components: { schemas: Record<string, Json> } };

const meta = 'io.k8s.apimachinery.pkg.apis.meta.v1.';

/**
 * The served schema with `$ref`s inlined (a lone `allOf: [$ref]` is the ref; the referring
 * field's description wins over the type's) and defaults dropped.
 */
function served(schema: Json): Json {
  const out: Record<string, JsonValue> = {};
  const allOf = schema.allOf;
  if (Array.isArray(allOf) && allOf.length === 1) Object.assign(out, served(resolve(allOf[0] as Json)));
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'default' || key === 'allOf') continue;
    if (key === '$ref') {
      Object.assign(out, served(resolve(schema)));
    } else if (key === 'properties') {
      out.properties = Object.fromEntries(
        Object.entries(value as Record<string, Json>).map(([name, property]) => [name, served(property)]),
      );
    } else if (key === 'items' || key === 'additionalProperties') {
      out[key] = served(value as Json);
    } else if (key === 'required') {
      out.required = [...(value as string[])].sort();
    } else {
      out[key] = value;
    }
  }
  return out;
}

function resolve(schema: Json): Json {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  const target = openapi.components.schemas[ref.replace('#/components/schemas/', '')];
  assert.ok(target, `unresolved ${ref}`);
  return target;
}

const validationKeywords = new Set(['enum', 'minLength', 'maxLength', 'pattern', 'minimum']);

/** Our schema without the kubebuilder validation upstream declares in Go markers (not served). */
function withoutMarkerValidation(schema: Schema): Json {
  const out: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(schema) as [string, JsonValue][]) {
    if (validationKeywords.has(key)) continue;
    out[key] =
      key === 'properties'
        ? Object.fromEntries(
            Object.entries(value as Record<string, Schema>).map(([k, v]) => [k, withoutMarkerValidation(v)]),
          )
        : value;
  }
  return out;
}

function servedSchema(name: string): Json {
  const schema = openapi.components.schemas[meta + name];
  assert.ok(schema, `the served document has no ${name}`);
  return served(schema);
}

describe('upstream schemas of apimachinery structs', () => {
  for (const name of ['LabelSelector', 'LabelSelectorRequirement', 'OwnerReference']) {
    it(`${name} is exactly what the API server serves`, () => {
      assert.deepEqual(structSchemas[name], servedSchema(name));
    });
  }

  it('LabelSelector has atomic matchExpressions and values, and no operator enum', () => {
    const expressions: Schema | undefined = structSchemas.LabelSelector?.properties?.matchExpressions;
    const requirement: Schema | undefined = expressions?.items?.properties?.values;
    const operator: Schema | undefined = expressions?.items?.properties?.operator;
    assert.equal(expressions?.['x-kubernetes-list-type'], 'atomic');
    assert.equal(requirement?.['x-kubernetes-list-type'], 'atomic');
    assert.ok(operator);
    assert.equal(operator.enum, undefined);
  });

  it('Condition is what the API server serves plus the validation of its Go markers', () => {
    const condition = structSchemas.Condition;
    assert.ok(condition);
    assert.deepEqual(withoutMarkerValidation(condition), servedSchema('Condition'));
    const status: Schema | undefined = condition.properties?.status;
    const reason: Schema | undefined = condition.properties?.reason;
    assert.deepEqual(status?.enum, ['True', 'False', 'Unknown']);
    assert.equal(reason?.minLength, 1);
  });

  it('Time and MicroTime are date-time strings, as served', () => {
    for (const name of ['Time', 'MicroTime']) {
      const { description: _description, ...schema } = servedSchema(name);
      assert.deepEqual(scalarSchemas[name], schema, name);
    }
  });

  it('Duration is a plain string, as controller-gen writes metav1.Duration', () => {
    assert.deepEqual(scalarSchemas.Duration, { type: 'string' });
  });

  it('int is an integer without a format', () => {
    assert.deepEqual(scalarSchemas.int, { type: 'integer' });
  });
});
