/**
 * Where the templates are, for the generator and the CLI alike. No imports beyond Node's, so
 * the CLI can ask without loading the template engine or the compiler
 * (`@kubeforge/generator/templates-dir`).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The templates folder: `KUBEFORGE_TEMPLATES_DIR` if set; else, in a checkout, the
 * repository's top-level `templates/` (the one to edit: it wins over a copy `npm pack`
 * left inside the package); else `templates/` inside the package, where a packed release
 * carries its copy (see the generator's `prepack` script). Found relative to this module,
 * so it works from `generator/src`, `generator/dist` and an installed tarball.
 */
export function templatesDir(): string {
  const override = process.env.KUBEFORGE_TEMPLATES_DIR;
  if (override !== undefined && override !== '') return override;
  // From generator/{src,dist}/view-models: the repository root. Installed, this is
  // node_modules/@kubeforge/, which holds neither a package.json nor a templates/ folder.
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const checkout = join(root, 'templates');
  if (existsSync(join(root, 'package.json')) && existsSync(checkout)) return checkout;
  return fileURLToPath(new URL('../../templates/', import.meta.url));
}
