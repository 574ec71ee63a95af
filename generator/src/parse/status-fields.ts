/**
 * Reads from a kind's TypeScript types what its status declares of the fields a reconcile is
 * recorded in (`observedGeneration`, `conditions`), for the generated `mark<Kind>Reconciled`.
 * Decided on the types, not the schema: what the generated code writes must type-check
 * against them, and a user's own `Condition` has the schema of the runtime's but not its type.
 */
import { ts } from 'ts-morph';
import type { Schema, StatusFields } from '../model/index.ts';
import type { SourceContext } from './source-context.ts';

const noStatus: StatusFields = { start: 'none', observedGeneration: false, conditions: 'absent' };

/** The status fields of a kind whose `status` property is `status` (converted to `schema`). */
export function readStatusFields(
  ctx: SourceContext,
  status: ts.Symbol | undefined,
  schema: Schema | undefined,
): StatusFields {
  if (status === undefined || schema?.type !== 'object') return noStatus;
  const checker = ctx.checker;
  const type = checker.getNonNullableType(checker.getTypeOfSymbol(status));
  // A union of object types has no one shape to spread the recorded fields into.
  if (type.isUnion() || (type.flags & ts.TypeFlags.Object) === 0) return noStatus;
  const property = (name: string): ts.Type | undefined => {
    const symbol = checker.getPropertyOfType(type, name);
    return symbol && checker.getNonNullableType(checker.getTypeOfSymbol(symbol));
  };
  const generation = property('observedGeneration');
  const conditions = property('conditions');
  return {
    start: (schema.required ?? []).length === 0 ? 'empty' : 'existing',
    observedGeneration:
      generation !== undefined && checker.isTypeAssignableTo(checker.getNumberType(), generation),
    conditions:
      conditions === undefined ? 'absent' : isRuntimeConditionList(ctx, conditions) ? 'runtime' : 'other',
  };
}

/** `Condition[]` or `readonly Condition[]` with the runtime's `Condition`. */
function isRuntimeConditionList(ctx: SourceContext, type: ts.Type): boolean {
  const checker = ctx.checker;
  if (!checker.isArrayType(type)) return false;
  const element = checker.getTypeArguments(type as ts.TypeReference)[0];
  const symbol = element?.aliasSymbol ?? element?.getSymbol();
  const declaration = symbol?.declarations?.[0];
  return symbol?.name === 'Condition' && declaration !== undefined && ctx.isRuntimeDeclaration(declaration);
}
