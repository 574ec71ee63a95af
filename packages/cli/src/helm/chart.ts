/**
 * A Helm chart made from what `kubectl kustomize config/default` renders (the approach of
 * kubebuilder's helm/v2-alpha plugin): every object becomes a template under a folder named
 * after its part of config/ (`crd/`, `rbac/`, `manager/`, `webhook/`, `metrics/`, `extras/`),
 * with chart values where users tune an install: the manager's image, replicas, resources,
 * leader election and watched namespace, and switches for the CRDs, RBAC, metrics and webhook
 * objects.
 *
 * Contract: rendered with its default values and `--namespace <the kustomize namespace>`, the
 * chart yields the objects of the kustomize render, except that the Namespace object is left
 * to Helm (`--create-namespace`), `app.kubernetes.io/managed-by` is `Helm` instead of
 * `kustomize`, and CRDs carry `helm.sh/resource-policy: keep` (so `helm uninstall` does not
 * delete every custom object; `crd.keep: false` drops it). Object names are kept as kustomize
 * makes them (the `namePrefix`), so one release of the chart goes in a cluster.
 */
import { stringify } from 'yaml';
import type { KubeObject } from '../cluster/objects.ts';
import { MANAGER_CONTAINER } from '../deploy/render.ts';
import { conditionalFile, conditionalLines, TemplateBuilder } from './template-text.ts';

export type ChartSection = 'crd' | 'rbac' | 'manager' | 'webhook' | 'metrics' | 'extras';

export interface ChartInput {
  /** The project name: the chart's name. */
  readonly name: string;
  /** The chart's version (the project's package.json version). */
  readonly version: string;
  /** config/default rendered, the image set. */
  readonly objects: readonly KubeObject[];
}

export interface ChartFile {
  readonly path: string;
  readonly contents: string;
}

const rbacKinds = new Set(['ServiceAccount', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);
const webhookKinds = new Set([
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'Certificate',
  'Issuer',
]);

/** Which part of the chart an object belongs to; undefined for objects Helm manages itself. */
export function sectionOf(o: KubeObject): ChartSection | undefined {
  if (o.kind === 'Namespace') return undefined;
  if (o.kind === 'CustomResourceDefinition') return 'crd';
  // RBAC first, as kubebuilder's chart keeps the metrics auth and reader roles under rbac/.
  if (rbacKinds.has(o.kind)) return 'rbac';
  if (o.metadata.name.includes('metrics') || o.kind === 'ServiceMonitor') return 'metrics';
  if (webhookKinds.has(o.kind) || (o.kind === 'Service' && o.metadata.name.includes('webhook')))
    return 'webhook';
  if (o.kind === 'Deployment') return 'manager';
  return 'extras';
}

/** The value that switches a section on and off; the manager is always there. */
const switches: Readonly<Record<ChartSection, string | undefined>> = {
  crd: '.Values.crd.enable',
  rbac: '.Values.rbac.enable',
  manager: undefined,
  webhook: '.Values.webhook.enable',
  metrics: '.Values.metrics.enable',
  extras: undefined,
};

interface Container {
  name?: string;
  image?: string;
  args?: string[];
  env?: { name: string; value?: string }[];
  resources?: Record<string, unknown>;
  ports?: { name?: string; containerPort: number }[];
}

type MutableObject = KubeObject & {
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: {
    replicas?: number | string;
    selector?: { matchLabels?: Record<string, string> };
    template?: { spec?: { containers?: Container[] } };
  };
};

/** The namespace config/default installs into: its Namespace object's, else the Deployment's. */
export function installNamespace(objects: readonly KubeObject[]): string | undefined {
  return (
    objects.find((o) => o.kind === 'Namespace')?.metadata.name ??
    objects.find((o) => o.kind === 'Deployment')?.metadata.namespace
  );
}

function managerContainer(o: MutableObject): Container | undefined {
  return o.spec?.template?.spec?.containers?.find((c) => c.name === MANAGER_CONTAINER);
}

/** `value` with `replace` applied to every string in it (keys excepted). */
function mapStrings(value: unknown, replace: (s: string) => string): unknown {
  if (typeof value === 'string') return replace(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, replace));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, replace)]));
  }
  return value;
}

