/**
 * The webhook emitter: `config/webhook/` when a kind has `@defaulting`, `@validating` or
 * `@conversion hub`, nothing otherwise.
 *
 * - `manifests.yaml`: the Mutating/ValidatingWebhookConfiguration, one webhook per kind and
 *   version, pointing at the Service with the runtime's paths;
 * - `service.yaml` (443 -> the manager's 9443), `manager-patch.yaml` (the container port) and
 *   `kustomizeconfig.yaml` (so the name prefix reaches the CRDs' conversion Service);
 * - `kustomization.yaml`: a kustomize Component, so `config/default` adds it under
 *   `components:` and its namespace and name prefix apply once;
 * - `cert-manager/`: a Component with the Issuer and Certificate, the Secret mounted where the
 *   runtime's `fileCertificates` reads it, and `cert-manager.io/inject-ca-from` on the
 *   configurations and the converted CRDs;
 * - `built-in/`: a Component with the RBAC the runtime's `selfSignedCertificates` needs to
 *   keep its Secret and inject its CA into these configurations and CRDs.
 */
import type { AdmissionWebhookModel, KindModel, ProjectModel, VersionModel } from '../../model/index.ts';
import { crdName } from '../crd/crd.ts';
import type { OutputFile } from '../output-file.ts';
import { toYaml } from '../yaml.ts';
import {
  admissionPath,
  admissionWebhookName,
  baseNamespace,
  certificateName,
  hasWebhooks,
  issuerName,
  mutatingConfigurationName,
  validatingConfigurationName,
  webhookDir,
  webhookSecretName,
  webhookServerPort,
  webhookServiceName,
  type WebhookDeployment,
} from './names.ts';

const header = 'Source: @defaulting, @validating and @conversion markers in src/apis';
const certDir = '/tmp/k8s-webhook-server/serving-certs';

export function emitWebhooks(model: ProjectModel, deployment: WebhookDeployment): OutputFile[] {
  if (!hasWebhooks(model.kinds)) return [];
  const mutating = admissionWebhooks(model.kinds, 'mutate');
  const validating = admissionWebhooks(model.kinds, 'validate');
  const configurations = [
    ...(mutating.length > 0
      ? [configuration('MutatingWebhookConfiguration', mutatingConfigurationName, mutating)]
      : []),
    ...(validating.length > 0
      ? [configuration('ValidatingWebhookConfiguration', validatingConfigurationName, validating)]
      : []),
  ];
  const converted = model.kinds.filter((k) => k.conversion?.strategy === 'Webhook').map(crdName);
  const file = (
    path: string,
    values: readonly unknown[],
    lines: readonly string[] = [header],
  ): OutputFile => ({
    path: `${webhookDir}/${path}`,
    contents: yamlDocuments(values, lines),
    ownership: 'generated',
  });
  const files: OutputFile[] = [
    ...(configurations.length > 0 ? [file('manifests.yaml', configurations)] : []),
    file('service.yaml', [service()]),
    file(
      'kustomizeconfig.yaml',
      [{ nameReference: [{ kind: 'Service', version: 'v1', fieldSpecs: [conversionServiceField] }] }],
      [header, "Lets kustomize's name prefix reach the Service named in the CRDs' conversion webhook."],
    ),
    file('manager-patch.yaml', [
      managerPatch({
        ports: [{ name: 'webhook-server', containerPort: webhookServerPort, protocol: 'TCP' }],
      }),
    ]),
    file(
      'kustomization.yaml',
      [
        component(
          [...(configurations.length > 0 ? ['manifests.yaml'] : []), 'service.yaml'],
          ['manager-patch.yaml'],
          ['kustomizeconfig.yaml'],
        ),
      ],
      [
        header,
        'The webhook server, a kustomize Component: list it and one certificate mode under `components:`',
        'in config/default/kustomization.yaml (`- ../webhook`, then `- ../webhook/cert-manager` or `- ../webhook/built-in`).',
      ],
    ),
    ...certManagerFiles(file, configurations, converted, deployment),
    ...builtInFiles(file, configurations, converted, deployment),
  ];
  return files;
}

