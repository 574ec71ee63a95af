/**
 * Every generated descriptor against a real API server's discovery: for each group/version the
 * server serves, each kind's plural, scope and verbs (and, on a server of the release, its
 * singular, short names and subresources) are what the server says, and the server serves no
 * kind the module lacks. Group/versions (and kinds) a server older than the release
 * does not serve are skipped with the reason; on a server of the release itself, every one of
 * them must be served.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { apiVersionOf, createTransport, type Transport } from '@kubeforge/runtime';
import { parseServerVersion, startControlPlane, type ControlPlane } from '@kubeforge/testing';
import type { BuiltInResource } from '@kubeforge/api';
import { kubernetesRelease } from './release.ts';

const packageDir = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
  exports: Record<string, unknown>;
};
const servedModules = Object.keys(pkg.exports)
  .filter((key) => /^\.\/[a-z0-9]+\/v[a-z0-9]+$/.test(key) && key !== './meta/v1')
  .map((key) => key.slice(2));

interface ServerResource {
  readonly name: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
  readonly singularName?: string;
  readonly shortNames?: readonly string[];
}

/** `1.34` of `v1.34.9`: a server of that minor release or newer serves every kind, with the same verbs. */
function releaseMinorVersion(release: string): string {
  const { major, minor } = parseServerVersion(release);
  return `${major}.${minor}`;
}

describe(`descriptors of @kubeforge/api (${kubernetesRelease}) against the server's discovery`, () => {
  let cp: ControlPlane;
  let transport: Transport;
  let server: { readonly gitVersion: string };

  before(async () => {
    cp = await startControlPlane();
    transport = createTransport(cp.kubeConfig);
    server = cp.serverVersion;
  });

  after(async () => {
    await transport.close();
    await cp.stop();
  });

  /** Whether the server is the release's or newer: then it serves every kind, with the same verbs. */
  const serverIsRelease = (): boolean => cp.serverVersion.atLeast(releaseMinorVersion(kubernetesRelease));

  for (const module of servedModules) {
    it(`@kubeforge/api/${module}`, async (t) => {
      const { allResources } = (await import(`@kubeforge/api/${module}`)) as {
        allResources: readonly BuiltInResource[];
      };
      assert.ok(allResources.length > 0);
      const first = allResources[0]!;
      const path = first.group === '' ? `/api/${first.version}` : `/apis/${first.group}/${first.version}`;
      const response = await transport.send({ method: 'GET', path });
      if (response.statusCode === 404 && !serverIsRelease()) {
        t.skip(
          `${server.gitVersion} does not serve ${apiVersionOf(first)} (it came after; ${kubernetesRelease} does)`,
        );
        return;
      }
      assert.equal(response.statusCode, 200, `GET ${path}: ${response.body}`);
      const all = (JSON.parse(response.body) as { resources: readonly ServerResource[] }).resources;
      const served = all.filter((r) => !r.name.includes('/'));
      const subresourcesOf = (plural: string): string[] =>
        all
          .filter((r) => r.name.startsWith(`${plural}/`))
          .map((r) => r.name.slice(plural.length + 1))
          .sort();
      const notServed: string[] = [];
      const verbChanges: string[] = [];
      for (const descriptor of allResources) {
        const actual = served.find((r) => r.kind === descriptor.kind);
        if (actual === undefined && !serverIsRelease()) {
          notServed.push(descriptor.kind);
          continue;
        }
        assert.ok(
          actual,
          `${server.gitVersion} does not serve ${descriptor.kind} in ${apiVersionOf(descriptor)}`,
        );
        assert.equal(descriptor.plural, actual.name, `${descriptor.kind}: plural`);
        assert.equal(descriptor.namespaced, actual.namespaced, `${descriptor.kind}: namespaced`);
        const verbs = [...actual.verbs].sort();
        if (serverIsRelease()) {
          assert.deepEqual([...descriptor.verbs], verbs, `${descriptor.kind}: verbs`);
          assert.equal(descriptor.singular, actual.singularName ?? '', `${descriptor.kind}: singular`);
          assert.deepEqual(
            [...descriptor.shortNames],
            [...(actual.shortNames ?? [])],
            `${descriptor.kind}: shortNames`,
          );
          assert.deepEqual(
            [...descriptor.subresources],
            subresourcesOf(actual.name),
            `${descriptor.kind}: subresources`,
          );
        } else if (verbs.join() !== descriptor.verbs.join()) {
          // Verbs grow across releases (services gained deletecollection after 1.20).
          verbChanges.push(`${descriptor.plural} [${verbs.join(', ')}]`);
        }
      }
      if (serverIsRelease()) {
        const missing = served.filter((r) => !allResources.some((d) => d.kind === r.kind)).map((r) => r.kind);
        assert.deepEqual(
          missing,
          [],
          `${server.gitVersion} serves kinds ${apiVersionOf(first)} has no descriptor for`,
        );
      } else {
        if (notServed.length > 0) {
          t.diagnostic(
            `${server.gitVersion} does not serve ${notServed.join(', ')} of ${apiVersionOf(first)}`,
          );
        }
        if (verbChanges.length > 0)
          t.diagnostic(`${server.gitVersion} serves other verbs: ${verbChanges.join('; ')}`);
      }
    });
  }
});