function setManagedBy(value: unknown, marker: string): void {
  if (Array.isArray(value)) {
    for (const v of value) setManagedBy(v, marker);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const record = value as Record<string, unknown>;
  for (const [key, v] of Object.entries(record)) {
    if (key === 'app.kubernetes.io/managed-by' && v === 'kustomize') record[key] = marker;
    else setManagedBy(v, marker);
  }
}

function splitImage(image: string): { repository: string; tag: string } {
  if (image.includes('@')) return { repository: image, tag: '' };
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > slash
    ? { repository: image.slice(0, colon), tag: image.slice(colon + 1) }
    : { repository: image, tag: '' };
}

interface ManagerDefaults {
  readonly image: string;
  readonly replicas: number;
  readonly resources: Record<string, unknown> | undefined;
  readonly leaderElection: boolean | undefined;
  readonly watchNamespace: boolean;
  readonly metricsPort: { readonly name: string; readonly port: number } | undefined;
  readonly podLabels: Record<string, string>;
  readonly labels: Record<string, string>;
}

function managerDefaults(objects: readonly KubeObject[]): ManagerDefaults | undefined {
  const deployment = objects.find(
    (o) => o.kind === 'Deployment' && managerContainer(o as MutableObject) !== undefined,
  ) as MutableObject | undefined;
  if (deployment === undefined) return undefined;
  const container = managerContainer(deployment) ?? {};
  const port =
    container.ports?.find((p) => p.name === 'metrics') ?? container.ports?.find((p) => p.name === 'probes');
  return {
    image: container.image ?? '',
    replicas: typeof deployment.spec?.replicas === 'number' ? deployment.spec.replicas : 1,
    resources: container.resources,
    leaderElection: container.args === undefined ? undefined : container.args.includes('--leader-elect'),
    watchNamespace: container.env !== undefined,
    metricsPort: port?.name === undefined ? undefined : { name: port.name, port: port.containerPort },
    podLabels: deployment.spec?.selector?.matchLabels ?? {},
    labels: deployment.metadata.labels ?? {},
  };
}

/** Prepares the manager Deployment's fields that values set. */
function templateManager(o: MutableObject, t: TemplateBuilder): void {
  if (o.spec === undefined) return;
  const container = managerContainer(o);
  if (container === undefined) return;
  o.spec.replicas = t.inlineMarker('{{ .Values.manager.replicas }}');
  container.image = t.inlineMarker(
    '{{ .Values.manager.image.repository }}{{ if .Values.manager.image.tag }}:{{ .Values.manager.image.tag }}{{ end }}',
  );
  if (container.resources !== undefined) {
    container.resources = t.lineMarker(
      (indent, before) =>
        `${indent}${before.trimEnd()} {{- toYaml .Values.manager.resources | nindent ${indent.length + 2} }}`,
    ) as unknown as Record<string, unknown>;
  }
  if (container.args !== undefined) {
    container.args = container.args.map((arg) =>
      arg === '--leader-elect'
        ? t.lineMarker((indent) =>
            conditionalLines(indent, '.Values.manager.leaderElection', ['- --leader-elect']),
          )
        : arg,
    );
  }
  if (container.env !== undefined) {
    container.env = [
      ...container.env,
      {
        name: t.lineMarker((indent) =>
          conditionalLines(indent, '.Values.manager.watchNamespace', [
            '- name: WATCH_NAMESPACE',
            '  value: {{ .Values.manager.watchNamespace | quote }}',
          ]),
        ),
      },
    ];
  }
}

function templateCRD(o: MutableObject, t: TemplateBuilder): void {
  const keep = ['helm.sh/resource-policy: keep'];
  if (o.metadata.annotations === undefined) {
    o.metadata.annotations = t.lineMarker((indent) =>
      conditionalLines(indent, '.Values.crd.keep', ['annotations:', `  ${keep[0] ?? ''}`]),
    ) as unknown as Record<string, string>;
  } else {
    o.metadata.annotations = {
      ...o.metadata.annotations,
      [t.lineMarker((indent) => conditionalLines(indent, '.Values.crd.keep', keep))]: '',
    };
  }
}

function fileName(o: KubeObject, prefix: string): string {
  const name = o.metadata.name.startsWith(prefix) ? o.metadata.name.slice(prefix.length) : o.metadata.name;
  return `${o.kind.toLowerCase()}-${name.replace(/[^a-zA-Z0-9.-]/g, '-')}.yaml`;
}

/** The metrics Service a chart offers when config/default has none (off by default, like the tree). */
function metricsService(defaults: ManagerDefaults, prefix: string): Record<string, unknown> | undefined {
  if (defaults.metricsPort === undefined) return undefined;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: `${prefix}controller-manager-metrics-service`,
      namespace: '{{ .Release.Namespace }}',
      labels: { ...defaults.labels, 'app.kubernetes.io/managed-by': '{{ .Release.Service }}' },
    },
    spec: {
      selector: defaults.podLabels,
      ports: [
        { name: 'http-metrics', port: defaults.metricsPort.port, targetPort: defaults.metricsPort.name },
      ],
    },
  };
}

