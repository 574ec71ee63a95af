/**
 * Evaluates a CRD's validation rules against an object (and, for updates, the old object)
 * the way the API server does, so operator authors can unit-test their rules without a
 * server:
 *
 * - a rule runs where its field is present; list items, map values and properties each get
 *   their own `self`;
 * - transition rules (`oldSelf`) run only on updates where the old value can be matched (by
 *   property name, map key, or the keys of a `listType=map` list), or with `optionalOldSelf`
 *   also without one (`oldSelf` is then an optional);
 * - on updates, values equal to their old value are not re-validated (ratcheting, on by
 *   default from Kubernetes 1.30);
 * - the message is `messageExpression`'s result, else `message`, else `failed rule: <rule>`;
 *   the field is the rule's location plus its `fieldPath`.
 */
import { Environment, Optional } from '@marcbachmann/cel-js';
import { celRootSchema, createRuleEnvironment, objectProperties, type OldSelfMode } from './environment.ts';
import { celMessage, usesIdentifier } from './check-rules.ts';
import {
  celPropertyName,
  isDynamicSchema,
  mapValueSchema,
  type CelValidationRule,
  type StructuralSchema,
} from './structural-schema.ts';
import { celEquals } from './values.ts';
import { kubeVersionAtLeast, latestKubeVersion } from './versions.ts';

export interface RuleViolation {
  /** The field the server reports, e.g. `spec.targets[0].port`. */
  readonly field: string;
  readonly message: string;
  readonly reason: string;
  readonly rule: string;
}

export interface ValidateOptions {
  /** The old object of an update; absent for creates. */
  readonly oldObject?: unknown;
  /** The Kubernetes minor version to behave like; default the latest known. */
  readonly kubeVersion?: string;
}

/**
 * The rule violations of `object` under `schema` (a CRD version's `openAPIV3Schema`); an
 * empty list when the server would accept it. Rules that do not compile are reported as
 * violations with the compiler's message (the server refuses such a CRD; check with
 * `checkSchemaRules` first).
 */
