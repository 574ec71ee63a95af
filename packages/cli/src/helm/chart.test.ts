import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseObjects } from '../cluster/objects.ts';
import { buildChart, sectionOf } from './chart.ts';

const objects = parseObjects(
  `
apiVersion: v1
kind: Namespace
metadata: {name: op-system}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: things.example.com}
spec: {group: example.com, versions: [{name: v1, schema: {openAPIV3Schema: {description: "Render {{ .Name }} as text"}}}]}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: op-validating-webhook-configuration}
webhooks: [{name: v.example.com, clientConfig: {service: {name: op-webhook-service, namespace: op-system}}}]
---
apiVersion: v1
kind: Service
metadata: {name: op-webhook-service, namespace: op-system}
---
apiVersion: v1
kind: Service
metadata: {name: op-controller-manager-metrics-service, namespace: op-system}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: op-controller-manager, namespace: op-system, labels: {app.kubernetes.io/managed-by: kustomize}}
`,
  'test',
);

test('objects go to the section of config/ they come from; the Namespace is left to Helm', () => {
  assert.deepEqual(
    objects.map((o) => sectionOf(o)),
    [undefined, 'crd', 'webhook', 'webhook', 'metrics', 'rbac'],
  );
});

test('the namespace becomes the release namespace, wherever it is named', () => {
  const chart = new Map(
    buildChart({ name: 'op', version: '0.1.0', objects }).map((f) => [f.path, f.contents]),
  );
  const webhook = chart.get(
    'templates/webhook/validatingwebhookconfiguration-validating-webhook-configuration.yaml',
  );
  assert.match(webhook ?? '', /namespace: \{\{ \.Release\.Namespace \}\}/);
  assert.match(
    chart.get('templates/rbac/serviceaccount-controller-manager.yaml') ?? '',
    /managed-by: \{\{ \.Release\.Service \}\}/,
  );
  assert.doesNotMatch([...chart.values()].join('\n'), /op-system/);
});

test('text that looks like a template action stays literal text', () => {
  const crd = buildChart({ name: 'op', version: '0.1.0', objects }).find((f) =>
    f.path.startsWith('templates/crd/'),
  );
  assert.match(crd?.contents ?? '', /description: Render \{\{ "\{\{" \}\} \.Name }} as text/);
});

test('sections present in config/default are on by default; a chart without webhooks says how to add them', () => {
  const values = buildChart({ name: 'op', version: '0.1.0', objects: objects.slice(0, 2) }).find(
    (f) => f.path === 'values.yaml',
  );
  assert.match(values?.contents ?? '', /webhook:\n.*kubeforge create webhook.*\n {2}enable: false/);
  const withWebhooks = buildChart({ name: 'op', version: '0.1.0', objects }).find(
    (f) => f.path === 'values.yaml',
  );
  assert.match(withWebhooks?.contents ?? '', /webhook:\n.*\n {2}enable: true/);
});
