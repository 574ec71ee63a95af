/**
 * `kubeforge create api`: adds a kind to the project — its types file with an example spec
 * and status, a sample object, the project file entry — then runs generate, which writes the
 * CRD, RBAC and typed code and scaffolds the controller and registers it in src/main.ts.
 * Everything is validated first; if generation fails, the new files are removed again.
 * A kind the project has at other versions gets the new version instead (create-api-version.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandModule } from 'yargs';
import { CliError } from '../errors.ts';
import type { Output } from '../output.ts';
import { templatesDir } from '../project/checkout.ts';
import { loadGenerator, runGeneration } from '../project/generation.ts';
import { checkApiVersion, checkDnsLabel, checkGroup, checkKind } from '../project/naming.ts';
import { defaultPlural, kebabCase } from '@kubeforge/generator/names';
import {
  PROJECT_FILE,
  kindHasController,
  loadProject,
  serializeProjectFile,
  type Project,
  type ProjectResource,
  type ResourceScope,
} from '../project/project-file.ts';
import { applyFilePlan, type PlannedFile } from '../scaffold/file-plan.ts';
import { renderTemplate } from '../scaffold/render.ts';
import { samplePath, samplesKustomization } from '../scaffold/samples.ts';
import { addApiVersion } from './create-api-version.ts';
import { webhookCommand } from './create-webhook.ts';

export interface CreateApiOptions {
  readonly cwd: string;
  /** Short (`webapp`, the project domain is appended) or full (`webapp.example.com`). */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** Namespaced (the default for a new kind) or Cluster; a new version keeps the kind's scope. */
  readonly scope?: string | undefined;
  readonly controller: boolean;
  readonly output: Output;
}

export interface ValidatedApi {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly scope: ResourceScope;
  readonly plural: string;
  /** The versions the project already has of this kind: empty for a new kind. */
  readonly existing: readonly ProjectResource[];
}

/** Short names kubectl already resolves to built-in kinds; a kind must not shadow them. */
const builtinShortNames = new Set(
  'cm cs csr crd crds ds deploy ep ev hpa ing limits netpol no ns pc pdb po psp pv pvc quota rc rs sa sc sts svc'.split(
    ' ',
  ),
);

/** A default short name: the initials of a multi-word kind (`BackupSchedule` -> `bs`). */
export function defaultShortName(kind: string): string {
  const words = kebabCase(kind).split('-');
  if (words.length < 2) return '';
  const initials = words.map((w) => w.charAt(0)).join('');
  return builtinShortNames.has(initials) ? '' : initials;
}

export function validateApi(
  project: Project,
  options: Pick<CreateApiOptions, 'group' | 'version' | 'kind' | 'scope'>,
): ValidatedApi {
  const problems: string[] = [];
  const group = options.group.includes('.') ? options.group : `${options.group}.${project.file.domain}`;
  if (!options.group.includes('.')) {
    const label = checkDnsLabel(options.group);
    if (label !== undefined) problems.push(`--group "${options.group}" ${label}`);
  }
  if (problems.length === 0) {
    const groupProblem = checkGroup(group);
    if (groupProblem !== undefined) problems.push(`--group "${group}" ${groupProblem}`);
  }
  const versionProblem = checkApiVersion(options.version);
  if (versionProblem !== undefined) problems.push(`--version "${options.version}" ${versionProblem}`);
  const kindProblem = checkKind(options.kind);
  if (kindProblem !== undefined) problems.push(`--kind "${options.kind}" ${kindProblem}`);
  const scopes: Readonly<Record<string, ResourceScope>> = { namespaced: 'Namespaced', cluster: 'Cluster' };
  const requestedScope: ResourceScope | undefined =
    options.scope === undefined ? undefined : scopes[options.scope.toLowerCase()];
  if (options.scope !== undefined && requestedScope === undefined)
    problems.push(`--scope "${options.scope}" must be Namespaced or Cluster`);
  if (problems.length > 0) {
    throw new CliError('InvalidArgument', problems.length === 1 ? (problems[0] ?? '') : 'invalid arguments', {
      ...(problems.length > 1 ? { details: problems.map((p) => `  ${p}`).join('\n') } : {}),
      hint: 'for example: kubeforge create api --group webapp --version v1 --kind Guestbook (group: a DNS label, version: v1/v1beta1/v1alpha1, kind: UpperCamelCase)',
    });
  }
  const existing = project.file.resources.filter((r) => r.group === group && r.kind === options.kind);
  const sameVersion = existing.find((r) => r.version === options.version);
  if (sameVersion !== undefined) {
    throw new CliError(
      'FileExists',
      `the project already has ${options.kind} in ${group}/${options.version} (${sameVersion.path})`,
      { hint: 'edit that file instead, or pick another kind or version' },
    );
  }
  const first = existing[0];
  if (first !== undefined) {
    // A new version of a known kind: all versions share one resource name and scope.
    if (requestedScope !== undefined && requestedScope !== first.scope) {
      throw new CliError(
        'InvalidArgument',
        `--scope ${requestedScope} does not match ${options.kind}, which is ${first.scope} at ${existing.map((r) => r.version).join(', ')}`,
        { hint: 'all versions of a kind have the same scope; leave out --scope to add a version' },
      );
    }
    return {
      group,
      version: options.version,
      kind: options.kind,
      scope: first.scope,
      plural: first.plural,
      existing,
    };
  }
  const plural = defaultPlural(options.kind);
  const samePlural = project.file.resources.find((r) => r.group === group && r.plural === plural);
  if (samePlural !== undefined) {
    throw new CliError(
      'FileExists',
      `${options.kind} would use the resource name ${plural}, which ${samePlural.kind} already uses in ${group}`,
      {
        hint: 'pick another kind name',
      },
    );
  }
  return {
    group,
    version: options.version,
    kind: options.kind,
    scope: requestedScope ?? 'Namespaced',
    plural,
    existing: [],
  };
}

