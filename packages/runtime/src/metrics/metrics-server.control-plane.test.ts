/**
 * The secure metrics server against the real API server's TokenReview and
 * SubjectAccessReview: an operator ServiceAccount allowed to create the reviews serves
 * `/metrics`; a scrape without a token gets 401, a token RBAC does not allow `get /metrics`
 * gets 403, and a token bound to a metrics-reader ClusterRole gets the metrics.
 */
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { after, before, test } from 'node:test';
import {
  createServiceAccountIdentity,
  startControlPlane,
  type ControlPlane,
  type ServiceAccountIdentity,
} from '@kubeforge/testing';
import { createCertificateAuthority, issueServingCertificate } from '../webhook/certs/authority.ts';
import { staticCertificates } from '../webhook/certs/file-source.ts';
import { loadKubeConfig } from '../client/kube-config.ts';
import { createMetrics } from './metrics.ts';
import { startMetricsServer, type MetricsServer } from './metrics-server.ts';
import { createReviewAuthorizer } from './review-authorizer.ts';

const account = (name: string): string => `
apiVersion: v1
kind: ServiceAccount
metadata: { name: ${name}, namespace: metrics-test }`;

const clusterRoleFor = (name: string, rules: string, subject: string): string => `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: ${name} }
rules: ${rules}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: ${name} }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${name} }
subjects: [{ kind: ServiceAccount, name: ${subject}, namespace: metrics-test }]`;

const manifests = [
  account('operator'),
  account('prometheus'),
  account('stranger'),
  clusterRoleFor(
    'metrics-auth-role',
    `[{ apiGroups: [authentication.k8s.io], resources: [tokenreviews], verbs: [create] },
      { apiGroups: [authorization.k8s.io], resources: [subjectaccessreviews], verbs: [create] }]`,
    'operator',
  ),
  clusterRoleFor('metrics-reader', `[{ nonResourceURLs: [/metrics], verbs: [get] }]`, 'prometheus'),
].join('\n---');

let cp: ControlPlane;
let operator: ServiceAccountIdentity;
let prometheus: ServiceAccountIdentity;
let stranger: ServiceAccountIdentity;
let server: MetricsServer;
let ca: string;

before(async () => {
  cp = await startControlPlane();
  const as = (name: string) =>
    createServiceAccountIdentity(cp.kubeConfig, {
      manifests,
      serviceAccount: { namespace: 'metrics-test', name },
    });
  operator = await as('operator');
  prometheus = await as('prometheus');
  stranger = await as('stranger');
  const authority = createCertificateAuthority();
  ca = authority.cert;
  const metrics = createMetrics({ processMetrics: false });
  metrics.workQueue('scraped').add();
  server = await startMetricsServer({
    port: 0,
    host: '127.0.0.1',
    registry: metrics.registry,
    secure: {
      certificates: staticCertificates(issueServingCertificate(authority, { hosts: ['127.0.0.1'] })),
      // The operator's own in-cluster credentials make the reviews.
      authorizer: createReviewAuthorizer({ kubeConfig: loadKubeConfig({ ...operator.env }) }),
    },
  });
});

after(async () => {
  await server.close();
  for (const identity of [operator, prometheus, stranger]) identity.cleanup();
  await cp.stop();
});

function scrape(token?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${server.url}/metrics`,
      { ca, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject).end();
  });
}

test('the metrics are served over HTTPS', () => {
  assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
});

test('a scrape without a token gets 401', async () => {
  assert.equal((await scrape()).status, 401);
  assert.equal((await scrape('not-a-token')).status, 401);
});

test('a valid token RBAC does not allow to get /metrics gets 403', async () => {
  const response = await scrape(stranger.token);
  assert.equal(response.status, 403);
  assert.equal(response.body, 'Authorization denied for user system:serviceaccount:metrics-test:stranger\n');
});

test('a token bound to the metrics-reader role gets the metrics', async () => {
  const response = await scrape(prometheus.token);
  assert.equal(response.status, 200, response.body);
  assert.match(response.body, /^workqueue_adds_total\{name="scraped",controller="scraped"\} 1$/m);
});
