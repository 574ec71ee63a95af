import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { ClientUsageError } from './errors.ts';
import { createTransport, DEFAULT_USER_AGENT, retryAfterDelayMs } from './transport.ts';

describe('retryAfterDelayMs', () => {
  test('honours Retry-After on 429 and 5xx responses, as client-go does', () => {
    assert.equal(retryAfterDelayMs(429, '2'), 2000);
    assert.equal(retryAfterDelayMs(503, '1'), 1000);
    assert.equal(retryAfterDelayMs(500, '0'), 0);
  });

  test('does not retry without the header, on other statuses, or with a date or junk value', () => {
    assert.equal(retryAfterDelayMs(429, undefined), undefined);
    assert.equal(retryAfterDelayMs(409, '1'), undefined);
    assert.equal(retryAfterDelayMs(429, 'Wed, 21 Oct 2015 07:28:00 GMT'), undefined);
    assert.equal(retryAfterDelayMs(429, '1.5'), undefined);
  });

  test('caps very long waits at a minute', () => {
    assert.equal(retryAfterDelayMs(429, '3600'), 60_000);
  });
});

describe('createTransport', () => {
  test('needs a kubeconfig with a current cluster', () => {
    assert.throws(
      () => createTransport(new KubeConfig()),
      (error) =>
        error instanceof ClientUsageError &&
        error.reason === 'KubeConfig' &&
        error.message.includes('no cluster'),
    );
  });

  test('rejects SOCKS proxies with a clear message', () => {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromClusterAndUser(
      {
        name: 'c',
        server: 'https://example.invalid',
        skipTLSVerify: false,
        proxyUrl: 'socks5://127.0.0.1:1080',
      },
      { name: 'u' },
    );
    assert.throws(() => createTransport(kubeConfig), /SOCKS proxies are not supported/);
  });

  test('identifies itself as kubeforge/<version>', () => {
    assert.match(DEFAULT_USER_AGENT, /^kubeforge\/\d+\.\d+\.\d+ /);
  });
});

describe('credentials from a token file', () => {
  test('after a 401 the token file is read again at once and the request retried', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kf-token-'));
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, 'old-token\n');
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers.authorization ?? '');
      res.writeHead(req.headers.authorization === 'Bearer new-token' ? 200 : 401, {
        'content-type': 'application/json',
      });
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromClusterAndUser(
      { name: 'c', server: `http://127.0.0.1:${port}`, skipTLSVerify: true },
      { name: 'u', authProvider: { name: 'tokenFile', config: { tokenFile } } },
    );
    const transport = createTransport(kubeConfig, { authRefreshIntervalMs: 3_600_000 });
    try {
      assert.equal((await transport.send({ method: 'GET', path: '/version' })).statusCode, 401);
      writeFileSync(tokenFile, 'new-token\n'); // the kubelet rotates the token
      const response = await transport.send({ method: 'GET', path: '/version' });
      assert.equal(response.statusCode, 200, `authorizations sent: ${seen.join(', ')}`);
      assert.deepEqual(seen.slice(-2), ['Bearer old-token', 'Bearer new-token']);
    } finally {
      await transport.destroy();
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('watch connections', () => {
  test('a watch whose connection cannot be made fails with an error, without throwing out of the connector', async () => {
    // A port nobody listens on: undici's connector calls back with the error alone (no socket).
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromClusterAndUser(
      { name: 'c', server: `https://127.0.0.1:${port}`, skipTLSVerify: true },
      { name: 'u', token: 't' },
    );
    const transport = createTransport(kubeConfig);
    try {
      await assert.rejects(
        transport.open({ method: 'GET', path: '/api/v1/configmaps?watch=true', watch: true }),
      );
    } finally {
      await transport.destroy();
    }
  });
});
