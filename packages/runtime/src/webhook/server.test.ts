/**
 * The webhook server's contract over real HTTPS (no API server needed): every request gets a
 * well-formed answer, failures are counted, and a bad request never stops the server.
 */
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { after, before, test } from 'node:test';
import { createMetrics, type Metrics } from '../metrics/metrics.ts';
import { noopLogger } from '../log/logger.ts';
import { admission, allow, defaulting } from './admission.ts';
import { createCertificateAuthority, issueServingCertificate } from './certs/authority.ts';
import { staticCertificates } from './certs/file-source.ts';
import { WebhookError } from './review.ts';
import { startWebhookServer, type WebhookServer } from './server.ts';
import { widgetConversion, widgetValidation, widgetsV2 } from './testdata/widgets.ts';

const ca = createCertificateAuthority();
let server: WebhookServer;
let metrics: Metrics;

before(async () => {
  metrics = createMetrics({ processMetrics: false });
  server = await startWebhookServer({
    port: 0,
    host: '127.0.0.1',
    certificates: staticCertificates(issueServingCertificate(ca, { hosts: ['127.0.0.1'] })),
    handlerTimeoutMs: 300,
    logger: noopLogger,
    metrics,
    webhooks: [
      widgetValidation,
      widgetConversion,
      defaulting(widgetsV2, (w) => ({ ...w, spec: { color: 'blue', ...(w as { spec?: object }).spec } }), {
        path: '/default',
      }),
      admission({ path: '/throws', mutating: false }, () => {
        throw new Error('boom');
      }),
      admission({ path: '/hangs', mutating: false }, () => new Promise(() => undefined)),
      admission({ path: '/patches', mutating: false }, () => ({
        type: 'allowed',
        patch: [{ op: 'add', path: '/x', value: 1 }],
      })),
      admission({ path: '/pods', mutating: false }, (req) => allow([`saw ${req.kind.kind}`])),
    ],
  });
});

after(() => server.close());

interface Reply {
  readonly status: number;
  readonly body: { response?: Record<string, unknown>; apiVersion?: string; message?: string };
}