export function planCreateApi(
  project: Project,
  api: ValidatedApi,
  controller: boolean,
): { files: PlannedFile[]; resource: ProjectResource } {
  const typesPath = `src/apis/${api.group}/${api.version}/${kebabCase(api.kind)}.ts`;
  const dir = join(templatesDir(), 'project', 'api');
  const view = {
    group: api.group,
    version: api.version,
    kind: api.kind,
    scope: api.scope,
    shortName: defaultShortName(api.kind),
    sampleName: `${kebabCase(api.kind)}-sample`,
    projectName: project.file.name,
  };
  const resource: ProjectResource = {
    group: api.group,
    version: api.version,
    kind: api.kind,
    plural: api.plural,
    scope: api.scope,
    path: typesPath,
    controller,
  };
  const resources = [...project.file.resources, resource];
  return {
    resource,
    files: [
      {
        path: typesPath,
        contents: renderTemplate(readFileSync(join(dir, 'types.ts.hbs'), 'utf8'), view, 'types.ts.hbs'),
        mode: 'create',
      },
      {
        path: samplePath(api),
        contents: renderTemplate(readFileSync(join(dir, 'sample.yaml.hbs'), 'utf8'), view, 'sample.yaml.hbs'),
        mode: 'create',
      },
      {
        path: 'config/samples/kustomization.yaml',
        contents: samplesKustomization(resources),
        mode: 'update',
      },
      { path: PROJECT_FILE, contents: serializeProjectFile({ ...project.file, resources }), mode: 'update' },
    ],
  };
}

/**
 * Scaffolds and registers the controller of one kind. Used instead of generate's own
 * scaffolding when the project has kinds created with `--no-controller`, which generate
 * would otherwise give a controller too.
 */
async function scaffoldOneController(projectDir: string, api: ValidatedApi): Promise<readonly string[]> {
  const generator = await loadGenerator();
  const { model } = generator.loadProject({ projectDir });
  const kind = model.kinds.find((k) => k.group === api.group && k.kind === api.kind);
  if (kind === undefined) throw new Error(`${api.kind} is missing from the model after generating it`);
  const main = readFileSync(join(projectDir, generator.mainFile), 'utf8');
  const registration = generator.registerControllers(main, [generator.controllerRegistration(kind)]);
  if (!registration.ok) {
    throw new CliError('GenerateFailed', `cannot register the ${api.kind} controller`, {
      details: generator.formatDiagnostics(registration.diagnostics),
    });
  }
  const write = generator.writeOutputs(
    [
      generator.emitControllerScaffold(kind),
      { path: generator.mainFile, contents: registration.contents, ownership: 'generated' },
    ],
    { projectDir },
  );
  return write.written;
}

const scaffoldMarkers = ['// +kubeforge:scaffold:imports', '// +kubeforge:scaffold:controllers'];

