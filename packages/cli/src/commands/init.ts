/**
 * `kubeforge init`: a complete, buildable operator project in a new or empty directory.
 * Every file is planned first and written all-or-nothing; then dependencies are installed
 * with npm's own progress output (unless `--skip-install`).
 */
import { basename, join, relative, resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { CliError } from '../errors.ts';
import { kubeforgeSource, templatesDir, type KubeforgeSource } from '../project/checkout.ts';
import { checkDnsLabel, checkDomain, projectNameFromDirectory } from '../project/naming.ts';
import {
  PROJECT_FILE,
  PROJECT_FILE_VERSION,
  findProjectRoot,
  serializeProjectFile,
} from '../project/project-file.ts';
import { npmCommand, runVisible } from '../process/run.ts';
import { applyFilePlan, type PlannedFile } from '../scaffold/file-plan.ts';
import { packageManifest, toolchainOf } from '../scaffold/package-manifest.ts';
import { renderTemplateDir } from '../scaffold/render.ts';
import type { Output } from '../output.ts';

export interface InitOptions {
  /** Directory to create the project in (created if missing). */
  readonly dir: string;
  readonly domain: string;
  /** Project name; defaults to the directory's name. */
  readonly name?: string;
  readonly skipInstall: boolean;
  readonly output: Output;
  /** Where kubeforge's packages come from; defaults to this CLI's checkout or version. */
  readonly source?: KubeforgeSource;
}

/** The view model of templates/project/init. */
export interface InitView {
  readonly name: string;
  readonly domain: string;
  /** The namespace `kubectl apply -k config/default` installs into. */
  readonly namespace: string;
  /** The ClusterRole `kubeforge generate` writes to config/rbac/role.yaml. */
  readonly roleName: string;
  readonly kubeforgeVersion: string;
}

export function validateInitOptions(dir: string, domain: string, name: string | undefined): { name: string } {
  const domainProblem = checkDomain(domain);
  if (domainProblem !== undefined) {
    throw new CliError('InvalidArgument', `--domain "${domain}" ${domainProblem}`, {
      hint: 'pass the DNS domain your API groups live under, e.g. --domain example.com',
    });
  }
  const projectName = name ?? projectNameFromDirectory(basename(resolve(dir)));
  if (projectName === undefined) {
    throw new CliError(
      'InvalidArgument',
      `cannot derive a project name from the directory "${basename(resolve(dir))}"`,
      {
        hint: 'pass one with --name, e.g. --name my-operator',
      },
    );
  }
  const nameProblem = checkDnsLabel(projectName);
  if (nameProblem !== undefined || projectName.length > 50) {
    throw new CliError(
      'InvalidArgument',
      `project name "${projectName}" ${nameProblem ?? 'must be at most 50 characters'}`,
      {
        hint: 'the name prefixes Kubernetes object names; pass e.g. --name my-operator',
      },
    );
  }
  return { name: projectName };
}

/** Every file of a new project, relative to its directory. */
export function planInit(view: InitView, source: KubeforgeSource): PlannedFile[] {
  const projectFile = serializeProjectFile({
    version: PROJECT_FILE_VERSION,
    name: view.name,
    domain: view.domain,
    resources: [],
    imports: [],
  });
  return [
    ...renderTemplateDir(join(templatesDir(), 'project', 'init'), view),
    {
      path: 'package.json',
      contents: packageManifest(view.name, source, toolchainOf(source)),
      mode: 'create',
    },
    { path: PROJECT_FILE, contents: projectFile, mode: 'create' },
  ];
}

export async function initProject(
  options: InitOptions,
): Promise<{ readonly root: string; readonly name: string }> {
  const root = resolve(options.dir);
  const { name } = validateInitOptions(options.dir, options.domain, options.name);
  const enclosing = findProjectRoot(root);
  if (enclosing !== undefined) {
    throw new CliError('FileExists', `${root} is already inside the kubeforge project at ${enclosing}`, {
      hint:
        enclosing === root
          ? 'this directory already holds a project; add APIs to it with `kubeforge create api`'
          : 'create the new project outside the existing one, e.g. `kubeforge init ../my-operator --domain example.com`',
    });
  }
  const source = options.source ?? kubeforgeSource();
  const view: InitView = {
    name,
    domain: options.domain,
    namespace: `${name}-system`,
    roleName: 'manager-role',
    kubeforgeVersion: source.version,
  };
  const files = planInit(view, source);
  const { created } = applyFilePlan(root, files);
  const where = relative(process.cwd(), root) || '.';
  options.output.info(`Created ${created.length} files for the ${name} operator in ${where}`);

  if (options.skipInstall) {
    options.output.info(`Skipped installing dependencies; run \`npm install\` in ${where} before building.`);
  } else {
    options.output.info('Installing dependencies with npm...');
    const npm = npmCommand();
    await runVisible({
      command: npm.command,
      args: [...npm.prefix, 'install', '--prefer-offline', '--no-audit', '--no-fund'],
      cwd: root,
      retryHint: `the project files are in place; run \`npm install\` in ${where} to retry`,
      stdout: 'stderr',
    });
  }
  options.output.info(
    [
      '',
      'Next steps:',
      ...(where === '.' ? [] : [`  cd ${where}`]),
      `  npx kubeforge create api --group webapp --version v1 --kind Guestbook`,
      '  npm run build',
      '  npm test',
    ].join('\n'),
  );
  return { root, name };
}

interface InitArgs {
  readonly dir: string;
  readonly domain: string;
  readonly name: string | undefined;
  readonly 'skip-install': boolean;
}

export function initCommand(output: Output): CommandModule<object, InitArgs> {
  return {
    command: 'init [dir]',
    describe: 'Create a new operator project',
    builder: (yargs: Argv) =>
      yargs
        .positional('dir', {
          type: 'string',
          default: '.',
          describe: 'Directory for the project (created if missing)',
        })
        .option('domain', {
          type: 'string',
          demandOption: true,
          describe: 'Domain of the API groups (groups become <group>.<domain>)',
        })
        .option('name', { type: 'string', describe: "Project name (default: the directory's name)" })
        .option('skip-install', { type: 'boolean', default: false, describe: 'Do not run npm install' })
        .example(
          '$0 init my-operator --domain example.com',
          'Create ./my-operator and install its dependencies',
        )
        .example(
          '$0 init --domain acme.io --name backup-operator',
          'Create the project in the current directory',
        )
        .example('$0 init ops --domain example.com --skip-install', 'Write the files only'),
    handler: async (args) => {
      await initProject({
        dir: args.dir,
        domain: args.domain,
        ...(args.name === undefined ? {} : { name: args.name }),
        skipInstall: args['skip-install'],
        output,
      });
    },
  };
}
