/**
 * Static cost estimation of validation rules, after the API server's (cel-go's checker cost
 * estimator with the Kubernetes library costs, apiextensions-apiserver's limits):
 *
 * - a rule's cost is estimated from its AST, with the sizes of lists, maps and strings taken
 *   from `maxItems`, `maxProperties` and `maxLength`, or, when unbounded, from the largest
 *   request the server takes (3 MiB) divided by the smallest serialized element;
 * - that cost times the largest number of times the rule can run (the product of the sizes of
 *   the lists and maps above it) must stay under 10,000,000 per rule, and the sum over the
 *   CRD version under 100,000,000.
 *
 * The estimate follows the server's cost factors (traversal 0.1 per byte, regular expressions
 * 0.25 per byte of string times 0.25 per byte of pattern, comprehensions per element) but is
 * not the server's code: rules close to a limit may be judged differently.
 */
import type { ASTNode } from '@marcbachmann/cel-js';
import { Environment } from '@marcbachmann/cel-js';
import { objectProperties } from './environment.ts';
import {
  isDynamicSchema,
  mapValueSchema,
  type CelValidationRule,
  type StructuralSchema,
} from './structural-schema.ts';

export const celCostLimits = {
  /** apiextensions' StaticEstimatedCostLimit: one rule times its cardinality. */
  perRule: 10_000_000,
  /** apiextensions' StaticEstimatedCRDCostLimit: all rules of a CRD version. */
  perCrd: 100_000_000,
  /** The API server's largest request body, which bounds unbounded lists, maps and strings. */
  maxRequestSizeBytes: 3 * 1024 * 1024,
} as const;

export interface CostProblem {
  readonly path: string;
  readonly index: number;
  readonly rule: CelValidationRule;
  readonly message: string;
  readonly hint: string;
  readonly cost: number;
  readonly field: 'rule' | 'messageExpression';
}

interface Estimate {
  readonly cost: number;
  /** Largest length of a string/bytes, elements of a list, entries of a map. */
  readonly size: number;
  readonly schema?: StructuralSchema;
}

const R = celCostLimits.maxRequestSizeBytes;

function minSerializedSize(schema: StructuralSchema): number {
  if (isDynamicSchema(schema)) return 1;
  switch (schema.type) {
    case 'string':
      return 2;
    case 'boolean':
      return 4;
    case 'object':
    case 'array':
      return 2;
    default:
      return 1;
  }
}

/** The largest size of a value and whether it comes from the schema (false when unbounded). */
export function maxSize(schema: StructuralSchema): { readonly size: number; readonly bounded: boolean } {
  if (schema.type === 'array') {
    if (schema.maxItems !== undefined) return { size: schema.maxItems, bounded: true };
    return { size: Math.floor((R - 2) / (minSerializedSize(schema.items ?? {}) + 1)), bounded: false };
  }
  const values = schema.type === 'object' ? mapValueSchema(schema) : undefined;
  if (values !== undefined) {
    if (schema.maxProperties !== undefined) return { size: schema.maxProperties, bounded: true };
    return { size: Math.floor((R - 2) / (minSerializedSize(values) + 4)), bounded: false };
  }
  if (schema.type === 'string') {
    // maxLength counts characters; a character takes up to 4 bytes.
    if (schema.maxLength !== undefined) return { size: schema.maxLength * 4, bounded: true };
    if (schema.enum !== undefined)
      return { size: Math.max(0, ...schema.enum.map((v) => String(v).length)), bounded: true };
    if (schema.format === 'date-time' || schema.format === 'date' || schema.format === 'duration')
      return { size: 64, bounded: true };
    return { size: R - 2, bounded: false };
  }
  return { size: isDynamicSchema(schema) ? R : 1, bounded: !isDynamicSchema(schema) };
}

