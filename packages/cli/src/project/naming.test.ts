import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkApiVersion, checkDnsLabel, checkGroup, checkKind, projectNameFromDirectory } from './naming.ts';
import { defaultPlural, kebabCase } from '@kubeforge/generator/names';

describe('Kubernetes naming rules', () => {
  test('DNS-1123 labels: lowercase alphanumerics and dashes, at most 63 characters', () => {
    for (const ok of ['web', 'a', 'my-operator', 'x1', '1x']) assert.equal(checkDnsLabel(ok), undefined, ok);
    for (const bad of ['', 'Web', '-web', 'web-', 'we_b', 'a.b', 'x'.repeat(64)]) {
      assert.notEqual(checkDnsLabel(bad), undefined, bad);
    }
  });

  test('groups are DNS-1123 subdomains with at least one dot', () => {
    assert.equal(checkGroup('web.example.com'), undefined);
    assert.match(checkGroup('web') ?? '', /must contain a dot/);
    assert.match(checkGroup('Web.example.com') ?? '', /DNS-1123 subdomain/);
    assert.match(checkGroup('web..example.com') ?? '', /DNS-1123 subdomain/);
    assert.match(checkGroup(`${'a'.repeat(250)}.com`) ?? '', /at most 253/);
  });

  test('versions look like v1, v1beta1, v2alpha3', () => {
    for (const ok of ['v1', 'v2', 'v10', 'v1beta1', 'v1alpha2', 'v2beta10'])
      assert.equal(checkApiVersion(ok), undefined, ok);
    for (const bad of ['1', 'V1', 'v0', 'v01', 'v1Beta1', 'v1beta', 'v1gamma1', 'v1beta0', 'version1']) {
      assert.notEqual(checkApiVersion(bad), undefined, bad);
    }
  });

  test('kinds are UpperCamelCase and do not end in List', () => {
    for (const ok of ['Website', 'BackupSchedule', 'DNSRecord', 'S3Bucket'])
      assert.equal(checkKind(ok), undefined, ok);
    for (const bad of ['website', 'Web-site', 'Web_site', '1Website', 'Web site', '', 'WebsiteList']) {
      assert.notEqual(checkKind(bad), undefined, bad);
    }
  });
});

describe('derived names', () => {
  test('kebab-case keeps acronyms together', () => {
    assert.equal(kebabCase('BackupSchedule'), 'backup-schedule');
    assert.equal(kebabCase('DNSRecord'), 'dns-record');
    assert.equal(kebabCase('S3Bucket'), 's3-bucket');
    assert.equal(kebabCase('Website'), 'website');
  });

  test('plurals follow English rules, as the generator derives them', () => {
    assert.equal(defaultPlural('Website'), 'websites');
    assert.equal(defaultPlural('Policy'), 'policies');
    assert.equal(defaultPlural('Ingress'), 'ingresses');
    assert.equal(defaultPlural('Box'), 'boxes');
    assert.equal(defaultPlural('Gateway'), 'gateways');
  });

  test('project names come from directory names when they can', () => {
    assert.equal(projectNameFromDirectory('website-operator'), 'website-operator');
    assert.equal(projectNameFromDirectory('My Operator'), 'my-operator');
    assert.equal(projectNameFromDirectory('__'), undefined);
  });
});
