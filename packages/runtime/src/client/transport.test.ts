import assert from 'node:assert/strict';
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