function valuesFile(
  input: ChartInput,
  defaults: ManagerDefaults | undefined,
  sections: ReadonlySet<ChartSection>,
): string {
  const lines = [
    `# Values of the ${input.name} chart, written by \`kubeforge helm\` from config/default. With these defaults`,
    '# the chart renders what `kubectl kustomize config/default` does (see docs/deploy.md).',
  ];
  if (defaults !== undefined) {
    const image = splitImage(defaults.image);
    lines.push(
      'manager:',
      '  image:',
      `    repository: ${JSON.stringify(image.repository)}`,
      `    tag: ${JSON.stringify(image.tag)}`,
      '  # More than one replica stands by for the leader lease.',
      `  replicas: ${defaults.replicas}`,
    );
    if (defaults.resources !== undefined) {
      lines.push(
        '  # Requests and limits of the manager container.',
        '  resources:',
        ...stringify(defaults.resources)
          .trimEnd()
          .split('\n')
          .map((l) => `    ${l}`),
      );
    }
    if (defaults.leaderElection !== undefined) {
      lines.push('  # Hold a Lease before reconciling (--leader-elect); needed with more than one replica.');
      lines.push(`  leaderElection: ${String(defaults.leaderElection)}`);
    }
    if (defaults.watchNamespace) {
      lines.push('  # Watch the objects of one namespace only (WATCH_NAMESPACE); empty: every namespace.');
      lines.push('  watchNamespace: ""');
    }
  }
  lines.push(
    'crd:',
    '  # Install the CRDs with the chart.',
    '  enable: true',
    '  # Leave the CRDs (and so every object of their kinds) in place on `helm uninstall`.',
    '  keep: true',
    'rbac:',
    '  # The ServiceAccount, roles and bindings the operator runs under.',
    '  enable: true',
    'metrics:',
    sections.has('metrics')
      ? '  # The metrics objects of config/default.'
      : '  # A Service in front of the /metrics endpoint (config/default has none).',
    `  enable: ${String(sections.has('metrics'))}`,
    'webhook:',
    sections.has('webhook')
      ? '  # The webhook configurations and Service of config/default.'
      : '  # The project has no webhooks yet: `kubeforge create webhook`, then `kubeforge helm` again.',
    `  enable: ${String(sections.has('webhook'))}`,
  );
  return `${lines.join('\n')}\n`;
}

/** The chart's files, paths relative to the chart directory. */
export function buildChart(input: ChartInput): ChartFile[] {
  const namespace = installNamespace(input.objects);
  const prefix = `${input.name}-`;
  const t = new TemplateBuilder();
  const releaseNamespace = t.inlineMarker('{{ .Release.Namespace }}');
  const releaseService = t.inlineMarker('{{ .Release.Service }}');
  const literalBraces = t.inlineMarker('{{ "{{" }}');
  const namespacePattern =
    namespace === undefined
      ? undefined
      : new RegExp(`(?<![\\w-])${namespace.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`, 'g');
  const defaults = managerDefaults(input.objects);
  const files: ChartFile[] = [];
  const sections = new Set<ChartSection>();
  const used = new Set<string>();
  for (const original of input.objects) {
    const section = sectionOf(original);
    if (section === undefined) continue;
    sections.add(section);
    // Text that looks like a template action (`{{` in a description) is printed literally.
    const o = mapStrings(original, (s) => {
      const literal = s.replaceAll('{{', literalBraces);
      return namespacePattern === undefined ? literal : literal.replace(namespacePattern, releaseNamespace);
    }) as MutableObject;
    setManagedBy(o, releaseService);
    if (o.kind === 'Deployment') templateManager(o, t);
    if (o.kind === 'CustomResourceDefinition') templateCRD(o, t);
    let path = `templates/${section}/${fileName(original, prefix)}`;
    for (let i = 2; used.has(path); i++) path = path.replace(/(-\d+)?\.yaml$/, `-${i}.yaml`);
    used.add(path);
    const text = t.render(o);
    const condition = switches[section];
    files.push({ path, contents: condition === undefined ? text : conditionalFile(condition, text) });
  }
  if (!sections.has('metrics') && defaults !== undefined) {
    const service = metricsService(defaults, prefix);
    if (service !== undefined) {
      files.push({
        path: 'templates/metrics/service-controller-manager-metrics-service.yaml',
        contents: conditionalFile('.Values.metrics.enable', stringify(service, { lineWidth: 0 })),
      });
    }
  }
  const appVersion = defaults === undefined ? '' : splitImage(defaults.image).tag;
  files.push(
    {
      path: 'Chart.yaml',
      contents: [
        'apiVersion: v2',
        `name: ${input.name}`,
        `description: The ${input.name} operator (CRDs, RBAC and the manager), from config/default`,
        'type: application',
        `version: ${input.version}`,
        ...(appVersion === '' ? [] : [`appVersion: ${JSON.stringify(appVersion)}`]),
        '',
      ].join('\n'),
    },
    { path: 'values.yaml', contents: valuesFile(input, defaults, sections) },
  );
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
