/**
 * `kubeforge create webhook`: gives one version of a kind a defaulting and/or validating
 * webhook, or the kind a conversion webhook through that version as hub. It adds the markers
 * to the user's types file (`@defaulting`, `@validating`, `@conversion hub`), scaffolds one
 * user-owned handler module per webhook under `src/webhooks/` (never overwritten), registers
 * each in `src/main.ts` with one `manager.addWebhook(...)` line, then runs generate, which
 * writes `config/webhook/` and the CRD's conversion. Everything is checked first; if
 * generation fails, every file is restored.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { CommandModule } from 'yargs';
import { camelCase, kebabCase, pascalCase } from '@kubeforge/generator/names';
import { CliError } from '../errors.ts';
import type { Output } from '../output.ts';
import { templatesDir } from '../project/checkout.ts';
import { loadGenerator, runGeneration } from '../project/generation.ts';
import { loadProject, type Project, type ProjectResource } from '../project/project-file.ts';
import { addResourceMarker, declaresResource, hasResourceMarker } from '../scaffold/api-version.ts';
import { applyFilePlan, type PlannedFile } from '../scaffold/file-plan.ts';
import { formatLineChange, lineChange } from '../scaffold/line-diff.ts';
import { renderTemplate } from '../scaffold/render.ts';

export type WebhookRole = 'defaulting' | 'validation' | 'conversion';

export interface CreateWebhookOptions {
  readonly cwd: string;
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly defaulting: boolean;
  readonly validation: boolean;
  readonly conversion: boolean;
  readonly output: Output;
}

/** A webhook to scaffold: its module, the constant it exports and the marker on the kind. */
export interface PlannedWebhook {
  readonly role: WebhookRole;
  readonly modulePath: string;
  readonly exportName: string;
  readonly marker: string;
  /** The module exists already: it is the user's and is registered as it is. */
  readonly exists: boolean;
}

export interface WebhookPlan {
  readonly resource: ProjectResource;
  readonly webhooks: readonly PlannedWebhook[];
  readonly files: readonly PlannedFile[];
  /** The types file before and after the markers, when any was added. */
  readonly typesEdit: { readonly before: string; readonly after: string } | undefined;
}

const markers: Readonly<Record<WebhookRole, string>> = {
  defaulting: '@defaulting',
  validation: '@validating',
  conversion: '@conversion hub',
};

const webhooksDir = 'src/webhooks';

/** `src/webhooks/<kind>-<version>.defaulting.ts`; conversion is the kind's: `<kind>.conversion.ts`. */
export function webhookModulePath(kind: string, version: string, role: WebhookRole): string {
  const base = role === 'conversion' ? kebabCase(kind) : `${kebabCase(kind)}-${version}`;
  return `${webhooksDir}/${base}.${role}.ts`;
}

function exportNameOf(kind: string, version: string, role: WebhookRole): string {
  return role === 'conversion'
    ? `${camelCase(kind)}Conversion`
    : `${camelCase(kind)}${pascalCase(version)}${pascalCase(role)}`;
}

