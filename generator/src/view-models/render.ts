/**
 * The template engine: Handlebars templates from the repository's top-level `templates/`
 * folder, compiled in strict mode (a field missing from the view model throws instead of
 * rendering as an empty string) with HTML escaping off (the output is code, not HTML).
 * Helpers only format names; every decision is made in the typed view model.
 *
 * The folder is found relative to this module, so the same code works when run from
 * `generator/src` (type stripping) and from `generator/dist`; `KUBEFORGE_TEMPLATES_DIR`
 * overrides it (e.g. for a packaged install that ships the templates elsewhere).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { camelCase, constantCase, kebabCase, pascalCase, pluralize } from './names.ts';

/** A template that cannot be found or rendered. */
export class TemplateError extends Error {
  readonly reason: 'NotFound' | 'RenderFailed';
  readonly template: string;
  constructor(reason: 'NotFound' | 'RenderFailed', template: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TemplateError';
    this.reason = reason;
    this.template = template;
  }
}

/** `generator/{src,dist}/view-models/` -> the repository's `templates/`. */
export function templatesDir(): string {
  const override = process.env['KUBEFORGE_TEMPLATES_DIR'];
  if (override !== undefined && override !== '') return override;
  return fileURLToPath(new URL('../../../templates/', import.meta.url));
}

/** Named after the functions so a helper never shadows a view-model field (`{{plural}}`). */
const nameHelpers: Readonly<Record<string, (value: string) => string>> = {
  pascalCase,
  camelCase,
  kebabCase,
  constantCase,
  pluralize,
};

function createEngine(): typeof Handlebars {
  const engine = Handlebars.create();
  for (const [name, format] of Object.entries(nameHelpers)) {
    engine.registerHelper(name, (value: unknown) => {
      if (typeof value !== 'string') throw new Error(`helper "${name}" expects a string, got ${typeof value}`);
      return format(value);
    });
  }
  return engine;
}

const engine = createEngine();
const compiled = new Map<string, HandlebarsTemplateDelegate>();

function compile(name: string): HandlebarsTemplateDelegate {
  const cached = compiled.get(name);
  if (cached) return cached;
  const file = join(templatesDir(), name);
  if (!existsSync(file)) {
    throw new TemplateError(
      'NotFound',
      name,
      `template ${name} not found at ${file}; set KUBEFORGE_TEMPLATES_DIR if the templates were installed elsewhere`,
    );
  }
  const template = engine.compile(readFileSync(file, 'utf8'), {
    strict: true,
    noEscape: true,
    knownHelpers: Object.fromEntries(Object.keys(nameHelpers).map((h) => [h, true])),
  });
  compiled.set(name, template);
  return template;
}

/**
 * Renders `templates/<name>` with a view model. The view model's type is the template's
 * contract: callers pass a typed object built by the matching `build*ViewModel` function.
 */
export function render<ViewModel extends object>(name: string, viewModel: ViewModel): string {
  const template = compile(name);
  try {
    return template(viewModel);
  } catch (error) {
    throw new TemplateError(
      'RenderFailed',
      name,
      `template ${name} failed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}
