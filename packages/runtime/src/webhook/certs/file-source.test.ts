/** Certificates from files: only matching, valid pairs are published; a bad write keeps the old pair. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createCertificateAuthority, issueServingCertificate } from './authority.ts';
import { fileCertificates } from './file-source.ts';
import { mergeBundles } from './inject.ts';
import type { ServingCertificate } from './source.ts';

const ca = createCertificateAuthority();

test('a certificate written without its key is not served until the key follows', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubeforge-certs-'));
  const first = issueServingCertificate(ca, { hosts: ['127.0.0.1'] });
  writeFileSync(join(dir, 'tls.crt'), first.cert);
  writeFileSync(join(dir, 'tls.key'), first.key);
  const source = fileCertificates({ dir, pollIntervalMs: 50 });
  const seen: ServingCertificate[] = [];
  source.subscribe((pair) => seen.push(pair));
  await source.start(new AbortController().signal);
  assert.equal(source.current()?.cert, first.cert);
  const next = issueServingCertificate(ca, { hosts: ['127.0.0.1'] });
  writeFileSync(join(dir, 'tls.crt'), next.cert);
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(seen, []);
  assert.equal(source.current()?.cert, first.cert);
  writeFileSync(join(dir, 'tls.key'), next.key);
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(seen, [next]);
  await source.stop();
  rmSync(dir, { recursive: true });
});

test('starting without the files fails naming the paths and the fix', async () => {
  const source = fileCertificates({ dir: '/nonexistent/serving-certs' });
  await assert.rejects(
    source.start(new AbortController().signal),
    /expected \/nonexistent\/serving-certs\/tls\.crt and \/nonexistent\/serving-certs\/tls\.key; mount the Secret there/,
  );
});

test('an expired certificate is refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubeforge-certs-'));
  const old = issueServingCertificate(ca, {
    hosts: ['127.0.0.1'],
    validityMs: 1_000,
    now: () => Date.now() - 10_000,
  });
  writeFileSync(join(dir, 'tls.crt'), old.cert);
  writeFileSync(join(dir, 'tls.key'), old.key);
  await assert.rejects(fileCertificates({ dir }).start(new AbortController().signal), /expired/);
  rmSync(dir, { recursive: true });
});

test('merged CA bundles keep unexpired CAs, drop expired ones and never repeat one', () => {
  const other = createCertificateAuthority();
  const expired = createCertificateAuthority({ validityMs: 1_000, now: () => Date.now() - 10_000 });
  const existing = Buffer.from(`${other.cert}\n${expired.cert}\n${ca.cert}`).toString('base64');
  const merged = Buffer.from(mergeBundles(existing, ca.cert, Date.now()), 'base64').toString();
  const certs = merged.match(/BEGIN CERTIFICATE/g) ?? [];
  assert.equal(certs.length, 2);
  assert.ok(merged.startsWith(ca.cert.trim()));
  assert.ok(merged.includes(other.cert.trim()));
});

test('a Secret volume update (the kubelet swapping the ..data symlink) is picked up without polling', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubeforge-certs-'));
  const version = (name: string, pair: ServingCertificate): void => {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'tls.crt'), pair.cert);
    writeFileSync(join(dir, name, 'tls.key'), pair.key);
  };
  const first = issueServingCertificate(ca, { hosts: ['127.0.0.1'] });
  version('..v1', first);
  symlinkSync('..v1', join(dir, '..data'));
  symlinkSync('..data/tls.crt', join(dir, 'tls.crt'));
  symlinkSync('..data/tls.key', join(dir, 'tls.key'));
  const source = fileCertificates({ dir, pollIntervalMs: 600_000 });
  const seen: ServingCertificate[] = [];
  source.subscribe((pair) => seen.push(pair));
  await source.start(new AbortController().signal);
  const next = issueServingCertificate(ca, { hosts: ['127.0.0.1'] });
  version('..v2', next);
  symlinkSync('..v2', join(dir, '..data_tmp'));
  renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
  const deadline = Date.now() + 5_000;
  while (seen.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(seen, [next]);
  await source.stop();
  rmSync(dir, { recursive: true });
});
