/**
 * Checks every `x-kubernetes-validations` rule of a structural schema the way the API server
 * does when a CRD is created: the rule compiles against `self` (and `oldSelf`) typed from
 * the schema at its location and evaluates to a bool, `messageExpression` to a string,
 * `reason` and `fieldPath` are valid, transition rules sit where old values can be matched,
 * and every field and library exists in the target Kubernetes version. Returns problems,
 * never throws.
 */
import type { ASTNode } from '@marcbachmann/cel-js';
import { celRootSchema, createRuleEnvironment, objectProperties, type OldSelfMode } from './environment.ts';
import { estimateRuleCosts, type CostProblem } from './cost.ts';
import {
  mapValueSchema,
  validationReasons,
  type CelValidationRule,
  type StructuralSchema,
} from './structural-schema.ts';
import { celEnvironmentVersions, kubeVersionAtLeast, latestKubeVersion, ruleFieldSince } from './versions.ts';

export type RuleField = 'rule' | 'message' | 'messageExpression' | 'reason' | 'fieldPath' | 'optionalOldSelf';

export interface RuleProblem {
  /** A stable, kebab-case identifier, e.g. `cel-type-error`. */
  readonly code: string;
  /** Where the rule is in the schema, e.g. `spec.targets[]` (`''` for the root). */
  readonly path: string;
  /** The rule's index in that node's `x-kubernetes-validations`. */
  readonly index: number;
  readonly rule: CelValidationRule;
  /** The field of the rule the problem is in. */
  readonly field: RuleField;
  /** 0-based offset of the problem in the expression (`rule` or `messageExpression`). */
  readonly offset?: number;
  readonly message: string;
  readonly hint?: string;
}

export interface CheckRulesOptions {
  /** The oldest Kubernetes minor version that must accept the rules; default the latest known. */
  readonly kubeVersion?: string;
  /** Skip the cost estimation (per rule and per CRD). */
  readonly skipCost?: boolean;
}

interface Located {
  readonly schema: StructuralSchema;
  readonly path: string;
  /** Whether old values can be matched to new ones here (not below list items other than listType=map). */
  readonly correlatable: boolean;
  /** The list above that breaks the correlation, when not correlatable. */
  readonly uncorrelatedAt?: string;
}

/** All rule locations of a schema, root first. */
export function ruleLocations(root: StructuralSchema): readonly Located[] {
  const found: Located[] = [];
  const visit = (schema: StructuralSchema, path: string, uncorrelatedAt: string | undefined): void => {
    if ((schema['x-kubernetes-validations'] ?? []).length > 0) {
      found.push({
        schema,
        path,
        correlatable: uncorrelatedAt === undefined,
        ...(uncorrelatedAt === undefined ? {} : { uncorrelatedAt }),
      });
    }
    for (const [name, child] of Object.entries(schema.properties ?? {})) {
      visit(child, path === '' ? name : `${path}.${name}`, uncorrelatedAt);
    }
    const values = mapValueSchema(schema);
    if (values !== undefined) visit(values, `${path}[*]`, uncorrelatedAt);
    if (schema.items) {
      const keyed = schema['x-kubernetes-list-type'] === 'map';
      visit(schema.items, `${path}[]`, uncorrelatedAt ?? (keyed ? undefined : path));
    }
  };
  visit(root, '', undefined);
  return found;
}

export function checkSchemaRules(root: StructuralSchema, options: CheckRulesOptions = {}): RuleProblem[] {
  const kubeVersion = options.kubeVersion ?? latestKubeVersion;
  const problems: RuleProblem[] = [];
  root = celRootSchema(root);
  for (const location of ruleLocations(root)) {
    for (const [index, rule] of (location.schema['x-kubernetes-validations'] ?? []).entries()) {
      problems.push(...checkRule(location, index, rule, kubeVersion));
    }
  }
  if (!options.skipCost && !problems.some((p) => p.code !== 'cel-version')) {
    problems.push(...estimateRuleCosts(root, kubeVersion).map((p: CostProblem) => costProblem(p)));
  }
  return problems;
}

