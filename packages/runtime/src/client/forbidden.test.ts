import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from './errors.ts';
import { describeForbidden, forbiddenHint, rbacMarkerFor } from './forbidden.ts';

const namespaced =
  'configmaps is forbidden: User "system:serviceaccount:ops:controller-manager" cannot list resource "configmaps" in API group "" in the namespace "web"';
const clusterWide =
  'websites.web.example.com "a" is forbidden: User "system:serviceaccount:ops:cm" cannot update resource "websites/status" in API group "web.example.com" at the cluster scope';

test('an RBAC denial is read into user, verb, resource, group and namespace', () => {
  assert.deepEqual(describeForbidden(namespaced), {
    user: 'system:serviceaccount:ops:controller-manager',
    verb: 'list',
    resource: 'configmaps',
    group: '',
    namespace: 'web',
  });
  assert.deepEqual(describeForbidden(clusterWide), {
    user: 'system:serviceaccount:ops:cm',
    verb: 'update',
    resource: 'websites/status',
    group: 'web.example.com',
  });
});

test('the marker for a denial uses core for the empty group and keeps subresources', () => {
  assert.equal(
    rbacMarkerFor(describeForbidden(namespaced)!),
    '@rbac groups=core resources=configmaps verbs=list',
  );
  assert.equal(
    rbacMarkerFor(describeForbidden(clusterWide)!),
    '@rbac groups=web.example.com resources=websites/status verbs=update',
  );
});

test('a 403 that is not an RBAC denial gets no hint', () => {
  assert.equal(forbiddenHint('admission webhook "x" denied the request'), '');
});

test('a Forbidden ApiError names the verb and resource and the marker that grants them', () => {
  const body = JSON.stringify({
    kind: 'Status',
    status: 'Failure',
    code: 403,
    reason: 'Forbidden',
    message: namespaced,
  });
  const error = ApiError.fromResponse(403, body, 'GET /api/v1/namespaces/web/configmaps');
  assert.equal(error.reason, 'Forbidden');
  assert.match(error.message, /cannot list resource "configmaps" in API group "" in the namespace "web"/);
  assert.match(
    error.message,
    /add `@rbac groups=core resources=configmaps verbs=list` \(or with namespace=web for a Role\) to a controller in src\/controllers/,
  );
});
