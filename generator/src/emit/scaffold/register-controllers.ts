/**
 * Registration of scaffolded controllers in the operator's `src/main.ts`, at two marker
 * comments `kubeforge init` writes there:
 *
 * ```ts
 * import { registerBackupScheduleController } from './controllers/backup-schedule.controller.ts';
 * // +kubeforge:scaffold:imports
 * ...
 * registerBackupScheduleController(manager);
 * // +kubeforge:scaffold:controllers
 * ```
 *
 * Each line is inserted directly above its marker, with the marker's indentation, unless the
 * file already has it (so registering twice changes nothing). Nothing else in the file is
 * touched. A missing marker is an error diagnostic: the caller must then not scaffold the
 * controller, so that fixing `main.ts` and running again does both.
 */
import type { Diagnostic } from '../../diagnostics/index.ts';

export const mainFile = 'src/main.ts';
export const importsMarker = '// +kubeforge:scaffold:imports';
export const controllersMarker = '// +kubeforge:scaffold:controllers';

/** One controller to register: its registration function and the module exporting it. */
export interface ControllerRegistration {
  readonly functionName: string;
  /** Project-relative path of the controller module, e.g. `src/controllers/vault.controller.ts`. */
  readonly modulePath: string;
}

export type RegistrationResult =
  | { readonly ok: true; readonly contents: string; readonly changed: boolean }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

interface MarkerLine {
  readonly index: number;
  readonly indent: string;
}

function findMarker(lines: readonly string[], marker: string): MarkerLine | undefined {
  const index = lines.findIndex((line) => line.trim() === marker);
  if (index < 0) return undefined;
  return { index, indent: /^\s*/.exec(lines[index] ?? '')?.[0] ?? '' };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function importSpecifier(modulePath: string): string {
  const fromSrc = modulePath.startsWith('src/') ? modulePath.slice('src/'.length) : `../${modulePath}`;
  return `./${fromSrc}`;
}

/**
 * Adds the import and the registration call of each controller to `source` (the contents of
 * `src/main.ts`). Pure: the caller reads and writes the file.
 */
export function registerControllers(
  source: string,
  controllers: readonly ControllerRegistration[],
): RegistrationResult {
  const newline = source.includes('\r\n') ? '\r\n' : '\n';
  const lines = source.split(/\r?\n/);
  const diagnostics: Diagnostic[] = [];
  for (const marker of [importsMarker, controllersMarker]) {
    if (findMarker(lines, marker) === undefined) {
      diagnostics.push({
        severity: 'error',
        code: 'missing-scaffold-marker',
        message: `${mainFile} has no "${marker}" line, so ${controllers.map((c) => c.functionName).join(', ')} cannot be registered there`,
        file: mainFile,
        hint:
          marker === importsMarker
            ? `add a line "${importsMarker}" after the imports of ${mainFile}`
            : `add a line "${controllersMarker}" where the manager is in scope, before it starts`,
      });
    }
  }
  if (diagnostics.length > 0) return { ok: false, diagnostics };

  let changed = false;
  for (const controller of controllers) {
    const name = escapeRegExp(controller.functionName);
    // A commented-out call counts as present: the user chose to disable it.
    const imported = new RegExp(`^\\s*import\\s[^;]*\\b${name}\\b`, 'm');
    const called = new RegExp(`\\b${name}\\s*\\(`);
    if (!imported.test(lines.join('\n'))) {
      const specifier = importSpecifier(controller.modulePath);
      changed =
        insertAbove(lines, importsMarker, `import { ${controller.functionName} } from '${specifier}';`) ||
        changed;
    }
    if (!called.test(lines.join('\n'))) {
      changed = insertAbove(lines, controllersMarker, `${controller.functionName}(manager);`) || changed;
    }
  }
  return { ok: true, contents: changed ? lines.join(newline) : source, changed };
}

/** One webhook to register: the constant its module exports and the module. */
export interface WebhookRegistration {
  readonly exportName: string;
  /** Project-relative path of the webhook module, e.g. `src/webhooks/vault-v1.defaulting.ts`. */
  readonly modulePath: string;
}

/**
 * Adds the import of each webhook and a `manager.addWebhook(<name>);` line to `source`, at the
 * same markers as controllers (where `manager` is in scope, before it starts). Pure, and a
 * webhook already imported or added (even commented out) is left alone.
 */
export function registerWebhooks(
  source: string,
  webhooks: readonly WebhookRegistration[],
): RegistrationResult {
  const newline = source.includes('\r\n') ? '\r\n' : '\n';
  const lines = source.split(/\r?\n/);
  const missing = [importsMarker, controllersMarker].filter((m) => findMarker(lines, m) === undefined);
  if (missing.length > 0) {
    return {
      ok: false,
      diagnostics: missing.map((marker) => ({
        severity: 'error',
        code: 'missing-scaffold-marker',
        message: `${mainFile} has no "${marker}" line, so ${webhooks.map((w) => w.exportName).join(', ')} cannot be registered there`,
        file: mainFile,
        hint:
          marker === importsMarker
            ? `add a line "${importsMarker}" after the imports of ${mainFile}`
            : `add a line "${controllersMarker}" where the manager is in scope, before it starts`,
      })),
    };
  }
  let changed = false;
  for (const webhook of webhooks) {
    const name = escapeRegExp(webhook.exportName);
    if (!new RegExp(`^\\s*import\\s[^;]*\\b${name}\\b`, 'm').test(lines.join('\n'))) {
      const specifier = importSpecifier(webhook.modulePath);
      changed =
        insertAbove(lines, importsMarker, `import { ${webhook.exportName} } from '${specifier}';`) || changed;
    }
    if (!new RegExp(`addWebhook\\(\\s*${name}\\b`).test(lines.join('\n'))) {
      changed =
        insertAbove(lines, controllersMarker, `manager.addWebhook(${webhook.exportName});`) || changed;
    }
  }
  return { ok: true, contents: changed ? lines.join(newline) : source, changed };
}

function insertAbove(lines: string[], marker: string, text: string): boolean {
  const found = findMarker(lines, marker);
  if (found === undefined) return false;
  lines.splice(found.index, 0, `${found.indent}${text}`);
  return true;
}