function costProblem(problem: CostProblem): RuleProblem {
  return {
    code: 'cel-cost',
    path: problem.path,
    index: problem.index,
    rule: problem.rule,
    field: problem.field,
    message: problem.message,
    hint: problem.hint,
  };
}

function checkRule(
  location: Located,
  index: number,
  rule: CelValidationRule,
  kubeVersion: string,
): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const at = (
    field: RuleField,
    code: string,
    message: string,
    extra: { offset?: number; hint?: string } = {},
  ): void => {
    problems.push({ code, path: location.path, index, rule, field, message, ...extra });
  };
  for (const field of ['messageExpression', 'reason', 'fieldPath', 'optionalOldSelf'] as const) {
    if (rule[field] !== undefined && !kubeVersionAtLeast(kubeVersion, ruleFieldSince[field])) {
      at(
        field,
        'cel-version',
        `${field} needs Kubernetes >= ${ruleFieldSince[field]}, but the target is ${kubeVersion}`,
        {
          hint: `target Kubernetes ${ruleFieldSince[field]} or newer (--kube-version or generate.kubeVersion in kubeforge.json), or drop ${field}`,
        },
      );
    }
  }
  if (rule.message?.trim() === '') {
    at('message', 'cel-invalid-rule', 'message must be non-empty if specified', {
      hint: 'drop message= or say what is wrong',
    });
  }
  if (rule.message !== undefined && /[\r\n]/.test(rule.message)) {
    at('message', 'cel-invalid-rule', 'message must not contain line breaks');
  }
  if (rule.reason !== undefined && !(validationReasons as readonly string[]).includes(rule.reason)) {
    at(
      'reason',
      'cel-invalid-rule',
      `reason: Unsupported value: "${rule.reason}": supported values: ${validationReasons.join(', ')}`,
    );
  }
  if (rule.fieldPath !== undefined) {
    const problem = fieldPathProblem(location.schema, rule.fieldPath);
    if (problem !== undefined)
      at('fieldPath', 'cel-invalid-field-path', problem.message, problem.hint ? { hint: problem.hint } : {});
  }

  const parsed = parseExpression(location.schema, rule.rule, kubeVersion);
  if ('offset' in parsed) {
    at('rule', parsed.code, parsed.message, {
      offset: parsed.offset,
      ...(parsed.hint ? { hint: parsed.hint } : {}),
    });
    return problems;
  }
  const usesOldSelf = usesIdentifier(parsed.ast, 'oldSelf');
  if (usesOldSelf && !location.correlatable) {
    at(
      'rule',
      'cel-transition-rule-placement',
      `oldSelf cannot be used on the uncorrelatable portion of the schema within ${location.uncorrelatedAt ?? location.path}`,
      {
        hint: `transition rules work only where old values can be matched: not below the items of a list unless it is @listType map (${location.uncorrelatedAt ?? location.path} is not)`,
      },
    );
  }
  if (rule.optionalOldSelf === true && !usesOldSelf) {
    at(
      'optionalOldSelf',
      'cel-invalid-rule',
      'optionalOldSelf may not be set if oldSelf is not used in rule',
    );
  }
  const oldSelf: OldSelfMode = !usesOldSelf ? 'none' : rule.optionalOldSelf === true ? 'optional' : 'value';
  const typed = typeCheck(location.schema, rule.rule, oldSelf, kubeVersion);
  if (typed.kind === 'error')
    at('rule', typed.code, typed.message, {
      offset: typed.offset,
      ...(typed.hint ? { hint: typed.hint } : {}),
    });
  else if (typed.type !== 'bool' && typed.type !== 'dyn') {
    at('rule', 'cel-type-error', `cel expression must evaluate to a bool, but it is ${typed.type}`, {
      offset: 0,
    });
  }

  if (rule.messageExpression !== undefined) {
    if (rule.messageExpression.trim() === '') {
      at('messageExpression', 'cel-invalid-rule', 'messageExpression must be non-empty if specified');
    } else {
      const message = typeCheck(location.schema, rule.messageExpression, oldSelf, kubeVersion);
      if (message.kind === 'error') {
        at('messageExpression', message.code, message.message, {
          offset: message.offset,
          ...(message.hint ? { hint: message.hint } : {}),
        });
      } else if (message.type !== 'string' && message.type !== 'dyn') {
        at(
          'messageExpression',
          'cel-type-error',
          `messageExpression must evaluate to a string, but it is ${message.type}`,
          { offset: 0 },
        );
      }
    }
  }
  return problems;
}