/** Checks the request against the project and plans every file; throws a CliError, writing nothing, when it cannot be done. */
export function planWebhooks(
  project: Project,
  options: Pick<
    CreateWebhookOptions,
    'group' | 'version' | 'kind' | 'defaulting' | 'validation' | 'conversion'
  >,
  read: (path: string) => string | undefined,
): WebhookPlan {
  const roles = (['defaulting', 'validation', 'conversion'] as const).filter((role) => options[role]);
  if (roles.length === 0) {
    throw new CliError(
      'InvalidArgument',
      'name at least one webhook: --defaulting, --validation or --conversion',
      {
        hint: `for example: kubeforge create webhook --group ${options.group} --version ${options.version} --kind ${options.kind} --defaulting --validation`,
      },
    );
  }
  const group = options.group.includes('.') ? options.group : `${options.group}.${project.file.domain}`;
  const versions = project.file.resources.filter((r) => r.group === group && r.kind === options.kind);
  const resource = versions.find((r) => r.version === options.version);
  if (resource === undefined) {
    throw new CliError(
      'InvalidArgument',
      versions.length === 0
        ? `the project has no kind ${options.kind} in ${group}`
        : `the project has ${options.kind} in ${group} at ${versions.map((r) => r.version).join(', ')}, not ${options.version}`,
      {
        hint:
          versions.length === 0
            ? `add it first: kubeforge create api --group ${options.group} --version ${options.version} --kind ${options.kind}`
            : `pick one of ${versions.map((r) => r.version).join(', ')}, or add ${options.version} with kubeforge create api --version ${options.version}`,
      },
    );
  }
  const source = read(resource.path);
  if (source === undefined || !declaresResource(source, options.kind)) {
    throw new CliError(
      'InvalidInput',
      `${resource.path} does not declare \`export interface ${options.kind}\` with its doc comment`,
      { hint: 'nothing was written; fix the path in kubeforge.json or restore the file' },
    );
  }
  if (options.conversion) {
    if (versions.length < 2) {
      throw new CliError(
        'InvalidArgument',
        `${options.kind} has only version ${options.version}: there is nothing to convert`,
        {
          hint: `add a version first (kubeforge create api --group ${options.group} --version <v2> --kind ${options.kind}), then create the conversion webhook`,
        },
      );
    }
    const stated = versions.filter(
      (r) => r !== resource && hasResourceMarker(read(r.path) ?? '', options.kind, 'conversion'),
    );
    if (stated.length > 0) {
      throw new CliError(
        'InvalidInput',
        `${options.kind} already states its conversion in ${stated.map((r) => `${r.path} (${r.version})`).join(', ')}`,
        {
          hint: 'nothing was written; a kind has one @conversion, on its hub version: remove the other one, or create the webhook with that version',
        },
      );
    }
  }
  const tags: Readonly<Record<WebhookRole, string>> = {
    defaulting: 'defaulting',
    validation: 'validating',
    conversion: 'conversion',
  };
  let after = source;
  for (const role of [...roles].reverse()) {
    if (hasResourceMarker(after, options.kind, tags[role])) continue;
    const edited = addResourceMarker(after, options.kind, markers[role]);
    if (edited === undefined) {
      throw new CliError(
        'InvalidInput',
        `cannot find the @resource line of ${options.kind} in ${resource.path}`,
        {
          hint: `nothing was written; add ${roles.map((r) => markers[r]).join(', ')} to the doc comment of ${options.kind} there, then retry`,
        },
      );
    }
    after = edited;
  }
  const webhooks = roles.map((role): PlannedWebhook => {
    const modulePath = webhookModulePath(options.kind, options.version, role);
    return {
      role,
      modulePath,
      exportName: exportNameOf(options.kind, options.version, role),
      marker: markers[role],
      exists: read(modulePath) !== undefined,
    };
  });
  const files: PlannedFile[] = [
    ...(after === source ? [] : [{ path: resource.path, contents: after, mode: 'update' as const }]),
    ...webhooks
      .filter((w) => !w.exists)
      .map((w) => ({
        path: w.modulePath,
        contents: renderWebhook(w, resource, versions),
        mode: 'create' as const,
      })),
  ];
  return { resource, webhooks, files, typesEdit: after === source ? undefined : { before: source, after } };
}

function renderWebhook(
  webhook: PlannedWebhook,
  resource: ProjectResource,
  versions: readonly ProjectResource[],
): string {
  const generated = `src/generated/${resource.group}/${resource.version}/${kebabCase(resource.kind)}.ts`;
  const relative = posix.relative(posix.dirname(webhook.modulePath), generated);
  const role = webhook.role === 'validation' ? 'validate' : 'mutate';
  const view = {
    kind: resource.kind,
    group: resource.group,
    version: resource.version,
    exportName: webhook.exportName,
    resource: `${camelCase(resource.kind)}Resource`,
    object: camelCase(resource.kind),
    generatedImport: `'${relative.startsWith('.') ? relative : `./${relative}`}'`,
    path: `/${role}-${resource.group.replaceAll('.', '-')}-${resource.version}-${resource.kind.toLowerCase()}`,
    hub: resource.version,
    spokes: versions
      .filter((v) => v.version !== resource.version)
      .map((v) => ({ version: v.version, variable: `from${pascalCase(v.version)}` })),
  };
  const name = `${webhook.role}.ts.hbs`;
  return renderTemplate(readFileSync(join(templatesDir(), 'project', 'webhook', name), 'utf8'), view, name);
}