type FileMaker = (path: string, values: readonly unknown[], lines?: readonly string[]) => OutputFile;
type Configuration = ReturnType<typeof configuration>;

function admissionWebhooks(
  kinds: readonly KindModel[],
  role: 'mutate' | 'validate',
): Record<string, unknown>[] {
  return kinds.flatMap((kind) =>
    kind.versions.flatMap((version) => {
      const marker = role === 'mutate' ? version.webhooks?.defaulting : version.webhooks?.validating;
      return marker === undefined ? [] : [admissionWebhook(kind, version, role, marker)];
    }),
  );
}

function admissionWebhook(
  kind: KindModel,
  version: VersionModel,
  role: 'mutate' | 'validate',
  marker: AdmissionWebhookModel,
): Record<string, unknown> {
  return {
    name: admissionWebhookName(role, kind, version),
    admissionReviewVersions: ['v1'],
    clientConfig: {
      service: {
        name: webhookServiceName,
        namespace: baseNamespace,
        path: admissionPath(role, kind, version),
      },
    },
    failurePolicy: marker.failurePolicy,
    matchPolicy: 'Equivalent',
    rules: [
      {
        apiGroups: [kind.group],
        apiVersions: [version.name],
        operations: marker.operations,
        resources: [kind.plural],
        scope: kind.scope,
      },
    ],
    sideEffects: marker.sideEffects,
    timeoutSeconds: marker.timeoutSeconds,
  };
}

function configuration(kind: string, name: string, webhooks: readonly Record<string, unknown>[]) {
  return { apiVersion: 'admissionregistration.k8s.io/v1', kind, metadata: { name }, webhooks } as const;
}

function service(): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: webhookServiceName, namespace: baseNamespace },
    spec: {
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: webhookServerPort }],
      selector: { 'app.kubernetes.io/component': 'manager' },
    },
  };
}

/** A strategic-merge patch of the manager container of `config/manager`'s Deployment. */
function managerPatch(
  container: Record<string, unknown>,
  pod: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'controller-manager', namespace: baseNamespace },
    spec: { template: { spec: { containers: [{ name: 'manager', ...container }], ...pod } } },
  };
}

const conversionServiceField = {
  kind: 'CustomResourceDefinition',
  group: 'apiextensions.k8s.io',
  version: 'v1',
  path: 'spec/conversion/webhook/clientConfig/service/name',
};

function component(
  resources: readonly string[],
  patches: readonly string[],
  configurations: readonly string[] = [],
): Record<string, unknown> {
  return {
    apiVersion: 'kustomize.config.k8s.io/v1alpha1',
    kind: 'Component',
    ...(configurations.length > 0 ? { configurations } : {}),
    resources,
    ...(patches.length > 0 ? { patches: patches.map((path) => ({ path })) } : {}),
  };
}