export function estimateRuleCosts(root: StructuralSchema, _kubeVersion: string): CostProblem[] {
  const paths = new Map<StructuralSchema, string>();
  const problems: CostProblem[] = [];
  const totals: {
    path: string;
    index: number;
    rule: CelValidationRule;
    cost: number;
    unbounded: Set<string>;
  }[] = [];
  const visit = (
    schema: StructuralSchema,
    path: string,
    cardinality: number,
    unboundedAbove: readonly string[],
  ): void => {
    if (!paths.has(schema)) paths.set(schema, path);
    for (const [index, rule] of (schema['x-kubernetes-validations'] ?? []).entries()) {
      const expressions = [
        ['rule', rule.rule] as const,
        ...(rule.messageExpression === undefined
          ? []
          : [['messageExpression', rule.messageExpression] as const]),
      ];
      for (const [field, expression] of expressions) {
        const unbounded = new Set<string>(unboundedAbove);
        const estimate = estimateExpression(expression, schema, paths, unbounded, path);
        if (estimate === undefined) continue;
        const cost = Math.min(estimate * cardinality, Number.MAX_SAFE_INTEGER);
        totals.push({ path, index, rule, cost, unbounded });
        if (cost > celCostLimits.perRule) {
          problems.push({
            path,
            index,
            rule,
            cost,
            field,
            message: `estimated ${field} cost exceeds budget by factor of ${factor(cost, celCostLimits.perRule)} (estimated cost ${costText(cost)}, limit ${celCostLimits.perRule})`,
            hint: boundHint(unbounded),
          });
        }
      }
    }
    const here = path === '' ? '' : path;
    for (const [name, child] of Object.entries(schema.properties ?? {})) {
      visit(child, here === '' ? name : `${here}.${name}`, cardinality, unboundedAbove);
    }
    const values = mapValueSchema(schema);
    const bound = maxSize(schema);
    const above = bound.bounded ? unboundedAbove : [...unboundedAbove, path];
    if (values !== undefined) visit(values, `${path}[*]`, cardinality * bound.size, above);
    if (schema.items) visit(schema.items, `${path}[]`, cardinality * bound.size, above);
  };
  visit(root, '', 1, []);
  const total = totals.reduce((sum, t) => sum + t.cost, 0);
  if (total > celCostLimits.perCrd && problems.length === 0) {
    const worst = [...totals].sort((a, b) => b.cost - a.cost)[0];
    if (worst !== undefined) {
      problems.push({
        path: worst.path,
        index: worst.index,
        rule: worst.rule,
        cost: total,
        field: 'rule',
        message: `the estimated cost of all rules of the CRD exceeds budget by factor of ${factor(total, celCostLimits.perCrd)} (estimated ${costText(total)}, limit ${celCostLimits.perCrd}); this rule costs the most (${costText(worst.cost)})`,
        hint: boundHint(worst.unbounded),
      });
    }
  }
  return problems;
}

function factor(cost: number, limit: number): string {
  const f = cost / limit;
  return f > 100 ? 'more than 100x' : `${f.toFixed(1)}x`;
}

function costText(cost: number): string {
  return cost >= Number.MAX_SAFE_INTEGER ? 'unbounded' : String(Math.round(cost));
}

/** The size cel-go assumes for values it cannot bound (results of conversions like string(int)). */
const unknownSize = 2 ** 53;

function boundHint(unbounded: ReadonlySet<string>): string {
  const fixes = [...unbounded].map((path) => (path === '' ? 'the root' : path));
  return fixes.length === 0
    ? 'simplify the rule'
    : `bound what the rule iterates or reads: add @maxItems, @maxProperties or @maxLength to ${fixes.join(', ')}`;
}

const parser = new Environment({ enableOptionalTypes: true, unlistedVariablesAreDyn: true });

