/**
 * Synthetic operator projects for the generator scenario: N kinds in
 * `src/apis/bench.example.com/v1/`, one file each, every kind with a spec and status of the
 * field shapes real operators use (scalars with markers, enums, nested objects, arrays of
 * objects, maps, optional fields), importing the object model from `@kubeforge/runtime/api` as
 * scaffolded projects do. Two variants of the same kinds: `embeds-core-v1`, whose specs also
 * embed built-in types from `@kubeforge/api/core/v1` (a PodTemplateSpec, ResourceRequirements,
 * EnvVar[], Toleration[], Affinity), and `runtime-root`, which imports the object model from
 * the `@kubeforge/runtime` root instead. `@kubeforge/runtime` and `@kubeforge/api` resolve
 * through symlinks to this repository's packages (their built `dist/`), as they would from
 * installed dependencies. The tsconfig sets `lib` like the scaffold's, so neither contender
 * parses the DOM library.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RUNTIME_PACKAGE = fileURLToPath(new URL('../../packages/runtime', import.meta.url));
const API_PACKAGE = fileURLToPath(new URL('../../packages/api', import.meta.url));

/** What the kinds import: the object model only, plus built-in core/v1 types, or the runtime root. */
export type SyntheticFlavour = 'plain' | 'embeds-core-v1' | 'runtime-root';
export const API_DIR = 'src/apis/bench.example.com/v1';

export interface SyntheticProject {
  readonly dir: string;
  /** Absolute paths of the kind files, in kind order. */
  readonly kindFiles: readonly string[];
  /** The root type names (`Widget0`, `Widget1`, ...). */
  readonly kindTypes: readonly string[];
  readonly flavour: SyntheticFlavour;
}

export function kindSource(index: number, revision = 0, flavour: SyntheticFlavour = 'plain'): string {
  const kind = `Widget${index}`;
  const runtime = flavour === 'runtime-root' ? '@kubeforge/runtime' : '@kubeforge/runtime/api';
  const embeds = flavour === 'embeds-core-v1';
  return `import type { ObjectMeta } from '${runtime}';${
    embeds
      ? `\nimport type { Affinity, EnvVar, PodTemplateSpec, ResourceRequirements, Toleration } from '@kubeforge/api/core/v1';`
      : ''
  }

/** A port the ${kind} exposes. */
export interface ${kind}Port {
  /** @maxLength 15 */
  name: string;
  /**
   * @minimum 1
   * @maximum 65535
   */
  port: number;
  protocol?: 'TCP' | 'UDP';
}

/** The desired state of a ${kind}. */
export interface ${kind}Spec {
  /**
   * How many replicas to run.
   * @minimum 0
   * @maximum 100
   */
  replicas: number;
  /** The container image. */
  image: string;
  mode: 'Fast' | 'Safe' | 'Off';
  /** @maxItems 16 */
  ports?: ${kind}Port[];
  labels?: Record<string, string>;
  resources?: { cpu?: string; memory?: string };
  suspend?: boolean;${
    embeds
      ? `
  /** The pods each ${kind} runs. */
  template: PodTemplateSpec;
  podResources?: ResourceRequirements;
  env?: EnvVar[];
  tolerations?: Toleration[];
  affinity?: Affinity;`
      : ''
  }${revision === 0 ? '' : `\n  /** Added by edit ${revision}. */\n  extra${revision}?: string;`}
}

/** The observed state of a ${kind}. */
export interface ${kind}Status {
  phase?: 'Pending' | 'Ready' | 'Failed';
  observedGeneration?: number;
  readyReplicas?: number;
  message?: string;
}

/**
 * ${kind} is a synthetic kind for the generator benchmark.
 * @resource
 * @plural widget${index}s
 * @subresource status
 */
export interface ${kind} {
  metadata: ObjectMeta;
  spec: ${kind}Spec;
  status?: ${kind}Status;
}
`;
}

export function createSyntheticProject(kinds: number, flavour: SyntheticFlavour = 'plain'): SyntheticProject {
  const dir = mkdtempSync(join(tmpdir(), `kubeforge-bench-gen-${kinds}-${flavour}-`));
  mkdirSync(join(dir, API_DIR), { recursive: true });
  mkdirSync(join(dir, 'node_modules', '@kubeforge'), { recursive: true });
  symlinkSync(RUNTIME_PACKAGE, join(dir, 'node_modules', '@kubeforge', 'runtime'), 'dir');
  symlinkSync(API_PACKAGE, join(dir, 'node_modules', '@kubeforge', 'api'), 'dir');
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: `bench-gen-${kinds}`, private: true, type: 'module' }, null, 2)}\n`,
  );
  writeFileSync(
    join(dir, 'tsconfig.json'),
    `${JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2023'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          skipLibCheck: true,
          noEmit: true,
          types: [],
        },
        include: ['src'],
      },
      null,
      2,
    )}\n`,
  );
  const kindFiles: string[] = [];
  const kindTypes: string[] = [];
  for (let i = 0; i < kinds; i++) {
    const file = join(dir, API_DIR, `widget-${i}.ts`);
    writeFileSync(file, kindSource(i, 0, flavour));
    kindFiles.push(file);
    kindTypes.push(`Widget${i}`);
  }
  return { dir, kindFiles, kindTypes, flavour };
}
