/** The admission builders' contracts, without a server. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../api/index.ts';
import { admission, defaulting, validating, AdmissionDenied } from './admission.ts';
import { fieldError, formatFieldErrors } from './field-errors.ts';
import type { AdmissionRequest, Operation } from './review.ts';
import { WebhookError } from './review.ts';

const widgets = { group: 'example.com', version: 'v1', kind: 'Widget', plural: 'widgets', namespaced: true };
const signal = new AbortController().signal;
const request = (operation: Operation, object?: KubeObject, oldObject?: KubeObject): AdmissionRequest => ({
  uid: 'u',
  kind: { group: 'example.com', version: 'v1', kind: 'Widget' },
  resource: { group: 'example.com', version: 'v1', resource: 'widgets' },
  operation,
  userInfo: {},
  name: 'w',
  ...(object && { object }),
  ...(oldObject && { oldObject }),
});
const widget = (spec: object): KubeObject =>
  ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec }) as KubeObject;

test('paths follow controller-runtime, with dots in the group as dashes', () => {
  assert.equal(defaulting(widgets, (o) => o).path, '/mutate-example-com-v1-widget');
  assert.equal(validating(widgets, {}).path, '/validate-example-com-v1-widget');
  assert.equal(
    validating({ group: '', version: 'v1', kind: 'Pod', plural: 'pods', namespaced: true }, {}).path,
    '/validate-core-v1-pod',
  );
});

test('a defaulter is not called on DELETE', async () => {
  let called = false;
  const hook = defaulting(widgets, (o) => {
    called = true;
    return o;
  });
  assert.deepEqual(await hook.handle(request('DELETE', undefined, widget({})), { signal }), {
    type: 'allowed',
  });
  assert.equal(called, false);
});

test('a defaulter that changes nothing answers without a patch', async () => {
  const hook = defaulting(widgets, (o) => o);
  assert.deepEqual(await hook.handle(request('CREATE', widget({ a: 1 })), { signal }), { type: 'allowed' });
});

test('a defaulter mutating its copy never touches the request object', async () => {
  const object = widget({ a: 1 });
  const hook = defaulting<KubeObject & { spec: { a: number } }>(widgets, (o) => {
    o.spec.a = 2;
    return o;
  });
  const result = await hook.handle(request('CREATE', object), { signal });
  assert.deepEqual(result, { type: 'allowed', patch: [{ op: 'replace', path: '/spec/a', value: 2 }] });
  assert.deepEqual(object, widget({ a: 1 }));
});

test('update validation receives the new and the old object', async () => {
  const seen: unknown[] = [];
  const hook = validating(widgets, {
    update: (now, old) => {
      seen.push(now, old);
    },
  });
  await hook.handle(request('UPDATE', widget({ v: 2 }), widget({ v: 1 })), { signal });
  assert.deepEqual(seen, [widget({ v: 2 }), widget({ v: 1 })]);
});

test('a validator without a method for the operation allows it', async () => {
  const hook = validating(widgets, { create: () => ({ errors: [fieldError.required('spec.x')] }) });
  assert.equal((await hook.handle(request('DELETE', undefined, widget({})), { signal })).type, 'allowed');
});

test('AdmissionDenied denies with its reason and the matching code', async () => {
  const hook = validating(widgets, {
    delete: () => {
      throw new AdmissionDenied('Forbidden', 'protected');
    },
  });
  assert.deepEqual(await hook.handle(request('DELETE', undefined, widget({})), { signal }), {
    type: 'denied',
    code: 403,
    reason: 'Forbidden',
    message: 'protected',
  });
});

test('several field errors are listed the way the API server lists them', () => {
  assert.equal(
    formatFieldErrors([
      fieldError.required('spec.image'),
      fieldError.notSupported('spec.mode', 'x', ['a', 'b']),
    ]),
    '[spec.image: Required value, spec.mode: Unsupported value: "x": supported values: "a", "b"]',
  );
});

test('a path with spaces or without a leading slash is refused', () => {
  assert.throws(
    () => admission({ path: 'pods', mutating: false }, () => ({ type: 'allowed' })),
    (e: unknown) =>
      e instanceof WebhookError &&
      e.reason === 'InvalidRegistration' &&
      e.message.includes('must start with "/"'),
  );
});