function estimateExpression(
  expression: string,
  schema: StructuralSchema,
  paths: Map<StructuralSchema, string>,
  unbounded: Set<string>,
  path: string,
): number | undefined {
  let ast: ASTNode;
  try {
    ast = parser.parse(expression).ast;
  } catch {
    return undefined;
  }
  const sized = (s: StructuralSchema | undefined, where?: string): Estimate => {
    if (s === undefined) return { cost: 1, size: R };
    const bound = maxSize(s);
    if (!bound.bounded) unbounded.add(paths.get(s) ?? where ?? path);
    return { cost: 1, size: bound.size, schema: s };
  };
  const scope = new Map<string, Estimate>([
    ['self', sized(schema, path)],
    ['oldSelf', sized(schema, path)],
  ]);
  const estimate = (node: ASTNode, vars: Map<string, Estimate>): Estimate => {
    const args = node.args as unknown;
    switch (node.op) {
      case 'value':
        return {
          cost: 0,
          size: typeof args === 'string' ? args.length : args instanceof Uint8Array ? args.length : 1,
        };
      case 'id':
        return vars.get(args as string) ?? { cost: 1, size: 1 };
      case '.':
      case '.?': {
        const [target, field] = args as [ASTNode, string];
        const t = estimate(target, vars);
        const child = t.schema === undefined ? undefined : fieldSchema(t.schema, field);
        const e = sized(child);
        return { ...e, cost: t.cost + 1 };
      }
      case '[]':
      case '[?]': {
        const [target, key] = args as [ASTNode, ASTNode];
        const t = estimate(target, vars);
        const k = estimate(key, vars);
        const child = t.schema === undefined ? undefined : elementSchema(t.schema);
        return { ...sized(child), cost: t.cost + k.cost + 1 };
      }
      case '&&':
      case '||': {
        const [a, b] = (args as ASTNode[]).map((n) => estimate(n, vars));
        return { cost: (a?.cost ?? 0) + (b?.cost ?? 0), size: 1 };
      }
      case '?:': {
        const [c, a, b] = (args as ASTNode[]).map((n) => estimate(n, vars));
        return {
          cost: (c?.cost ?? 0) + Math.max(a?.cost ?? 0, b?.cost ?? 0),
          size: Math.max(a?.size ?? 0, b?.size ?? 0),
        };
      }
      case '!_':
      case '-_': {
        const a = estimate(args as ASTNode, vars);
        return { cost: a.cost + 1, size: 1 };
      }
      case 'list': {
        const items = (args as ASTNode[]).map((n) => estimate(n, vars));
        return { cost: 10 + items.reduce((s, i) => s + i.cost, 0), size: items.length };
      }
      case 'map': {
        const entries = (args as [ASTNode, ASTNode][]).flat().map((n) => estimate(n, vars));
        return { cost: 30 + entries.reduce((s, i) => s + i.cost, 0), size: entries.length / 2 };
      }
      case 'call': {
        const [name, callArgs] = args as [string, ASTNode[]];
        const a = callArgs.map((n) => estimate(n, vars));
        const argsCost = a.reduce((s, i) => s + i.cost, 0);
        if (name === 'has') return { cost: argsCost, size: 1 };
        if (name === 'string' || name === 'bytes')
          return { cost: argsCost + 1, size: a[0]?.schema?.type === 'string' ? a[0].size : unknownSize };
        return {
          cost: argsCost + functionCost(name, undefined, a),
          size: name === 'size' ? 1 : (a[0]?.size ?? 1),
        };
      }
      case 'rcall': {
        const [name, receiver, callArgs] = args as [string, ASTNode, ASTNode[]];
        const r = estimate(receiver, vars);
        if (macros.has(name) && callArgs.length >= 2) {
          const [variable, ...body] = callArgs;
          const element = r.schema === undefined ? undefined : iterationSchema(r.schema);
          const inner = new Map(vars);
          if (variable?.op === 'id') inner.set(variable.args, sized(element));
          const bodyCost = body.reduce((s, n) => s + estimate(n, inner).cost, 0);
          return {
            cost: r.cost + r.size * (bodyCost + 1),
            size: name === 'map' || name === 'filter' ? r.size : 1,
            ...(name === 'filter' && r.schema ? { schema: r.schema } : {}),
          };
        }
        const a = callArgs.map((n) => estimate(n, vars));
        if (receiver.op === 'id' && receiver.args === 'sets') {
          return {
            cost: a.reduce((s, i) => s + i.cost, 0) + 1 + (a[0]?.size ?? 1) * (a[1]?.size ?? 1),
            size: 1,
          };
        }
        return {
          cost: r.cost + a.reduce((s, i) => s + i.cost, 0) + functionCost(name, r, a, callArgs),
          size: r.size,
        };
      }
      default: {
        const [a, b] = (args as ASTNode[]).map((n) => estimate(n, vars));
        const left = a ?? { cost: 0, size: 1 };
        const right = b ?? { cost: 0, size: 1 };
        const op = node.op as string;
        if (op === '+')
          return {
            cost: left.cost + right.cost + Math.ceil((left.size + right.size) * 0.1),
            size: left.size + right.size,
          };
        if (op === 'in') return { cost: left.cost + right.cost + right.size, size: 1 };
        const traversal =
          op === '==' || op === '!=' || op === '<' || op === '>' || op === '<=' || op === '>='
            ? Math.ceil(Math.min(left.size, right.size) * 0.1)
            : 0;
        return { cost: left.cost + right.cost + 1 + traversal, size: 1 };
      }
    }
  };
  return estimate(ast, scope).cost;
}

const macros = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);

function functionCost(
  name: string,
  receiver: Estimate | undefined,
  args: readonly Estimate[],
  nodes?: readonly ASTNode[],
): number {
  const subject = receiver ?? args[0];
  const size = subject?.size ?? 1;
  switch (name) {
    case 'matches':
    case 'find':
    case 'findAll': {
      const pattern = nodes?.[0]?.op === 'value' ? String(nodes[0].args).length : (args[0]?.size ?? 1);
      return Math.ceil((1 + size) * 0.1) * Math.ceil(pattern * 0.25);
    }
    case 'contains':
    case 'startsWith':
    case 'endsWith':
    case 'lowerAscii':
    case 'upperAscii':
    case 'trim':
    case 'replace':
    case 'split':
    case 'substring':
    case 'charAt':
    case 'indexOf':
    case 'lastIndexOf':
    case 'join':
    case 'url':
    case 'isURL':
    case 'quantity':
    case 'isQuantity':
    case 'ip':
    case 'isIP':
    case 'cidr':
    case 'isCIDR':
    case 'validate':
      return Math.max(1, Math.ceil(size * 0.1));
    case 'isSorted':
    case 'sum':
    case 'min':
    case 'max':
      return 1 + size;
    default:
      return 1;
  }
}

function fieldSchema(schema: StructuralSchema, field: string): StructuralSchema | undefined {
  const values = mapValueSchema(schema);
  if (values !== undefined) return values;
  for (const [name, child] of Object.entries(objectProperties(schema))) {
    if (
      name === field ||
      name.replaceAll('-', '__dash__').replaceAll('.', '__dot__').replaceAll('/', '__slash__') === field
    )
      return child;
  }
  return undefined;
}

function elementSchema(schema: StructuralSchema): StructuralSchema | undefined {
  return schema.type === 'array' ? schema.items : mapValueSchema(schema);
}

/** What a comprehension's variable ranges over: list items, or map keys (strings). */
function iterationSchema(schema: StructuralSchema): StructuralSchema | undefined {
  if (schema.type === 'array') return schema.items;
  if (mapValueSchema(schema) !== undefined) return { type: 'string' };
  return undefined;
}