function post(path: string, body: string, contentType = 'application/json', method = 'POST'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${server.url}${path}`,
      { method, ca: ca.cert, headers: { 'content-type': contentType } },
      (res) => {
        let data = '';
        res.on('data', (d: Buffer) => (data += d.toString()));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(data || '{}') as Reply['body'] });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

interface ReviewStatus {
  readonly code: number;
  readonly reason: string;
  readonly message: string;
  readonly details: { readonly causes: unknown[] };
}

function statusOf(reply: Reply): ReviewStatus {
  return reply.body.response?.status as ReviewStatus;
}

const review = (object: unknown, operation = 'CREATE', apiVersion = 'admission.k8s.io/v1'): string =>
  JSON.stringify({
    apiVersion,
    kind: 'AdmissionReview',
    request: {
      uid: 'u-1',
      kind: { group: 'webhooks.kubeforge.dev', version: 'v2', kind: 'Widget' },
      resource: { group: 'webhooks.kubeforge.dev', version: 'v2', resource: 'widgets' },
      operation,
      userInfo: { username: 'tester' },
      object,
      oldObject: null,
    },
  });

const widget = (spec: object): object => ({
  apiVersion: 'webhooks.kubeforge.dev/v2',
  kind: 'Widget',
  metadata: { name: 'w', namespace: 'ns' },
  spec,
});

test('a body that is not JSON is answered with a 400 error review and counted', async () => {
  const reply = await post(widgetValidation.path, '{not json');
  assert.equal(reply.status, 200);
  assert.equal(reply.body.response?.allowed, false);
  assert.equal(statusOf(reply).code, 400);
  assert.match(statusOf(reply).message, /not JSON/);
  const text = await metrics.registry.metrics();
  assert.match(
    text,
    /kubeforge_webhook_failures_total\{webhook="\/validate-webhooks-kubeforge-dev-v2-widget",reason="MalformedReview"\} [1-9]/,
  );
});

test('a review without a uid is refused saying which field is missing', async () => {
  const reply = await post(
    widgetValidation.path,
    JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: {} }),
  );
  assert.match(statusOf(reply).message, /request\.uid must be a non-empty string/);
});

test('a wrong content type is refused with the type to send', async () => {
  const reply = await post(widgetValidation.path, review(widget({})), 'text/plain');
  assert.match(statusOf(reply).message, /send application\/json/);
});

test('field errors deny with 422 Invalid and one cause per field', async () => {
  const reply = await post(widgetValidation.path, review(widget({ replicas: 11 })));
  const status = statusOf(reply);
  assert.equal(reply.body.response?.uid, 'u-1');
  assert.equal(status.code, 422);
  assert.equal(status.reason, 'Invalid');
  assert.equal(
    status.message,
    'Widget.webhooks.kubeforge.dev "w" is invalid: spec.replicas: Invalid value: 11: must be at most 10',
  );
  assert.deepEqual(status.details.causes, [
    { reason: 'FieldValueInvalid', message: 'Invalid value: 11: must be at most 10', field: 'spec.replicas' },
  ]);
});

test('a v1beta1 review is answered as v1beta1', async () => {
  const reply = await post(widgetValidation.path, review(widget({}), 'CREATE', 'admission.k8s.io/v1beta1'));
  assert.equal(reply.body.apiVersion, 'admission.k8s.io/v1beta1');
  assert.equal(reply.body.response?.allowed, true);
});

test('a defaulter answer is a base64 JSON patch', async () => {
  const reply = await post('/default', review(widget({ replicas: 1 })));
  assert.equal(reply.body.response?.patchType, 'JSONPatch');
  const patch = JSON.parse(Buffer.from(String(reply.body.response.patch), 'base64').toString()) as unknown;
  assert.deepEqual(patch, [{ op: 'add', path: '/spec/color', value: 'blue' }]);
});

interface HttpStatus {
  readonly kind: string;
  readonly code: number;
  readonly reason: string;
  readonly message: string;
}

/** A failed handler is an HTTP 500 with a Status, so the API server applies the failurePolicy. */
function httpStatusOf(reply: Reply): HttpStatus {
  assert.equal(reply.status, 500);
  return reply.body as unknown as HttpStatus;
}

test('a throwing handler gets an HTTP 500 Status naming it and the server keeps serving', async () => {
  const reply = await post('/throws', review(widget({})));
  assert.deepEqual(httpStatusOf(reply), {
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    code: 500,
    reason: 'InternalError',
    message: 'webhook "/throws" failed: boom',
  });
  const next = await post('/pods', review(widget({})));
  assert.deepEqual(next.body.response?.warnings, ['saw Widget']);
  assert.match(await metrics.registry.metrics(), /controller_runtime_webhook_panics_total [1-9]/);
});

test('a handler that outlives its timeout is answered with an error in time', async () => {
  const started = Date.now();
  const reply = await post('/hangs', review(widget({})));
  assert.ok(Date.now() - started < 2_000);
  assert.match(httpStatusOf(reply).message, /did not answer within 300 ms/);
});

test('a validating webhook that returns a patch is an error, not a silent mutation', async () => {
  const reply = await post('/patches', review(widget({})));
  assert.match(httpStatusOf(reply).message, /mutating: true/);
});

test('an unknown path answers 404 naming the served paths', async () => {
  const reply = await new Promise<number>((resolve) => {
    request(`${server.url}/nope`, { method: 'POST', ca: ca.cert }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).end('{}');
  });
  assert.equal(reply, 404);
});

const conversionReview = (objects: unknown[], desired: string): string =>
  JSON.stringify({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'ConversionReview',
    request: { uid: 'c-1', desiredAPIVersion: desired, objects },
  });

test('a conversion review of an unknown kind fails naming the registered kinds', async () => {
  const reply = await post(
    '/convert',
    conversionReview(
      [{ apiVersion: 'webhooks.kubeforge.dev/v1', kind: 'Gizmo', metadata: {} }],
      'webhooks.kubeforge.dev/v2',
    ),
  );
  const result = reply.body.response?.result as { status: string; message: string };
  assert.equal(result.status, 'Failure');
  assert.match(
    result.message,
    /no conversion is registered for kind Gizmo.webhooks.kubeforge.dev; registered: Widget.webhooks.kubeforge.dev/,
  );
});

test('a conversion review to an unknown version fails naming the known versions', async () => {
  const reply = await post('/convert', conversionReview([widget({})], 'webhooks.kubeforge.dev/v9'));
  const result = reply.body.response?.result as { status: string; message: string };
  assert.match(
    result.message,
    /version v9 of Widget.webhooks.kubeforge.dev has no conversion; known: v2 \(hub\), v1/,
  );
});

test('a malformed conversion review without a uid is an HTTP 400 with a Status', async () => {
  const reply = await post('/convert', JSON.stringify({ kind: 'ConversionReview' }));
  assert.equal(reply.status, 400);
  assert.match(reply.body.message ?? '', /expected kind ConversionReview/);
});

test('a conversion review converts every object to the desired version', async () => {
  const reply = await post(
    '/convert',
    conversionReview(
      [widget({ replicas: 2, tier: 'gold' }), widget({ replicas: 5 })],
      'webhooks.kubeforge.dev/v1',
    ),
  );
  const objects = reply.body.response?.convertedObjects as { apiVersion: string; spec: object }[];
  assert.deepEqual(
    objects.map((o) => [o.apiVersion, o.spec]),
    [
      ['webhooks.kubeforge.dev/v1', { size: 2 }],
      ['webhooks.kubeforge.dev/v1', { size: 5 }],
    ],
  );
});

test('a port already in use is refused naming the address', async () => {
  await assert.rejects(
    startWebhookServer({
      port: server.port,
      host: '127.0.0.1',
      certificates: staticCertificates(issueServingCertificate(ca, { hosts: ['127.0.0.1'] })),
      logger: noopLogger,
      webhooks: [widgetValidation],
    }),
    (error: unknown) =>
      error instanceof WebhookError &&
      error.reason === 'ListenFailed' &&
      error.message.includes(`cannot listen on 127.0.0.1:${server.port}`),
  );
});

test('odd request targets get an answer and leave the server serving', async () => {
  for (const target of ['//', '/%zz', '/convert?x=1#y', '*']) {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: server.port,
          path: target,
          method: 'POST',
          ca: ca.cert,
          servername: '127.0.0.1',
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end('{}');
    });
    assert.ok(status >= 200 && status < 500, `${target}: HTTP ${status}`);
  }
  assert.equal((await post('/pods', review(widget({})))).body.response?.allowed, true);
});

test('close lets a request in flight finish before the server stops', async () => {
  const slow = await startWebhookServer({
    port: 0,
    host: '127.0.0.1',
    certificates: staticCertificates(issueServingCertificate(ca, { hosts: ['127.0.0.1'] })),
    logger: noopLogger,
    webhooks: [
      admission({ path: '/slow', mutating: false }, async () => {
        await new Promise((r) => setTimeout(r, 300));
        return allow(['finished']);
      }),
    ],
  });
  const answer = new Promise<Reply['body']>((resolve, reject) => {
    const req = request(
      `${slow.url}/slow`,
      { method: 'POST', ca: ca.cert, headers: { 'content-type': 'application/json' } },
      (res) => {
        let data = '';
        res.on('data', (d: Buffer) => (data += d.toString()));
        res.on('end', () => resolve(JSON.parse(data) as Reply['body']));
      },
    );
    req.on('error', reject);
    req.end(review(widget({})));
  });
  await new Promise((r) => setTimeout(r, 50));
  await slow.close();
  assert.deepEqual((await answer).response?.warnings, ['finished']);
  assert.equal(await slow.ready(), false);
});
