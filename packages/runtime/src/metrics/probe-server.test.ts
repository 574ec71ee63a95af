import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HealthCheckError, ProbeServerError, startProbeServer, type ProbeServer } from './probe-server.ts';

async function fetchText(
  url: string,
  init?: RequestInit,
): Promise<{ status: number; body: string; type: string }> {
  const res = await fetch(url, init);
  return { status: res.status, body: await res.text(), type: res.headers.get('content-type') ?? '' };
}

describe('startProbeServer', () => {
  let server: ProbeServer;
  let cacheSynced = false;
  const warnings: string[] = [];

  before(async () => {
    server = await startProbeServer({
      port: 0,
      host: '127.0.0.1',
      healthz: { ping: () => true },
      readyz: {
        'cache-sync': () => cacheSynced,
        leader: () => Promise.resolve(),
      },
      checkTimeoutMs: 200,
      logger: { warn: (message, fields) => warnings.push(`${message} ${JSON.stringify(fields)}`) },
    });
  });
  after(() => server.close());

  it('answers ok on /healthz when every check passes', async () => {
    assert.deepEqual(await fetchText(`${server.url}/healthz`), {
      status: 200,
      body: 'ok',
      type: 'text/plain; charset=utf-8',
    });
  });

  it('lists each check with ?verbose, like the Kubernetes API server', async () => {
    const res = await fetchText(`${server.url}/healthz?verbose`);
    assert.equal(res.status, 200);
    assert.equal(res.body, '[+]ping ok\nhealthz check passed\n');
  });

  it('fails /readyz with 500 while a check fails, naming it and withholding the reason', async () => {
    const res = await fetchText(`${server.url}/readyz`);
    assert.equal(res.status, 500);
    assert.equal(res.body, '[-]cache-sync failed: reason withheld\n[+]leader ok\nreadyz check failed\n');
    assert.ok(
      warnings.some((w) => w.includes('cache-sync')),
      'the failure is logged',
    );
  });

  it('flips /readyz once the failing check passes', async () => {
    cacheSynced = true;
    try {
      assert.equal((await fetchText(`${server.url}/readyz`)).status, 200);
    } finally {
      cacheSynced = false;
    }
  });

  it('skips checks named in ?exclude', async () => {
    const res = await fetchText(`${server.url}/readyz?exclude=cache-sync&verbose`);
    assert.equal(res.status, 200);
    assert.equal(res.body, '[+]leader ok\n[+]cache-sync excluded: ok\nreadyz check passed\n');
  });

  it('runs one check alone at /readyz/<name>, with its reason', async () => {
    assert.deepEqual(await fetchText(`${server.url}/readyz/leader`), {
      status: 200,
      body: 'ok',
      type: 'text/plain; charset=utf-8',
    });
    const failed = await fetchText(`${server.url}/readyz/cache-sync`);
    assert.equal(failed.status, 500);
    assert.equal(failed.body, 'internal server error: check returned false\n');
    assert.equal((await fetchText(`${server.url}/readyz/nope`)).status, 404);
  });

  it('shows the explanation of a HealthCheckError in the aggregate, on one line', async () => {
    server.addReadyzCheck('informers', () => {
      throw new HealthCheckError('pods.v1 not synced: backoff, last failure list Forbidden\nsecond line');
    });
    const res = await fetchText(`${server.url}/readyz?exclude=cache-sync`);
    assert.equal(res.status, 500);
    assert.match(
      res.body,
      /\[-\]informers failed: pods\.v1 not synced: backoff, last failure list Forbidden; second line\n/,
    );
  });

  it('fails a check that throws or hangs past the timeout', async () => {
    server.addHealthzCheck('broken', () => {
      throw new Error('disk on fire');
    });
    server.addHealthzCheck('hung', () => new Promise(() => undefined));
    const res = await fetchText(`${server.url}/healthz?verbose`);
    assert.equal(res.status, 500);
    assert.equal(
      res.body,
      '[+]ping ok\n[-]broken failed: reason withheld\n[-]hung failed: reason withheld\nhealthz check failed\n',
    );
    assert.equal(
      (await fetchText(`${server.url}/healthz/broken`)).body,
      'internal server error: disk on fire\n',
    );
    assert.equal(
      (await fetchText(`${server.url}/healthz/hung`)).body,
      'internal server error: timed out after 200 ms\n',
    );
  });

  it('answers 404 for unknown paths and 405 for other methods', async () => {
    assert.equal((await fetchText(`${server.url}/nope`)).status, 404);
    const post = await fetchText(`${server.url}/healthz`, { method: 'POST' });
    assert.equal(post.status, 405);
  });

  it('rejects check names that cannot be paths', () => {
    assert.throws(
      () => server.addReadyzCheck('has space', () => true),
      (err: unknown) => err instanceof ProbeServerError && err.reason === 'InvalidCheckName',
    );
  });

  it('answers ping when no checks are configured, and closes cleanly with open connections', async () => {
    const bare = await startProbeServer({ port: 0, host: '127.0.0.1' });
    assert.equal((await fetchText(`${bare.url}/readyz?verbose`)).body, '[+]ping ok\nreadyz check passed\n');
    // Metrics are served by the metrics server, never on the probe port.
    assert.equal((await fetchText(`${bare.url}/metrics`)).status, 404);
    await bare.close();
    await assert.rejects(fetch(`${bare.url}/healthz`));
  });

  it('reports a port that is already taken as ListenFailed', async () => {
    await assert.rejects(
      startProbeServer({ port: server.port, host: '127.0.0.1' }),
      (err: unknown) =>
        err instanceof ProbeServerError &&
        err.reason === 'ListenFailed' &&
        err.message.includes('cannot listen'),
    );
  });
});
