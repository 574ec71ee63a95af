/**
 * The table of rules (rule-cases.ts) through the checker and the evaluator: every accepted
 * rule checks clean and its objects get exactly the expected violations; every refused rule
 * gets the expected problem. rules-server.test.ts holds the server to the same table.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkSchemaRules } from './check-rules.ts';
import { ruleCases } from './rule-cases.ts';
import type { StructuralSchema } from './structural-schema.ts';
import { validateCustomResource } from './validate-custom-resource.ts';
import { validateWithRules } from './validate.ts';

export function caseRoot(spec: StructuralSchema): StructuralSchema {
  return { type: 'object', properties: { spec } };
}

describe('the rule table, checked and evaluated without a server', () => {
  for (const c of ruleCases) {
    const options = { kubeVersion: c.kubeVersion ?? '1.34' };
    if (c.accepted) {
      it(`accepts ${c.name} (${c.source})`, () => {
        const problems = checkSchemaRules(caseRoot(c.spec), options);
        assert.deepEqual(
          problems.map((p) => p.message),
          [],
        );
        for (const o of c.objects ?? []) {
          const violations = validateWithRules(
            caseRoot(c.spec),
            { spec: o.spec },
            {
              ...options,
              ...(o.oldSpec === undefined ? {} : { oldObject: { spec: o.oldSpec } }),
            },
          );
          assert.deepEqual(
            violations.map((v) => v.message),
            o.violations,
            JSON.stringify(o.spec),
          );
        }
      });
    } else {
      it(`refuses ${c.name} (${c.source})`, () => {
        const problems = checkSchemaRules(caseRoot(c.spec), options);
        assert.ok(problems.length > 0, 'expected a problem');
        assert.ok(
          problems.some((p) => p.message.includes(c.problem)),
          `expected "${c.problem}" in ${JSON.stringify(problems.map((p) => p.message))}`,
        );
      });
    }
  }
});

describe('checkSchemaRules', () => {
  it('points at the CEL error like the API server: the column of the dot or the operator', () => {
    const [undefinedField, overload] = checkSchemaRules(
      caseRoot({
        type: 'object',
        properties: { name: { type: 'string' } },
        'x-kubernetes-validations': [{ rule: 'self.nope > 3' }, { rule: "size(self.name) == 'abc'" }],
      }),
    );
    assert.deepEqual(
      [undefinedField, overload].map((p) => [p?.path, p?.index, p?.offset]),
      [
        ['spec', 0, 4],
        ['spec', 1, 16],
      ],
    );
  });

  it('names the bound that would fix an expensive rule', () => {
    const [problem] = checkSchemaRules(
      caseRoot({
        type: 'object',
        properties: {
          rules: {
            type: 'array',
            items: { type: 'string' },
            'x-kubernetes-validations': [{ rule: "self.all(x, x.contains('a'))" }],
          },
        },
      }),
    );
    assert.match(problem?.hint ?? '', /spec\.rules/);
  });

  it('reports a transition rule on a root without oldSelf support nowhere: the root correlates', () => {
    assert.deepEqual(
      checkSchemaRules({
        type: 'object',
        properties: { spec: { type: 'object', properties: { a: { type: 'string', maxLength: 5 } } } },
        'x-kubernetes-validations': [{ rule: 'self.spec.a == oldSelf.spec.a' }],
      }),
      [],
    );
  });

  it('lets root rules read metadata.name but nothing else of metadata', () => {
    const root: StructuralSchema = {
      type: 'object',
      properties: { metadata: { type: 'object' }, spec: { type: 'object' } },
      'x-kubernetes-validations': [
        { rule: "self.metadata.name.startsWith('a')" },
        { rule: 'size(self.metadata.labels) > 0' },
      ],
    };
    assert.deepEqual(
      checkSchemaRules(root).map((p) => p.message),
      ["undefined field 'labels'"],
    );
  });
});

describe('validateCustomResource', () => {
  const crd = {
    spec: {
      group: 'example.com',
      names: { kind: 'Autoscaler' },
      versions: [
        {
          name: 'v1',
          schema: {
            openAPIV3Schema: caseRoot({
              type: 'object',
              properties: { minReplicas: { type: 'integer' }, maxReplicas: { type: 'integer' } },
              'x-kubernetes-validations': [
                {
                  rule: 'self.minReplicas <= self.maxReplicas',
                  message: 'minReplicas must not exceed maxReplicas',
                },
                {
                  rule: 'self.maxReplicas >= oldSelf.maxReplicas',
                  message: 'maxReplicas may not shrink',
                  fieldPath: '.maxReplicas',
                },
              ],
            }),
          },
        },
      ],
    },
  };

  it('evaluates the version named by the apiVersion, with the rule message, field and reason', () => {
    assert.deepEqual(
      validateCustomResource(crd, {
        apiVersion: 'example.com/v1',
        kind: 'Autoscaler',
        spec: { minReplicas: 3, maxReplicas: 1 },
      }),
      [
        {
          field: 'spec',
          message: 'minReplicas must not exceed maxReplicas',
          reason: 'FieldValueInvalid',
          rule: 'self.minReplicas <= self.maxReplicas',
        },
      ],
    );
  });

  it('runs transition rules on updates only, reporting the fieldPath', () => {
    const object = {
      apiVersion: 'example.com/v1',
      kind: 'Autoscaler',
      spec: { minReplicas: 1, maxReplicas: 2 },
    };
    assert.deepEqual(validateCustomResource(crd, object), []);
    assert.deepEqual(
      validateCustomResource(crd, object, {
        oldObject: { ...object, spec: { minReplicas: 1, maxReplicas: 5 } },
      }).map((v) => [v.field, v.message]),
      [['spec.maxReplicas', 'maxReplicas may not shrink']],
    );
  });
});
