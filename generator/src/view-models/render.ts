/**
 * The template engine: Handlebars templates from the repository's top-level `templates/`
 * folder, compiled in strict mode (a field missing from the view model throws instead of
 * rendering as an empty string) with HTML escaping off (the output is code, not HTML).
 * Helpers only format names; every decision is made in the typed view model.
 * The folder is {@link templatesDir}'s.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import type { IndexModuleViewModel, KindModuleViewModel } from './code.ts';
import { camelCase, constantCase, kebabCase, pascalCase, pluralize } from './names.ts';
import type { ControllerViewModel } from './scaffold.ts';
import { templatesDir } from './templates-dir.ts';

export { templatesDir };

/** A template that cannot be found or rendered. */
export class TemplateError extends Error {
  readonly reason: 'NotFound' | 'RenderFailed';
  readonly template: string;
  constructor(
    reason: 'NotFound' | 'RenderFailed',
    template: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'TemplateError';
    this.reason = reason;
    this.template = template;
  }
}

/** Named after the functions so a helper never shadows a view-model field (`{{plural}}`). */
const nameHelpers: Readonly<Record<string, (value: string) => string>> = {
  pascalCase,
  camelCase,
  kebabCase,
  constantCase,
  pluralize,
};

function where(options: unknown): string {
  const loc = (options as { loc?: { start?: { line?: number; column?: number } } } | undefined)?.loc?.start;
  return loc?.line === undefined ? '' : ` at ${loc.line}:${loc.column ?? 0}`;
}

/**
 * Handlebars' strict mode checks plain `{{field}}` lookups only: helper arguments, including
 * those of `#if`, `#unless`, `#each` and `#with`, silently become `undefined`. View models
 * never hold `undefined`, so these wrappers turn an `undefined` argument into the error strict
 * mode would have raised.
 */
const strictBlockHelpers = ['if', 'unless', 'each', 'with'];

function createEngine(): typeof Handlebars {
  const engine = Handlebars.create();
  for (const name of strictBlockHelpers) {
    const builtin = engine.helpers[name];
    if (builtin === undefined) throw new Error(`Handlebars has no built-in helper "${name}"`);
    engine.registerHelper(name, function (this: unknown, value: unknown, options: unknown) {
      if (value === undefined)
        throw new Error(`#${name}${where(options)}: a field missing from the view model`);
      return builtin.call(this, value, options) as unknown;
    });
  }
  for (const [name, format] of Object.entries(nameHelpers)) {
    engine.registerHelper(name, (value: unknown, options: unknown) => {
      if (typeof value !== 'string') {
        throw new Error(
          `${name}${where(options)} expects a string, got ${value === undefined ? 'a missing field' : typeof value}`,
        );
      }
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
    knownHelpers: Object.fromEntries(
      [...strictBlockHelpers, ...Object.keys(nameHelpers)].map((h) => [h, true]),
    ),
  });
  compiled.set(name, template);
  return template;
}

/** Each template under `templates/` this package renders, with the view model it takes. */
export interface TemplateViewModels {
  readonly 'code/kind.ts.hbs': KindModuleViewModel;
  readonly 'code/index.ts.hbs': IndexModuleViewModel;
  readonly 'scaffold/controller.ts.hbs': ControllerViewModel;
}

/** Renders one of this package's templates with its typed view model. */
export function render<Name extends keyof TemplateViewModels>(
  name: Name,
  viewModel: TemplateViewModels[Name],
): string {
  return renderTemplate(name, viewModel);
}

/**
 * Renders any template under `templates/` (path relative to it) with the strict engine; a
 * field the template uses and `data` lacks throws a {@link TemplateError}.
 */
export function renderTemplate(name: string, data: object): string {
  const template = compile(name);
  try {
    return template(data);
  } catch (error) {
    throw new TemplateError(
      'RenderFailed',
      name,
      `template ${name} failed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}