export async function createApi(options: CreateApiOptions): Promise<ProjectResource> {
  const project = loadProject(options.cwd);
  const api = validateApi(project, options);
  if (api.existing.length > 0) return addApiVersion(project, api, options.output);
  const { files, resource } = planCreateApi(project, api, options.controller);
  const controllerFile = (await loadGenerator()).controllerPath({ kind: api.kind });
  if (options.controller) {
    if (existsSync(join(project.root, controllerFile))) {
      throw new CliError('FileExists', `${controllerFile} already exists`, {
        hint: 'nothing was written; move it away, or pass --no-controller to add only the API',
      });
    }
    const mainPath = join(project.root, 'src/main.ts');
    const main = existsSync(mainPath) ? readFileSync(mainPath, 'utf8') : '';
    const missing = scaffoldMarkers.filter(
      (marker) => !main.split('\n').some((line) => line.trim() === marker),
    );
    if (missing.length > 0) {
      throw new CliError(
        'InvalidInput',
        `src/main.ts has no ${missing.map((m) => `"${m}"`).join(' or ')} line, where the controller is registered`,
        {
          hint: `nothing was written; put the marker lines back in src/main.ts (imports: after the imports; controllers: where \`manager\` is in scope), or pass --no-controller`,
        },
      );
    }
  }
  // Kinds created with --no-controller must not get one from generate's scaffolding.
  const { resources } = project.file;
  const scaffoldOnlyThis = options.controller && resources.some((r) => !kindHasController(resources, r));
  const applied = applyFilePlan(project.root, files);
  let result;
  let scaffolded: readonly string[] = [];
  try {
    result = await runGeneration({
      projectDir: project.root,
      scaffold: options.controller && !scaffoldOnlyThis,
    });
    if (scaffoldOnlyThis) {
      scaffolded = await scaffoldOneController(project.root, api);
      // The new controller's @rbac tags belong in the role.
      const rbac = await runGeneration({ projectDir: project.root, scaffold: false });
      result = { ...result, written: [...result.written, ...rbac.written] };
    }
  } catch (err) {
    applied.rollback();
    throw err;
  }
  const written = [...new Set([...applied.created, ...result.written, ...scaffolded])];
  const isScaffold = (path: string): boolean => result.scaffolded.includes(path) || path === controllerFile;
  options.output.info(`Created ${api.kind} (${api.group}/${api.version}, ${api.scope}):`);
  for (const path of written) options.output.info(`  ${isScaffold(path) ? 'scaffolded' : 'wrote'} ${path}`);
  options.output.info(
    [
      '',
      'Next steps:',
      `  edit ${resource.path} (the API), then run \`npx kubeforge generate\``,
      ...(options.controller ? [`  implement the reconcile in ${controllerFile}`] : []),
      '  npm run build',
    ].join('\n'),
  );
  return resource;
}

interface CreateApiArgs {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly scope: string | undefined;
  readonly controller: boolean;
}

function apiCommand(output: Output): CommandModule<object, CreateApiArgs> {
  return {
    command: 'api',
    describe: 'Add a kind: types file, sample, CRD, typed client and controller',
    builder: (yargs) =>
      yargs
        .option('group', {
          type: 'string',
          demandOption: true,
          describe: 'API group: a name (the project domain is appended) or a full group with dots',
        })
        .option('version', {
          type: 'string',
          demandOption: true,
          describe: 'API version, e.g. v1, v1beta1, v1alpha1',
        })
        .option('kind', {
          type: 'string',
          demandOption: true,
          describe: 'Kind, UpperCamelCase, e.g. Guestbook',
        })
        .option('scope', {
          type: 'string',
          describe: 'Namespaced (the default) or Cluster; a new version of a kind keeps its scope',
        })
        .option('controller', {
          type: 'boolean',
          default: true,
          describe: 'Scaffold a controller (--no-controller to skip)',
        })
        .example(
          '$0 create api --group webapp --version v1 --kind Guestbook',
          'A namespaced kind webapp.<domain>/v1 Guestbook and its controller',
        )
        .example(
          '$0 create api --group infra --version v1alpha1 --kind Cluster --scope Cluster',
          'A cluster-scoped kind',
        )
        .example(
          '$0 create api --group webapp --version v1 --kind Theme --no-controller',
          'Only the API, no controller',
        )
        .example(
          '$0 create api --group webapp --version v2 --kind Guestbook',
          'Add version v2 to Guestbook: a copy of the storage version, which stays the storage version',
        )
        .epilogue(
          'Writes src/apis/<group>/<version>/<kind>.ts and a sample in config/samples, then runs `kubeforge generate`. ' +
            'Group: a DNS label (the project domain is appended) or a full DNS subdomain; version: v1, v1beta1, ' +
            'v1alpha1...; kind: UpperCamelCase.',
        ),
    handler: async (args) => {
      await createApi({ cwd: process.cwd(), ...args, output });
    },
  };
}

export function createApiCommand(output: Output): CommandModule {
  return {
    command: 'create',
    describe: 'Scaffold something in the project (create api, create webhook)',
    builder: (yargs) =>
      yargs
        .command(apiCommand(output))
        .command(webhookCommand(output))
        .demandCommand(1, 'name what to create: kubeforge create api or kubeforge create webhook')
        .example(
          '$0 create api --group webapp --version v1 --kind Guestbook',
          'Add a kind and its controller',
        ),
    handler: () => undefined,
  };
}