function certManagerFiles(
  file: FileMaker,
  configurations: readonly Configuration[],
  converted: readonly string[],
  deployment: WebhookDeployment,
): OutputFile[] {
  const prefixed = (name: string): string => `${deployment.namePrefix}${name}`;
  const host = `${prefixed(webhookServiceName)}.${deployment.namespace}.svc`;
  const injectFrom = {
    'cert-manager.io/inject-ca-from': `${deployment.namespace}/${prefixed(certificateName)}`,
  };
  const issuer = {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Issuer',
    metadata: { name: issuerName, namespace: baseNamespace },
    spec: { selfSigned: {} },
  };
  const certificate = {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: { name: certificateName, namespace: baseNamespace },
    spec: {
      dnsNames: [host, `${prefixed(webhookServiceName)}.${deployment.namespace}.svc.cluster.local`],
      issuerRef: { kind: 'Issuer', name: prefixed(issuerName) },
      secretName: webhookSecretName,
    },
  };
  const annotate = (apiVersion: string, kind: string, name: string): Record<string, unknown> => ({
    apiVersion,
    kind,
    metadata: { name, annotations: injectFrom },
  });
  const lines = [
    header,
    `cert-manager mode, for config/default's namespace ${deployment.namespace} and name prefix ${deployment.namePrefix}`,
  ];
  return [
    file('cert-manager/certificate.yaml', [issuer, certificate], lines),
    file(
      'cert-manager/ca-injection-patch.yaml',
      [
        ...configurations.map((c) => annotate(c.apiVersion, c.kind, c.metadata.name)),
        ...converted.map((name) => annotate('apiextensions.k8s.io/v1', 'CustomResourceDefinition', name)),
      ],
      lines,
    ),
    file(
      'cert-manager/manager-patch.yaml',
      [
        managerPatch(
          { volumeMounts: [{ name: 'webhook-certs', mountPath: certDir, readOnly: true }] },
          { volumes: [{ name: 'webhook-certs', secret: { secretName: webhookSecretName } }] },
        ),
      ],
      lines,
    ),
    file(
      'cert-manager/kustomization.yaml',
      [component(['certificate.yaml'], ['ca-injection-patch.yaml', 'manager-patch.yaml'])],
      [
        ...lines,
        "A Component: cert-manager issues the Secret, mounted where the runtime's fileCertificates() reads it,",
        'and its cainjector writes the CA bundle into the webhook configurations and converted CRDs.',
      ],
    ),
  ];
}

function builtInFiles(
  file: FileMaker,
  configurations: readonly Configuration[],
  converted: readonly string[],
  deployment: WebhookDeployment,
): OutputFile[] {
  const name = 'webhook-certificates';
  const subjects = [{ kind: 'ServiceAccount', name: 'controller-manager', namespace: baseNamespace }];
  const rule = (
    apiGroup: string,
    resource: string,
    resourceNames: readonly string[],
    verbs: readonly string[],
  ) => ({
    apiGroups: [apiGroup],
    resources: [resource],
    ...(resourceNames.length > 0 ? { resourceNames } : {}),
    verbs,
  });
  const role = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name, namespace: baseNamespace },
    rules: [rule('', 'secrets', [], ['create']), rule('', 'secrets', [webhookSecretName], ['get', 'update'])],
  };
  const clusterRole = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name },
    rules: [
      ...configurations.map((c) =>
        rule(
          'admissionregistration.k8s.io',
          c.kind === 'MutatingWebhookConfiguration'
            ? 'mutatingwebhookconfigurations'
            : 'validatingwebhookconfigurations',
          [`${deployment.namePrefix}${c.metadata.name}`],
          ['get', 'update'],
        ),
      ),
      ...(converted.length > 0
        ? [rule('apiextensions.k8s.io', 'customresourcedefinitions', converted, ['get', 'update'])]
        : []),
    ],
  };
  const binding = (kind: 'RoleBinding' | 'ClusterRoleBinding', roleKind: 'Role' | 'ClusterRole') => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind,
    metadata: kind === 'RoleBinding' ? { name, namespace: baseNamespace } : { name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name },
    subjects,
  });
  const lines = [
    header,
    `built-in mode, for config/default's namespace ${deployment.namespace} and name prefix ${deployment.namePrefix}`,
  ];
  return [
    file(
      'built-in/rbac.yaml',
      [
        role,
        binding('RoleBinding', 'Role'),
        ...(clusterRole.rules.length > 0 ? [clusterRole, binding('ClusterRoleBinding', 'ClusterRole')] : []),
      ],
      [
        ...lines,
        "What the runtime's selfSignedCertificates() needs: its Secret, and the objects it injects its CA into.",
      ],
    ),
    file(
      'built-in/kustomization.yaml',
      [component(['rbac.yaml'], [])],
      [
        ...lines,
        'A Component: the operator issues, keeps and rotates its own certificates; no cert-manager.',
      ],
    ),
  ];
}

/** YAML documents in one file, the generated header once at the top. */
function yamlDocuments(values: readonly unknown[], lines: readonly string[]): string {
  return values
    .map((value, index) => {
      const text = toYaml(value, lines);
      return index === 0 ? text : text.slice(text.indexOf('\n---\n') + 1);
    })
    .join('');
}
