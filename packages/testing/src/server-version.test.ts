import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseServerVersion } from './server-version.ts';
import { skipUnlessServerAtLeast } from './require-version.ts';
import { apiServerVersionFlags } from './version-flags.ts';

test('versions are read from --version output, /version and distribution suffixes', () => {
  assert.equal(parseServerVersion('Kubernetes v1.20.2\n').gitVersion, 'v1.20.2');
  const k3s = parseServerVersion('v1.34.9+k3s1');
  assert.deepEqual([k3s.major, k3s.minor, k3s.patch, k3s.gitVersion], [1, 34, 9, 'v1.34.9+k3s1']);
  assert.equal(parseServerVersion('etcd Version: 3.5.16').minor, 5);
});

test('atLeast compares major, minor and patch numerically', () => {
  const v = parseServerVersion('v1.34.9');
  assert.equal(v.atLeast('1.34'), true);
  assert.equal(v.atLeast('1.34.9'), true);
  assert.equal(v.atLeast('1.34.10'), false);
  assert.equal(v.atLeast('1.4'), true);
  assert.equal(v.atLeast('1.100'), false);
  assert.equal(parseServerVersion('v1.9.0').atLeast('1.25'), false);
});

test('text without a version is an error that quotes it', () => {
  assert.throws(() => parseServerVersion('garbage'), /cannot read a Kubernetes version from 'garbage'/);
});

test('skipUnlessServerAtLeast skips with a message naming the feature and both versions', () => {
  const skipped: string[] = [];
  const t = { skip: (message?: string) => void skipped.push(message ?? '') };
  const old = { serverVersion: parseServerVersion('v1.20.2') };
  assert.equal(skipUnlessServerAtLeast(t, old, '1.25', 'CEL validation rules'), true);
  assert.deepEqual(skipped, ['CEL validation rules needs Kubernetes >= 1.25; this server is v1.20.2']);
  assert.equal(
    skipUnlessServerAtLeast(t, { serverVersion: parseServerVersion('v1.34.9') }, '1.25', 'x'),
    false,
  );
  assert.equal(skipped.length, 1);
});

test('--insecure-port=0 goes only to servers before 1.24, which removed the flag', () => {
  assert.deepEqual(apiServerVersionFlags(parseServerVersion('v1.20.2')), ['--insecure-port=0']);
  assert.deepEqual(apiServerVersionFlags(parseServerVersion('v1.23.17')), ['--insecure-port=0']);
  assert.deepEqual(apiServerVersionFlags(parseServerVersion('v1.24.0')), []);
  assert.deepEqual(apiServerVersionFlags(parseServerVersion('v1.34.9')), []);
});