export async function createWebhook(options: CreateWebhookOptions): Promise<WebhookPlan> {
  const project = loadProject(options.cwd);
  const read = (path: string): string | undefined => {
    const absolute = join(project.root, path);
    return existsSync(absolute) ? readFileSync(absolute, 'utf8') : undefined;
  };
  const plan = planWebhooks(project, options, read);
  const generator = await loadGenerator();
  const main = read(generator.mainFile) ?? '';
  const registration = generator.registerWebhooks(main, plan.webhooks);
  if (!registration.ok) {
    throw new CliError('InvalidInput', `cannot register the webhooks in ${generator.mainFile}`, {
      details: generator.formatDiagnostics(registration.diagnostics),
      hint: 'nothing was written; put the marker lines back in src/main.ts',
    });
  }
  const files = [
    ...plan.files,
    ...(registration.changed
      ? [{ path: generator.mainFile, contents: registration.contents, mode: 'update' as const }]
      : []),
  ];
  const applied = applyFilePlan(project.root, files);
  let result;
  try {
    result = await runGeneration({ projectDir: project.root, scaffold: false });
  } catch (err) {
    applied.rollback();
    throw err;
  }
  // Imports and calls are added at two places: list the added lines rather than one hunk.
  const before = new Set(main.split(/\r?\n/));
  const addedLines = registration.changed
    ? registration.contents.split(/\r?\n/).filter((line) => !before.has(line))
    : [];
  const typesChange = plan.typesEdit && lineChange(plan.typesEdit.before, plan.typesEdit.after);
  const edited = new Set([plan.resource.path, generator.mainFile]);
  options.output.info(
    [
      `Created ${plan.webhooks.map((w) => w.role).join(', ')} webhook${plan.webhooks.length > 1 ? 's' : ''} for ${plan.resource.kind} (${plan.resource.group}/${plan.resource.version}):`,
      ...plan.webhooks.map(
        (w) =>
          `  ${w.exists ? 'kept' : 'scaffolded'} ${w.modulePath}${w.exists ? ' (exists: yours, left as is)' : ''}`,
      ),
      ...[...new Set([...applied.created, ...result.written])]
        .filter((p) => !edited.has(p) && !plan.webhooks.some((w) => w.modulePath === p))
        .map((p) => `  wrote ${p}`),
      ...(typesChange === undefined
        ? []
        : formatLineChange(
            plan.resource.path,
            typesChange,
            `your ${plan.resource.version} types: the webhook markers`,
          )),
      ...(addedLines.length === 0
        ? []
        : [
            `  changed ${generator.mainFile} (the webhooks are registered with the manager):`,
            ...addedLines.map((line) => `    + ${line.trim()}`),
          ]),
      '',
      'Next steps:',
      ...plan.webhooks.filter((w) => !w.exists).map((w) => `  implement ${w.exportName} in ${w.modulePath}`),
      '  enable the webhook server in config/default/kustomization.yaml, with one certificate mode:',
      '    components:',
      '      - ../webhook',
      '      - ../webhook/cert-manager   # or ../webhook/built-in (see docs/webhooks.md)',
      '  npm run build',
      '  to try them with the operator on this machine (npm start): kubeforge install-webhooks',
    ].join('\n'),
  );
  return plan;
}

interface CreateWebhookArgs {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly defaulting: boolean;
  readonly validation: boolean;
  readonly conversion: boolean;
}

export function webhookCommand(output: Output): CommandModule<object, CreateWebhookArgs> {
  return {
    command: 'webhook',
    describe: 'Add defaulting, validation or conversion webhooks to a kind',
    builder: (yargs) =>
      yargs
        .option('group', {
          type: 'string',
          demandOption: true,
          describe: 'API group of the kind (short or full)',
        })
        .option('version', {
          type: 'string',
          demandOption: true,
          describe: 'The version the admission webhooks serve, or the hub of the conversion',
        })
        .option('kind', { type: 'string', demandOption: true, describe: 'The kind, e.g. Guestbook' })
        .option('defaulting', {
          type: 'boolean',
          default: false,
          describe: 'A defaulting (mutating) webhook',
        })
        .option('validation', { type: 'boolean', default: false, describe: 'A validating webhook' })
        .option('conversion', {
          type: 'boolean',
          default: false,
          describe: 'A conversion webhook between the kind versions, through --version as hub',
        })
        .example(
          '$0 create webhook --group webapp --version v1 --kind Guestbook --defaulting --validation',
          'Defaults and validation for Guestbook v1',
        )
        .example(
          '$0 create webhook --group webapp --version v2 --kind Guestbook --conversion',
          'Convert every version of Guestbook through v2',
        )
        .epilogue(
          'Adds @defaulting / @validating / @conversion hub to the kind, scaffolds src/webhooks/<kind>... (never overwritten), registers each with manager.addWebhook in src/main.ts and runs `kubeforge generate` (config/webhook/).',
        ),
    handler: async (args) => {
      await createWebhook({ cwd: process.cwd(), ...args, output });
    },
  };
}