type Parsed =
  | { readonly ast: ASTNode }
  | { readonly code: string; readonly message: string; readonly offset: number; readonly hint?: string };

function parseExpression(schema: StructuralSchema, expression: string, kubeVersion: string): Parsed {
  try {
    return { ast: createRuleEnvironment(schema, { kubeVersion }).parse(expression).ast };
  } catch (error) {
    const e = error as { summary?: string; message: string; node?: { pos?: number } };
    const message = e.summary ?? e.message;
    const offset = e.node?.pos ?? 0;
    const needs = celEnvironmentVersions.find((v) => {
      if (kubeVersionAtLeast(kubeVersion, v)) return false;
      try {
        createRuleEnvironment(schema, { kubeVersion: v }).parse(expression);
        return true;
      } catch {
        return false;
      }
    });
    if (needs !== undefined) {
      return {
        code: 'cel-version',
        message: `needs Kubernetes >= ${needs} (optional types), but the target is ${kubeVersion}: ${message}`,
        offset,
        hint: `target Kubernetes ${needs} or newer (--kube-version or generate.kubeVersion in kubeforge.json)`,
      };
    }
    return { code: 'cel-syntax-error', message, offset };
  }
}

export function usesIdentifier(node: unknown, name: string): boolean {
  if (node === null || typeof node !== 'object') return false;
  const n = node as { op?: string; args?: unknown };
  if (n.op === 'id') return n.args === name;
  if (Array.isArray(node)) return node.some((c) => usesIdentifier(c, name));
  return n.op !== undefined && usesIdentifier(n.args, name);
}

type Typed =
  | { readonly kind: 'ok'; readonly type: string }
  | {
      readonly kind: 'error';
      readonly code: string;
      readonly message: string;
      readonly offset: number;
      readonly hint?: string;
    };

function typeCheck(
  schema: StructuralSchema,
  expression: string,
  oldSelf: OldSelfMode,
  kubeVersion: string,
): Typed {
  const result = createRuleEnvironment(schema, { kubeVersion, oldSelf }).check(expression);
  if (result.valid) return { kind: 'ok', type: result.type ?? 'dyn' };
  const error = result.error as unknown as { summary?: string; message: string; node?: ErrorNode };
  const offset = errorOffset(expression, error.node);
  const message = celMessage(error.summary ?? error.message);
  const needs = celEnvironmentVersions.find(
    (v) =>
      !kubeVersionAtLeast(kubeVersion, v) &&
      createRuleEnvironment(schema, { kubeVersion: v, oldSelf }).check(expression).valid,
  );
  if (needs !== undefined) {
    return {
      kind: 'error',
      code: 'cel-version',
      message: `needs Kubernetes >= ${needs}, but the target is ${kubeVersion}: ${message}`,
      offset,
      hint: `target Kubernetes ${needs} or newer (--kube-version or generate.kubeVersion in kubeforge.json), or avoid what it adds`,
    };
  }
  return { kind: 'error', code: 'cel-type-error', message, offset, ...typeHint(message) };
}

interface ErrorNode {
  readonly pos?: number;
  readonly op?: string;
  readonly args?: unknown;
}

const binaryOperators = new Set([
  '==',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  '+',
  '-',
  '*',
  '/',
  '%',
  'in',
  '&&',
  '||',
]);

