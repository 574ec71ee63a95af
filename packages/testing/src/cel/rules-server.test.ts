/**
 * The rule table (rule-cases.ts) on a real API server that enforces CEL (>= 1.25; the
 * default 1.20 test server skips, saying why): each refused rule makes the server refuse its
 * CRD with the expected message, each accepted one installs, and its objects are accepted or
 * refused exactly as the evaluator (check-rules.test.ts) says. With
 * KUBEFORGE_USE_EXISTING_CLUSTER=1 the same cases run on that cluster.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startControlPlane, type ControlPlane } from '../control-plane.ts';
import { installCRDs, uninstallCRDs, type CustomResourceDefinition } from '../crds.ts';
import { kubeRequest } from '../http.ts';
import { skipUnlessServerAtLeast } from '../require-version.ts';
import { ruleCases } from './rule-cases.ts';
import type { StructuralSchema } from './structural-schema.ts';
import { validateWithRules } from './validate.ts';

const group = 'celrules.kubeforge.test';

function crdFor(index: number, spec: StructuralSchema): CustomResourceDefinition {
  const plural = `rulecase${index}s`;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope: 'Cluster',
      names: {
        kind: `RuleCase${index}`,
        plural,
        singular: `rulecase${index}`,
        listKind: `RuleCase${index}List`,
      },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', properties: { spec } } },
        },
      ],
    },
  };
}

function messageOf(body: string): string {
  try {
    const message = (JSON.parse(body) as { message?: unknown }).message;
    return typeof message === 'string' ? message : body;
  } catch {
    return body;
  }
}

describe('the rule table on a real API server', () => {
  let cp: ControlPlane;
  const installed: CustomResourceDefinition[] = [];

  before(async () => {
    cp = await startControlPlane();
  });

  after(async () => {
    if (installed.length > 0) await uninstallCRDs(cp.kubeConfig, installed);
    await cp.stop();
  });

  for (const [index, c] of ruleCases.entries()) {
    if (!c.accepted && c.server === undefined) continue;
    const verdict = c.accepted ? 'accepts' : 'refuses';
    it(`${verdict} ${c.name}, as the checker and evaluator do`, async (t) => {
      if (skipUnlessServerAtLeast(t, cp, c.serverSince ?? '1.25', 'CEL validation rules')) return;
      const crd = crdFor(index, c.spec);
      if (!c.accepted) {
        const response = await kubeRequest(
          cp.kubeConfig,
          'POST',
          '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
          crd,
        );
        assert.equal(response.status, 422, response.body);
        assert.ok(messageOf(response.body).includes(c.server ?? ''), messageOf(response.body));
        return;
      }
      installed.push(crd);
      await installCRDs(cp.kubeConfig, [crd]);
      const kind = crd.spec.names.kind;
      const base = `/apis/${group}/v1/${crd.spec.names.plural}`;
      for (const [i, o] of (c.objects ?? []).entries()) {
        const name = `o${i}`;
        const object = { apiVersion: `${group}/v1`, kind, metadata: { name }, spec: o.spec };
        let response;
        if (o.oldSpec === undefined) {
          response = await kubeRequest(cp.kubeConfig, 'POST', base, object);
        } else {
          const created = await kubeRequest(cp.kubeConfig, 'POST', base, { ...object, spec: o.oldSpec });
          assert.equal(created.status, 201, created.body);
          const resourceVersion = (JSON.parse(created.body) as { metadata: { resourceVersion: string } })
            .metadata.resourceVersion;
          response = await kubeRequest(cp.kubeConfig, 'PUT', `${base}/${name}`, {
            ...object,
            metadata: { name, resourceVersion },
          });
        }
        const evaluated: string[] = validateWithRules(
          { type: 'object', properties: { spec: c.spec } },
          { spec: o.spec },
          o.oldSpec === undefined ? {} : { oldObject: { spec: o.oldSpec } },
        ).map((v) => v.message);
        assert.deepEqual(evaluated, o.violations);
        if (o.violations.length === 0) {
          assert.ok(response.status < 300, `${JSON.stringify(o.spec)}: ${response.body}`);
        } else {
          assert.equal(response.status, 422, `${JSON.stringify(o.spec)} was accepted`);
          const message = messageOf(response.body);
          for (const expected of o.violations)
            assert.ok(message.includes(expected), `"${expected}" not in ${message}`);
        }
      }
    });
  }
});
