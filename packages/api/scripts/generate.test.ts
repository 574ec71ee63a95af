/**
 * The committed sources of `@kubeforge/api` are exactly what `scripts/generate.ts` produces
 * from the committed spec, and the pieces the output depends on behave as documented.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { recordsForIndexSignatures } from './emit-types.ts';
import { differences, generation, newestRelease } from './generate.ts';
import { loadSpec, moduleOfComponent, shortNameOf } from './load-spec.ts';
import { descriptorName } from './names.ts';

describe('scripts/generate.ts', () => {
  it('regenerating from the committed spec changes no committed file', async () => {
    const { spec, files } = await generation();
    assert.deepEqual(differences(spec, files), [], 'run `npm run generate -w @kubeforge/api` and commit');
    assert.ok(files.some((file) => file.path === 'src/apps/v1/types.ts'));
  });

  it('names the releases it has when asked for one it does not', async () => {
    await assert.rejects(
      generation('v9.9.9'),
      /openapi\/v9\.9\.9\/version\.json does not exist: releases here are .*v1\.34\.9/,
    );
  });

  it('produces the same output twice', async () => {
    const first = await generation();
    const second = await generation();
    assert.deepEqual(second.files, first.files);
  });
});

describe('names', () => {
  it('camel-cases plurals after their kind', () => {
    assert.equal(descriptorName('Deployment', 'deployments'), 'deployments');
    assert.equal(descriptorName('NetworkPolicy', 'networkpolicies'), 'networkPolicies');
    assert.equal(
      descriptorName('CustomResourceDefinition', 'customresourcedefinitions'),
      'customResourceDefinitions',
    );
    assert.equal(descriptorName('Endpoints', 'endpoints'), 'endpoints');
    assert.equal(descriptorName('ComponentStatus', 'componentstatuses'), 'componentStatuses');
    assert.equal(descriptorName('APIService', 'apiservices'), 'apiServices');
    assert.equal(descriptorName('CSIStorageCapacity', 'csistoragecapacities'), 'csiStorageCapacities');
    assert.equal(descriptorName('IPAddress', 'ipaddresses'), 'ipAddresses');
    assert.equal(descriptorName('ServiceCIDR', 'servicecidrs'), 'serviceCIDRs');
  });

  it('names modules after the group first DNS label, core for the core group', () => {
    assert.equal(shortNameOf(''), 'core');
    assert.equal(shortNameOf('rbac.authorization.k8s.io'), 'rbac');
    assert.equal(shortNameOf('flowcontrol.apiserver.k8s.io'), 'flowcontrol');
    assert.equal(moduleOfComponent('io.k8s.api.core.v1.PodTemplateSpec'), 'core/v1');
    assert.equal(
      moduleOfComponent('io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIService'),
      'apiregistration/v1',
    );
    assert.equal(moduleOfComponent('io.k8s.apimachinery.pkg.runtime.RawExtension'), 'meta/v1');
    assert.throws(
      () => moduleOfComponent('io.example.pkg.Thing'),
      /no @kubeforge\/api module for Go package io\.example\.pkg/,
    );
  });

  it('turns index signatures into records, innermost first', () => {
    const text = 'a?: {\n  [k: string]: {\n    [k: string]: string;\n  };\n};';
    assert.equal(recordsForIndexSignatures(text), 'a?: Record<string, Record<string, string>>;');
  });

  it('picks the newest release folder by version, not by text', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeforge-api-'));
    try {
      for (const name of ['v1.9.0', 'v1.34.9', 'v1.10.2', 'notes']) mkdirSync(join(dir, name));
      assert.equal(newestRelease(dir), 'v1.34.9');
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});

describe('loadSpec', () => {
  it('rejects a discovery kind without a schema, naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeforge-api-'));
    try {
      mkdirSync(join(dir, 'openapi'));
      mkdirSync(join(dir, 'discovery'));
      writeFileSync(join(dir, 'version.json'), JSON.stringify({ gitVersion: 'v1.0.0' }));
      const schemas = { 'io.k8s.api.apps.v1.Deployment': { type: 'object', properties: {} } };
      writeFileSync(join(dir, 'openapi', 'apis_apps_v1.json'), JSON.stringify({ components: { schemas } }));
      const resources = [{ name: 'statefulsets', namespaced: true, kind: 'StatefulSet', verbs: ['get'] }];
      writeFileSync(
        join(dir, 'discovery', 'apis_apps_v1.json'),
        JSON.stringify({ groupVersion: 'apps/v1', resources }),
      );
      assert.throws(
        () => loadSpec(dir),
        /discovery\/apis_apps_v1\.json: statefulsets has kind StatefulSet, which has no schema/,
      );
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
