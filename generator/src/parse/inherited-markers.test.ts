/**
 * Markers through `extends` and `A & B`, as Go's inline embedding carries them: the
 * inheritance fixture (golden CRD in golden.test.ts) read path by path.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Schema } from '../model/index.ts';
import { fixtureDir } from '../testing/index.ts';
import { loadProject } from './load-project.ts';

const { model, diagnostics } = loadProject({ projectDir: fixtureDir('inheritance') });
const root = model.kinds[0]?.versions[0]?.schema;

function at(path: string): Schema {
  let current: Schema | undefined = root;
  for (const segment of path.split('.')) current = current?.properties?.[segment];
  assert.ok(current, `no schema at ${path}`);
  return current;
}

const scalingRule =
  '!has(self.minReplicas) || !has(self.maxReplicas) || self.minReplicas <= self.maxReplicas';

describe('markers inherited through extends and intersections', () => {
  it('loads the fixture without diagnostics', () => {
    assert.deepEqual(diagnostics, []);
  });

  it('applies a base interface’s @structType, @minProperties and @validation to an interface extending it', () => {
    const autoscaler = at('spec.autoscaler');
    assert.equal(autoscaler['x-kubernetes-map-type'], 'atomic');
    assert.equal(autoscaler.minProperties, 1);
    assert.deepEqual(
      autoscaler['x-kubernetes-validations']?.map((r) => r.rule),
      [scalingRule],
    );
  });

  it('keeps the field markers of the base’s properties', () => {
    assert.equal(at('spec.autoscaler.minReplicas').minimum, 0);
    assert.equal(at('spec.autoscaler.maxReplicas').maximum, 100);
  });

  it('carries markers through two levels of bases, the farthest base’s rules first', () => {
    const tiered = at('spec.tiered');
    assert.equal(tiered.maxProperties, 4);
    assert.deepEqual(
      tiered['x-kubernetes-validations']?.map((r) => r.rule),
      ["self.name != 'forbidden'", 'self.level >= 0'],
    );
  });

  it('lets the extending interface override a base’s single-valued markers while rules accumulate', () => {
    const overriding = at('spec.overriding');
    assert.equal(overriding['x-kubernetes-map-type'], 'granular');
    assert.equal(overriding.minProperties, 2);
    assert.deepEqual(
      overriding['x-kubernetes-validations']?.map((r) => r.rule),
      [scalingRule],
    );
  });

  it('merges the markers of several bases', () => {
    const combo = at('spec.combo');
    assert.equal(combo.minProperties, 1);
    assert.equal(combo.maxProperties, 4);
    assert.equal(combo['x-kubernetes-validations']?.length, 2);
  });

  it('applies the markers of both members of an intersection', () => {
    const intersected = at('spec.intersected');
    assert.equal(intersected['x-kubernetes-map-type'], 'atomic');
    assert.equal(intersected.minProperties, 1);
    assert.equal(intersected.maxProperties, 4);
    assert.equal(intersected['x-kubernetes-validations']?.length, 2);
  });

  it('applies a named member’s markers when intersected with an inline object', () => {
    assert.equal(at('spec.extended').maxProperties, 4);
  });

  it('applies the markers of a generic base, instantiated through extends or inline', () => {
    for (const path of ['spec.entries', 'spec.inline']) {
      const schema = at(path);
      assert.deepEqual(
        schema['x-kubernetes-validations']?.map((r) => r.rule),
        ['size(self.items) <= 10'],
        path,
      );
      assert.equal(schema.properties?.items?.['x-kubernetes-list-type'], 'map', path);
    }
  });

  it('keeps a base field’s markers when an interface redeclares the field, its own winning', () => {
    const name = at('spec.renamed.name');
    assert.equal(name.minLength, 1);
    assert.equal(name.maxLength, 20);
    assert.equal(name.pattern, '^[a-z]+$');
    assert.equal(name.description, 'A lowercase name.');
  });

  it('applies the field markers of every intersection member declaring the field', () => {
    const name = at('spec.overlapping.name');
    assert.equal(name.maxLength, 63);
    assert.equal(name.pattern, '^[a-z]+$');
  });

  it('applies the markers of an object type alias used as a base', () => {
    assert.equal(at('spec.noted').minProperties, 1);
  });

  it('applies a base’s @preserveUnknownFields, @nullable, @default and @maxDescriptionLength', () => {
    const tolerant = at('spec.tolerant');
    assert.equal(tolerant['x-kubernetes-preserve-unknown-fields'], true);
    assert.equal(tolerant.nullable, true);
    assert.deepEqual(tolerant.default, { mode: 'auto' });
    assert.equal(tolerant.properties?.mode?.description, 'The...');
  });

  it('applies a map-typed base’s @mapType and @maxProperties', () => {
    const tags = at('spec.tags');
    assert.equal(tags['x-kubernetes-map-type'], 'atomic');
    assert.equal(tags.maxProperties, 3);
  });

  it('keeps upstream’s validation of Condition’s fields in an interface extending it', () => {
    const condition: Schema | undefined = at('spec.conditions').items;
    const field = (name: string): Schema | undefined => condition?.properties?.[name];
    assert.equal(field('reason')?.minLength, 1);
    assert.deepEqual(field('status')?.enum, ['True', 'False', 'Unknown']);
    assert.equal(field('stamp')?.minLength, 1);
    assert.deepEqual(condition?.required, [
      'lastTransitionTime',
      'message',
      'reason',
      'stamp',
      'status',
      'type',
    ]);
  });

  it('keeps LabelSelector atomic, with its atomic lists, in an interface extending it', () => {
    const selector = at('spec.selector');
    assert.equal(selector['x-kubernetes-map-type'], 'atomic');
    const expressions: Schema | undefined = selector.properties?.matchExpressions;
    assert.equal(expressions?.['x-kubernetes-list-type'], 'atomic');
    const requirement: Schema | undefined = expressions.items;
    const operator = Object.entries(requirement?.properties ?? {}).find(([name]) => name === 'operator')?.[1];
    assert.deepEqual(operator, {
      type: 'string',
      description:
        "operator represents a key's relationship to a set of values. Valid operators are In, NotIn, Exists and DoesNotExist.",
    });
  });

  it('applies a resource base’s rules to the whole object', () => {
    assert.deepEqual(
      root?.['x-kubernetes-validations']?.map((r) => r.rule),
      ['self.metadata.name.size() <= 40'],
    );
  });
});
