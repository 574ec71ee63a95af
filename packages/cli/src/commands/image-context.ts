/**
 * `kubeforge image-context`: a complete container build context for the operator image in
 * `dist/image` (see image/build-context.ts), so `docker build` (or podman, buildah, kaniko)
 * works for a project whose kubeforge packages come from a local checkout as well as for one
 * using published packages.
 */
import { isAbsolute, join, relative } from 'node:path';
import type { CommandModule } from 'yargs';
import { writeBuildContext } from '../image/build-context.ts';
import type { Output } from '../output.ts';
import { loadProject } from '../project/project-file.ts';

export const DEFAULT_IMAGE_CONTEXT = 'dist/image';

export async function imageContext(options: {
  readonly cwd: string;
  readonly outputDir: string;
  readonly output: Output;
}): Promise<string> {
  const project = loadProject(options.cwd);
  const dir = isAbsolute(options.outputDir) ? options.outputDir : join(project.root, options.outputDir);
  await writeBuildContext(project.root, dir, options.output);
  const shown = relative(options.cwd, dir) || dir;
  options.output.info(
    [
      `Wrote the build context ${shown}.`,
      `Build and push the image: docker build -t <registry>/${project.file.name}:<tag> ${shown} && docker push <registry>/${project.file.name}:<tag>`,
      `Then: kubeforge deploy --image <registry>/${project.file.name}:<tag>`,
    ].join('\n'),
  );
  return dir;
}

interface ImageContextArgs {
  readonly 'output-dir': string;
}

export function imageContextCommand(output: Output): CommandModule<object, ImageContextArgs> {
  return {
    command: 'image-context',
    describe: 'Write a self-contained container build context (dist/image) for the operator image',
    builder: (yargs) =>
      yargs
        .option('output-dir', {
          type: 'string',
          default: DEFAULT_IMAGE_CONTEXT,
          describe: 'The context directory (relative to the project root); rewritten whole',
        })
        .example(
          '$0 image-context && docker build -t ghcr.io/acme/op:v1 dist/image',
          'Build the operator image',
        )
        .epilogue(
          'The context holds the Dockerfile, src/, tsconfig.json, a package.json with the runtime dependencies and the ' +
            'compiler, the kubeforge packages the project takes from a local checkout packed into vendor/, and a ' +
            'package-lock.json for exactly that: `npm ci` inside needs only published packages.',
        ),
    handler: async (args) => {
      await imageContext({ cwd: process.cwd(), outputDir: args['output-dir'], output });
    },
  };
}
