import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { importCrds } from './import-crds.ts';
import { readCrds } from './crd-to-model.ts';
import { toJsonSchema } from './types.ts';

const testdata = fileURLToPath(new URL('./testdata/', import.meta.url));
const certificates = readFileSync(join(testdata, 'certificates.crd.yaml'), 'utf8');
const options = { inputName: 'certificates.crd.yaml', outDir: 'src/imports' };

function golden(name: string, actual: string): void {
  const path = join(testdata, '__golden__', name);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(path)) {
    mkdirSync(join(testdata, '__golden__'), { recursive: true });
    writeFileSync(path, actual);
  }
  assert.equal(
    actual,
    readFileSync(path, 'utf8'),
    `${name} differs from its golden file; UPDATE_GOLDEN=1 rewrites it`,
  );
}

describe('reading CRDs into the model', () => {
  test('names, scope, printer columns and subresources come from the CRD', () => {
    const { kinds, diagnostics } = readCrds(certificates, { inputName: 'c.yaml', typesFileOf: () => 'x.ts' });
    assert.deepEqual(diagnostics, []);
    const [kind] = kinds;
    assert.ok(kind);
    assert.equal(kind.group, 'cert-manager.io');
    assert.equal(kind.plural, 'certificates');
    assert.deepEqual(kind.shortNames, ['cert', 'certs']);
    assert.equal(kind.scope, 'Namespaced');
    assert.deepEqual(
      kind.versions.map((v) => [v.name, v.served, v.storage]),
      [
        ['v1', true, true],
        ['v1alpha2', false, false],
      ],
    );
    const v1 = kind.versions.find((v) => v.name === 'v1');
    assert.ok(v1);
    assert.equal(v1.subresources.status, true);
    assert.deepEqual(
      v1.printerColumns.map((c) => c.name),
      ['Ready', 'Secret', 'Age'],
    );
    assert.equal(v1.source.specTypeName, 'CertificateSpec');
  });

  test('v1beta1 CRDs, malformed YAML and inputs without CRDs are diagnostics, not exceptions', () => {
    const read = (text: string): readonly string[] =>
      readCrds(text, { inputName: 'in.yaml', typesFileOf: () => 'x.ts' }).diagnostics.map((d) => d.code);
    assert.deepEqual(
      read(
        'apiVersion: apiextensions.k8s.io/v1beta1\nkind: CustomResourceDefinition\nmetadata: {name: a.b.c}\n',
      ),
      ['unsupported-crd-version'],
    );
    assert.deepEqual(read('a: [1, 2\n'), ['invalid-yaml']);
    assert.deepEqual(read('apiVersion: v1\nkind: ConfigMap\n'), ['no-crds']);
    assert.deepEqual(
      read(
        'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: x}\nspec: {group: g.io}\n',
      ),
      ['invalid-crd'],
    );
  });

  test('a List of CRDs (as `kubectl get crd -o yaml` prints several) is read whole', () => {
    const list = `apiVersion: v1\nkind: List\nitems:\n${certificates
      .split('\n')
      .filter((l) => !l.startsWith('#'))
      .map((l, i) => (i === 0 ? `- ${l}` : `  ${l}`))
      .join('\n')}\n`;
    const { kinds, diagnostics } = readCrds(list, { inputName: 'list.yaml', typesFileOf: () => 'x.ts' });
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(
      kinds.map((k) => k.kind),
      ['Certificate'],
    );
  });
});

describe('TypeScript for imported kinds', () => {
  test('served versions get a types file and a typed client module next to it', async () => {
    const result = await importCrds(certificates, options);
    assert.deepEqual(result.diagnostics, []);
    assert.deepEqual(
      result.files.map((f) => f.path),
      [
        'src/imports/cert-manager.io/v1/certificate.ts',
        'src/imports/cert-manager.io/v1/certificate.client.ts',
      ],
    );
    golden('certificate.ts.golden', result.files[0]?.contents ?? '');
    const client = result.files[1]?.contents ?? '';
    assert.match(client, /from '\.\/certificate\.ts';/);
    assert.match(
      client,
      /export const certificateResource: typeof certificateCoordinates & ResourceDescriptor<Certificate> =/,
    );
    assert.match(client, /export function certificateInformer\(/);
    assert.match(client, /export function createCertificateClient\(/);
  });

  test('the output is deterministic', async () => {
    const [a, b] = await Promise.all([importCrds(certificates, options), importCrds(certificates, options)]);
    assert.deepEqual(a.files, b.files);
  });

  test('Kubernetes schema extensions map to TypeScript types', () => {
    assert.deepEqual(
      toJsonSchema({ 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] }),
      {
        tsType: 'number | string',
      },
    );
    assert.deepEqual(toJsonSchema({ type: 'string', nullable: true }), { type: ['string', 'null'] });
    assert.deepEqual(toJsonSchema({ 'x-kubernetes-preserve-unknown-fields': true }), {
      additionalProperties: true,
      type: 'object',
    });
  });
});
