/**
 * Unit tests of request construction and response handling, with a recording fake transport.
 * Behaviour against a real API server is covered by resource-client.integration.test.ts.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject, WatchEvent } from '../api/index.ts';
import {
  clusterGadgetResource,
  configMapResource,
  gadgetResource,
  type ClusterGadget,
  type Gadget,
} from '../testdata/gadgets.ts';
import { createResourceClient } from './create-resource-client.ts';
import { ClientUsageError, isConflict, NetworkError } from './errors.ts';
import type { BufferedResponse, HttpRequest, StreamingResponse, Transport } from './transport.ts';

class FakeTransport implements Transport {
  observe(): () => void {
    return () => undefined;
  }
  readonly timeoutMs = 1000;
  readonly requests: HttpRequest[] = [];
  readonly responses: BufferedResponse[] = [];
  stream: string[] = [];

  reply(statusCode: number, body: unknown): this {
    this.responses.push({ statusCode, body: JSON.stringify(body), retryAfter: undefined, request: 'TEST' });
    return this;
  }

  send(request: HttpRequest): Promise<BufferedResponse> {
    this.requests.push(request);
    return Promise.resolve(
      this.responses.shift() ?? assert.fail(`unexpected request ${request.method} ${request.path}`),
    );
  }

  open(request: HttpRequest): Promise<StreamingResponse> {
    this.requests.push(request);
    return Promise.resolve({
      statusCode: 200,
      body: Readable.from(this.stream.map((chunk) => Buffer.from(chunk))),
    });
  }

  stats(): undefined {
    return undefined;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  destroy(): Promise<void> {
    return Promise.resolve();
  }

  last(): HttpRequest {
    return this.requests.at(-1) ?? assert.fail('no request was sent');
  }
}

const kubeConfig = new KubeConfig();
const gadget = (name: string, namespace = 'prod'): Gadget => ({
  metadata: { name, namespace },
  spec: { size: 1 },
});
const usage = (reason: ClientUsageError['reason']) => (error: unknown) =>
  error instanceof ClientUsageError && error.reason === reason;

function clients(transport: FakeTransport) {
  return {
    gadgets: createResourceClient<Gadget>(kubeConfig, gadgetResource, { transport }),
    clusterGadgets: createResourceClient<ClusterGadget>(kubeConfig, clusterGadgetResource, { transport }),
  };
}

describe('namespaces and names', () => {
  test('a cluster-scoped resource rejects a namespace in options, objects and views', async () => {
    const { clusterGadgets } = clients(new FakeTransport());
    await assert.rejects(clusterGadgets.get('a', { namespace: 'prod' }), usage('NamespaceNotAllowed'));
    await assert.rejects(
      clusterGadgets.create({ metadata: { name: 'a', namespace: 'prod' }, spec: { region: 'eu' } }),
      usage('NamespaceNotAllowed'),
    );
    assert.throws(() => clusterGadgets.inNamespace('prod'), usage('NamespaceNotAllowed'));
  });

  test('a namespaced resource needs a namespace for calls on one object', async () => {
    const { gadgets } = clients(new FakeTransport());
    await assert.rejects(gadgets.get('a'), usage('NamespaceRequired'));
    await assert.rejects(
      gadgets.create({ metadata: { name: 'a' }, spec: { size: 1 } }),
      usage('NamespaceRequired'),
    );
    await assert.rejects(gadgets.deleteCollection(), usage('NamespaceRequired'));
  });

  test('an inNamespace view supplies the namespace and rejects a different one', async () => {
    const transport = new FakeTransport().reply(200, gadget('a'));
    const prod = clients(transport).gadgets.inNamespace('prod');
    await prod.get('a');
    assert.equal(transport.last().path, '/apis/runtime.kubeforge.dev/v1/namespaces/prod/gadgets/a');
    await assert.rejects(prod.get('a', { namespace: 'dev' }), usage('NamespaceMismatch'));
    await assert.rejects(prod.create(gadget('b', 'dev')), usage('NamespaceMismatch'));
  });

  test('list and watch span all namespaces when none is given', async () => {
    const transport = new FakeTransport().reply(200, { metadata: {}, items: [] });
    await clients(transport).gadgets.list();
    assert.equal(transport.last().path, '/apis/runtime.kubeforge.dev/v1/gadgets');
  });

  test('empty names are rejected before anything is sent', async () => {
    const transport = new FakeTransport();
    const { gadgets } = clients(transport);
    await assert.rejects(gadgets.get('', { namespace: 'prod' }), usage('NameRequired'));
    await assert.rejects(
      gadgets.update({ metadata: { namespace: 'prod' }, spec: { size: 1 } }),
      usage('NameRequired'),
    );
    assert.equal(transport.requests.length, 0);
  });
});

describe('request construction', () => {
  test('create fills apiVersion and kind and sends write options as parameters', async () => {
    const transport = new FakeTransport().reply(201, gadget('a'));
    await clients(transport).gadgets.create(gadget('a'), {
      dryRun: true,
      fieldManager: 'me',
      fieldValidation: 'Strict',
    });
    const request = transport.last();
    assert.equal(request.method, 'POST');
    assert.equal(
      request.path,
      '/apis/runtime.kubeforge.dev/v1/namespaces/prod/gadgets?dryRun=All&fieldManager=me&fieldValidation=Strict',
    );
    assert.equal(request.contentType, 'application/json');
    assert.deepEqual(JSON.parse(request.body ?? ''), {
      ...gadget('a'),
      apiVersion: 'runtime.kubeforge.dev/v1',
      kind: 'Gadget',
    });
  });

  test('an object of another kind is rejected', async () => {
    const { gadgets } = clients(new FakeTransport());
    await assert.rejects(gadgets.create({ ...gadget('a'), kind: 'Widget' }), usage('KindMismatch'));
  });

  test('updateStatus writes the status subresource', async () => {
    const transport = new FakeTransport().reply(200, gadget('a'));
    await clients(transport).gadgets.updateStatus({ ...gadget('a'), status: { phase: 'Ready' } });
    assert.equal(transport.last().method, 'PUT');
    assert.equal(transport.last().path, '/apis/runtime.kubeforge.dev/v1/namespaces/prod/gadgets/a/status');
  });

  test('each patch kind is sent with its content type and body', async () => {
    const transport = new FakeTransport()
      .reply(200, gadget('a'))
      .reply(200, gadget('a'))
      .reply(200, gadget('a'));
    const { gadgets } = clients(transport);
    await gadgets.patch('a', { type: 'merge', patch: { spec: { color: null } } }, { namespace: 'prod' });
    assert.equal(transport.last().contentType, 'application/merge-patch+json');
    assert.equal(transport.last().body, '{"spec":{"color":null}}');

    await gadgets.patch(
      'a',
      { type: 'json', operations: [{ op: 'replace', path: '/spec/size', value: 2 }] },
      { namespace: 'prod', subresource: 'status' },
    );
    assert.equal(transport.last().contentType, 'application/json-patch+json');
    assert.equal(transport.last().path, '/apis/runtime.kubeforge.dev/v1/namespaces/prod/gadgets/a/status');
    assert.equal(transport.last().body, '[{"op":"replace","path":"/spec/size","value":2}]');

    await gadgets.apply(
      { metadata: { name: 'a', namespace: 'prod' }, spec: { size: 3 } },
      { fieldManager: 'ctl', force: true },
    );
    assert.equal(transport.last().contentType, 'application/apply-patch+yaml');
    assert.equal(
      transport.last().path,
      '/apis/runtime.kubeforge.dev/v1/namespaces/prod/gadgets/a?fieldManager=ctl&force=true',
    );
    assert.deepEqual(JSON.parse(transport.last().body ?? ''), {
      apiVersion: 'runtime.kubeforge.dev/v1',
      kind: 'Gadget',
      metadata: { name: 'a', namespace: 'prod' },
      spec: { size: 3 },
    });
  });

  test('server-side apply needs a field manager', async () => {
    const { gadgets } = clients(new FakeTransport());
    await assert.rejects(
      gadgets.apply({ metadata: { name: 'a', namespace: 'prod' } }),
      usage('FieldManagerRequired'),
    );
  });

  test('delete sends DeleteOptions with preconditions in the body', async () => {
    const transport = new FakeTransport().reply(200, { kind: 'Status', status: 'Success', metadata: {} });
    const result = await clients(transport).gadgets.delete('a', {
      namespace: 'prod',
      propagationPolicy: 'Foreground',
      gracePeriodSeconds: 0,
      preconditions: { uid: 'u-1', resourceVersion: '7' },
      dryRun: true,
    });
    assert.deepEqual(result, { status: 'deleted' });
    assert.equal(transport.last().method, 'DELETE');
    assert.deepEqual(JSON.parse(transport.last().body ?? ''), {
      apiVersion: 'v1',
      kind: 'DeleteOptions',
      propagationPolicy: 'Foreground',
      gracePeriodSeconds: 0,
      preconditions: { uid: 'u-1', resourceVersion: '7' },
      dryRun: ['All'],
    });
  });

  test('a deleted object held by finalizers is reported as pending', async () => {
    const held = {
      ...gadget('a'),
      metadata: {
        name: 'a',
        namespace: 'prod',
        deletionTimestamp: '2024-01-01T00:00:00Z',
        finalizers: ['x'],
      },
    };
    const transport = new FakeTransport().reply(200, held).reply(200, gadget('b'));
    const { gadgets } = clients(transport);
    assert.equal((await gadgets.delete('a', { namespace: 'prod' })).status, 'pending');
    const gone = await gadgets.delete('b', { namespace: 'prod' });
    assert.equal(gone.status, 'deleted');
    assert.equal(gone.object?.metadata.name, 'b');
    assert.equal(transport.last().body, undefined);
  });

  test('list sends selectors, paging and version parameters', async () => {
    const transport = new FakeTransport().reply(200, { metadata: { resourceVersion: '5' }, items: null });
    const list = await createResourceClient<KubeObject>(kubeConfig, configMapResource, { transport }).list({
      namespace: 'kube-system',
      labelSelector: 'app=a',
      fieldSelector: 'metadata.name=x',
      limit: 10,
      continue: 'tok',
      resourceVersion: '0',
      resourceVersionMatch: 'NotOlderThan',
    });
    assert.deepEqual(list.items, []);
    assert.equal(
      transport.last().path,
      '/api/v1/namespaces/kube-system/configmaps?labelSelector=app%3Da&fieldSelector=metadata.name%3Dx&limit=10&continue=tok&resourceVersion=0&resourceVersionMatch=NotOlderThan',
    );
  });

  test('listAll follows continue tokens without resending the resourceVersion', async () => {
    const transport = new FakeTransport()
      .reply(200, { metadata: { resourceVersion: '9', continue: 'next' }, items: [gadget('a')] })
      .reply(200, { metadata: { resourceVersion: '9' }, items: [gadget('b')] });
    const all = await clients(transport).gadgets.listAll({ pageSize: 1, resourceVersion: '0' });
    assert.deepEqual(
      all.items.map((item) => item.metadata.name),
      ['a', 'b'],
    );
    assert.equal(all.metadata.resourceVersion, '9');
    assert.equal(
      transport.requests[0]?.path,
      '/apis/runtime.kubeforge.dev/v1/gadgets?limit=1&resourceVersion=0',
    );
    assert.equal(transport.requests[1]?.path, '/apis/runtime.kubeforge.dev/v1/gadgets?limit=1&continue=next');
  });

  test('listAll falls back to one unpaginated list when a continue token expires', async () => {
    const expired = { kind: 'Status', code: 410, reason: 'Expired', message: 'continue token too old' };
    const transport = new FakeTransport()
      .reply(200, { metadata: { resourceVersion: '9', continue: 'next' }, items: [gadget('a')] })
      .reply(410, expired)
      .reply(200, { metadata: { resourceVersion: '12' }, items: [gadget('a'), gadget('b'), gadget('c')] });
    const all = await clients(transport).gadgets.listAll({ pageSize: 1, labelSelector: 'x=y' });
    assert.deepEqual(
      all.items.map((item) => item.metadata.name),
      ['a', 'b', 'c'],
    );
    assert.equal(all.metadata.resourceVersion, '12');
    assert.equal(transport.last().path, '/apis/runtime.kubeforge.dev/v1/gadgets?labelSelector=x%3Dy');
  });

  test('failures become ApiErrors', async () => {
    const transport = new FakeTransport().reply(409, {
      kind: 'Status',
      code: 409,
      reason: 'Conflict',
      message: 'modified',
    });
    await assert.rejects(clients(transport).gadgets.update(gadget('a')), isConflict);
  });

  test('modify re-reads the object after a conflict', async () => {
    const conflict = { kind: 'Status', code: 409, reason: 'Conflict', message: 'modified' };
    const transport = new FakeTransport()
      .reply(200, { ...gadget('a'), metadata: { name: 'a', namespace: 'prod', resourceVersion: '1' } })
      .reply(409, conflict)
      .reply(200, { ...gadget('a'), metadata: { name: 'a', namespace: 'prod', resourceVersion: '2' } })
      .reply(200, gadget('a'));
    await clients(transport).gadgets.modify(
      'a',
      (current) => {
        current.spec.size = 5;
      },
      { namespace: 'prod' },
    );
    assert.deepEqual(
      transport.requests.map((request) => request.method),
      ['GET', 'PUT', 'GET', 'PUT'],
    );
    assert.equal((JSON.parse(transport.last().body ?? '') as Gadget).metadata.resourceVersion, '2');
  });
});

describe('watch', () => {
  test('yields typed events from a stream split at arbitrary points and reports activity', async () => {
    const transport = new FakeTransport();
    const lines =
      '{"type":"ADDED","object":{"metadata":{"name":"a"},"spec":{"size":1}}}\n' +
      '{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"8"}}}\n' +
      '{"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired"}}\n';
    transport.stream = [lines.slice(0, 30), lines.slice(30, 75), lines.slice(75)];
    let activity = 0;
    const events: WatchEvent<Gadget>[] = [];
    for await (const event of clients(transport).gadgets.watch({
      namespace: 'prod',
      resourceVersion: '5',
      allowWatchBookmarks: true,
      timeoutSeconds: 300,
      onActivity: () => activity++,
    })) {
      events.push(event);
    }
    assert.deepEqual(
      events.map((event) => event.type),
      ['added', 'bookmark', 'error'],
    );
    assert.equal(activity, 4, 'once when the response opened, then once per chunk');
    assert.equal(transport.last().watch, true, 'sent as a watch (pinged HTTP/2 connection)');
    assert.equal(
      transport.last().path,
      '/apis/runtime.kubeforge.dev/v1/namespaces/prod/gadgets?watch=true&allowWatchBookmarks=true&resourceVersion=5&timeoutSeconds=300',
    );
  });

  test('a stream that ends inside an event is a malformed response', async () => {
    const transport = new FakeTransport();
    transport.stream = ['{"type":"ADDED","object":{"metadata":{"name":"a"}}}\n{"type":"MOD'];
    const iterate = async (): Promise<void> => {
      for await (const _ of clients(transport).gadgets.watch()) {
        // drain
      }
    };
    await assert.rejects(
      iterate(),
      (error) => error instanceof NetworkError && error.reason === 'MalformedResponse',
    );
  });

  test('an already aborted signal ends the watch without a request', async () => {
    const transport = new FakeTransport();
    const events = [];
    for await (const event of clients(transport).gadgets.watch({ signal: AbortSignal.abort() }))
      events.push(event);
    assert.deepEqual(events, []);
    assert.equal(transport.requests.length, 0);
  });
});