/** Where cel-go points at an error: the operator of a binary expression, the dot of a selection. */
function errorOffset(expression: string, node: ErrorNode | undefined): number {
  if (node === undefined) return 0;
  const pos = node.pos ?? 0;
  if (node.op === '.' || node.op === '.?') return Math.max(0, expression.lastIndexOf('.', pos));
  if (node.op !== undefined && binaryOperators.has(node.op) && Array.isArray(node.args)) {
    const left = node.args[0] as { range?: { end: number } } | undefined;
    const from = left?.range?.end ?? pos;
    const at = expression.indexOf(node.op, from);
    if (at >= 0) return at;
  }
  return pos;
}

/** The evaluator's messages in the words cel-go (and so the API server) uses. */
export function celMessage(message: string): string {
  const noKey = /^No such key: (.*)$/.exec(message);
  if (noKey) return `undefined field '${noKey[1] ?? ''}'`;
  const overload = /^no such overload: (\S+) (==|!=|<=|>=|<|>|\+|-|\*|\/|%|in) (\S+)$/.exec(message);
  if (overload)
    return `found no matching overload for '_${overload[2] ?? ''}_' applied to '(${overload[1] ?? ''}, ${overload[3] ?? ''})'`;
  const unknown = /^Unknown variable: (.*)$/.exec(message);
  if (unknown) return `undeclared reference to '${unknown[1] ?? ''}'`;
  return message;
}

function typeHint(message: string): { hint?: string } {
  if (message.startsWith('undefined field')) {
    return {
      hint: 'the field is not in the schema here; names with -, . or / are escaped (__dash__, __dot__, __slash__)',
    };
  }
  if (/int.*double|double.*int/.test(message)) return { hint: 'convert explicitly: double(x) or int(x)' };
  return {};
}

/**
 * What is wrong with a rule's `fieldPath` (a relative JSONPath such as `.spec.ports` or
 * `.labels['app.kubernetes.io/name']`), or `undefined` when it names a field of the schema.
 */
export function fieldPathProblem(
  schema: StructuralSchema,
  fieldPath: string,
): { message: string; hint?: string } | undefined {
  const segments: string[] = [];
  const pattern = /\.([A-Za-z0-9_$-]+)|\['((?:[^'\\]|\\.)*)'\]/y;
  let at = 0;
  while (at < fieldPath.length) {
    pattern.lastIndex = at;
    const match = pattern.exec(fieldPath);
    if (!match) {
      return {
        message: `fieldPath "${fieldPath}" must be a valid path: cannot read "${fieldPath.slice(at)}"`,
        hint: "write it as .field.child or ['field.with.dots']; list indexes are not supported",
      };
    }
    segments.push(match[1] ?? match[2] ?? '');
    at = pattern.lastIndex;
  }
  if (segments.length === 0)
    return {
      message: 'fieldPath must not be empty',
      hint: 'drop fieldPath= to report the rule at its own field',
    };
  let current: StructuralSchema = schema;
  for (const [i, segment] of segments.entries()) {
    const values = mapValueSchema(current);
    if (values !== undefined) {
      current = values;
      continue;
    }
    const next: StructuralSchema | undefined = objectProperties(current)[segment];
    if (next === undefined) {
      const known = Object.keys(objectProperties(current));
      return {
        message: `fieldPath "${fieldPath}" must be a valid path: ${segments.slice(0, i + 1).join('.')} is not in the schema`,
        ...(known.length > 0 ? { hint: `fields here: ${known.join(', ')}` } : {}),
      };
    }
    current = next;
  }
  return undefined;
}

/**
 * The syntax error of a CEL expression (with optional types, as new API servers parse it),
 * or `undefined` when it parses. `offset` is 0-based within the expression.
 */
export function celSyntaxProblem(
  expression: string,
): { readonly message: string; readonly offset: number } | undefined {
  try {
    createRuleEnvironment({}).parse(expression);
    return undefined;
  } catch (error) {
    const e = error as { summary?: string; message: string; node?: { pos?: number } };
    return { message: e.summary ?? e.message, offset: e.node?.pos ?? 0 };
  }
}