export function validateWithRules(
  schema: StructuralSchema,
  object: unknown,
  options: ValidateOptions = {},
): RuleViolation[] {
  const kubeVersion = options.kubeVersion ?? latestKubeVersion;
  const violations: RuleViolation[] = [];
  const ratcheting = kubeVersionAtLeast(kubeVersion, '1.30');
  const update = options.oldObject !== undefined;
  const visit = (s: StructuralSchema, value: unknown, old: unknown, field: string): void => {
    if (value === undefined) return;
    if (ratcheting && old !== undefined && celEquals(toCel(value, s), toCel(old, s))) return;
    for (const rule of s['x-kubernetes-validations'] ?? []) {
      const violation = evaluateRule(s, rule, value, old, update, field, kubeVersion);
      if (violation) violations.push(violation);
    }
    if (value === null || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    const oldRecord = old !== null && typeof old === 'object' ? (old as Record<string, unknown>) : undefined;
    if (Array.isArray(value)) {
      const items = s.items ?? {};
      const keys =
        s['x-kubernetes-list-type'] === 'map' ? (s['x-kubernetes-list-map-keys'] ?? []) : undefined;
      const oldItems = Array.isArray(old) ? (old as unknown[]) : [];
      for (const [i, item] of (value as unknown[]).entries()) {
        const match =
          keys === undefined
            ? undefined
            : oldItems.find((o) => keys.every((k) => celEquals(field_(o, k), field_(item, k))));
        visit(items, item, match, `${field}[${i}]`);
      }
      return;
    }
    const values = mapValueSchema(s);
    if (values !== undefined) {
      for (const [key, child] of Object.entries(record))
        visit(values, child, oldRecord?.[key], `${field}[${key}]`);
      return;
    }
    for (const [name, child] of Object.entries(s.properties ?? {})) {
      visit(child, record[name], oldRecord?.[name], field === '' ? name : `${field}.${name}`);
    }
  };
  visit(celRootSchema(schema), object, options.oldObject, '');
  return violations;
}

function field_(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

const environments = new WeakMap<StructuralSchema, Map<string, Environment>>();

function environmentFor(schema: StructuralSchema, oldSelf: OldSelfMode, kubeVersion: string): Environment {
  let byMode = environments.get(schema);
  if (byMode === undefined) {
    byMode = new Map();
    environments.set(schema, byMode);
  }
  const key = `${oldSelf}/${kubeVersion}`;
  let env = byMode.get(key);
  if (env === undefined) {
    env = createRuleEnvironment(schema, { oldSelf, kubeVersion });
    byMode.set(key, env);
  }
  return env;
}

function evaluateRule(
  schema: StructuralSchema,
  rule: CelValidationRule,
  value: unknown,
  old: unknown,
  update: boolean,
  field: string,
  kubeVersion: string,
): RuleViolation | undefined {
  const transition = usesIdentifier(parseOrUndefined(rule.rule), 'oldSelf');
  const optional = transition && rule.optionalOldSelf === true;
  if (transition && !optional && (!update || old === undefined)) return undefined;
  const mode: OldSelfMode = !transition ? 'none' : optional ? 'optional' : 'value';
  const env = environmentFor(schema, mode, kubeVersion);
  const context: Record<string, unknown> = { self: toCel(value, schema) };
  if (mode === 'value') context.oldSelf = toCel(old, schema);
  if (mode === 'optional')
    context.oldSelf = old === undefined ? Optional.none() : Optional.of(toCel(old, schema));
  const where = field + (rule.fieldPath ?? '').replace(/^\./, field === '' ? '' : '.');
  const reason = rule.reason ?? 'FieldValueInvalid';
  let result: unknown;
  try {
    result = env.evaluate(rule.rule, context);
  } catch (error) {
    const e = error as { summary?: string; message: string };
    return { field: where, message: celMessage(e.summary ?? e.message), reason, rule: rule.rule };
  }
  if (result === true) return undefined;
  let message = rule.message ?? `failed rule: ${rule.rule}`;
  if (rule.messageExpression !== undefined) {
    try {
      const computed: unknown = env.evaluate(rule.messageExpression, context);
      if (typeof computed === 'string' && computed.trim() !== '') message = computed;
    } catch {
      // The server falls back to message (or the rule) when messageExpression fails.
    }
  }
  return { field: where, message, reason, rule: rule.rule };
}

function parseOrUndefined(expression: string): unknown {
  try {
    return new Environment({ enableOptionalTypes: true, unlistedVariablesAreDyn: true }).parse(expression)
      .ast;
  } catch {
    return undefined;
  }
}

const durations = new Environment().registerVariable('s', 'string');

/** A JSON value as CEL sees it under `schema` (ints as bigint, escaped property names, ...). */
export function toCel(value: unknown, schema: StructuralSchema): unknown {
  if (value === null || value === undefined) return value;
  if (isDynamicSchema(schema)) return toDyn(value);
  switch (schema.type) {
    case 'integer':
      return typeof value === 'number' ? BigInt(Math.trunc(value)) : value;
    case 'number':
      return Number(value);
    case 'string':
      if (typeof value !== 'string') return value;
      if (schema.format === 'byte') return new Uint8Array(Buffer.from(value, 'base64'));
      if (schema.format === 'date-time') return new Date(value);
      if (schema.format === 'duration') return durations.evaluate('duration(s)', { s: value }) as unknown;
      return value;
    case 'array':
      return Array.isArray(value) ? value.map((item) => toCel(item, schema.items ?? {})) : value;
    case 'object': {
      if (typeof value !== 'object') return value;
      const record = value as Record<string, unknown>;
      const values = mapValueSchema(schema);
      if (values !== undefined) {
        return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, toCel(v, values)]));
      }
      const out: Record<string, unknown> = {};
      for (const [name, child] of Object.entries(objectProperties(schema))) {
        const celName = celPropertyName(name);
        if (celName !== undefined && record[name] !== undefined) out[celName] = toCel(record[name], child);
      }
      return out;
    }
    default:
      return toDyn(value);
  }
}

function toDyn(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toDyn);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toDyn(v)]));
  }
  return value;
}
