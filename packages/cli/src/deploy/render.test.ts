import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseObjects } from '../cluster/objects.ts';
import { imageProblem, isPlaceholderImage, managerImages, withImage } from './render.ts';

const rendered = parseObjects(
  `
apiVersion: apps/v1
kind: Deployment
metadata: {name: op-controller-manager, namespace: op-system}
spec:
  template:
    spec:
      containers:
        - {name: manager, image: op:latest}
        - {name: sidecar, image: envoy:v1}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: op-controller-manager, namespace: op-system}
`,
  'test',
);

test('the image is set on the manager container only, without touching the input', () => {
  const changed = withImage(rendered, 'ghcr.io/acme/op:v1');
  assert.deepEqual(managerImages(changed), ['ghcr.io/acme/op:v1']);
  assert.deepEqual(managerImages(rendered), ['op:latest']);
  assert.match(JSON.stringify(changed[0]), /envoy:v1/);
  assert.equal(changed[1], rendered[1]);
});

test("the scaffold's image and kubebuilder's are placeholders; a tagged or pushed image is not", () => {
  for (const image of ['op:latest', 'op', 'controller:latest', ''])
    assert.ok(isPlaceholderImage(image, 'op'), image);
  for (const image of ['op:v1', 'ghcr.io/acme/op:latest', 'localhost:5000/op']) {
    assert.equal(isPlaceholderImage(image, 'op'), false, image);
  }
});

test('image references are checked', () => {
  for (const image of [
    'op',
    'op:v1.2.3',
    'ghcr.io/acme/my-operator:v0.1.0',
    'localhost:5000/a/b_c:dev',
    `docker.io/library/op@sha256:${'a'.repeat(64)}`,
  ]) {
    assert.equal(imageProblem(image), undefined, image);
  }
  for (const image of ['Op:v1', 'op:', 'op:v 1', 'ghcr.io//op', '-op']) assert.ok(imageProblem(image), image);
});
