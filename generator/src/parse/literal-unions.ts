/**
 * Unions of literal types (`'a' | 'b'`, `1 | 2`, string enums) become an `enum`, listed in
 * the order the source writes them (sorted when the union comes from elsewhere, e.g. a
 * TypeScript enum or a generic), so output does not depend on the checker's type ids.
 */
import { ts } from 'ts-morph';
import type { JsonValue, Schema } from '../model/index.ts';
import type { SchemaBuilder, Site } from './schema-builder.ts';
import { literalsInSourceOrder, type TypeHint } from './type-hints.ts';

export function literalUnion(
  builder: SchemaBuilder,
  members: readonly ts.Type[],
  hint: TypeHint | undefined,
  site: Site,
): Schema | undefined {
  const checker = builder.ctx.checker;
  const values: JsonValue[] = members.map((member) =>
    member.flags & ts.TypeFlags.BooleanLiteral
      ? checker.typeToString(member) === 'true'
      : ((member as ts.LiteralType).value as string | number),
  );
  const kinds = new Set(values.map((v) => typeof v));
  if (kinds.size > 1) {
    return builder.error(
      site,
      'unsupported-union',
      `literal union mixes ${[...kinds].sort().join(' and ')} values`,
      'use literals of one type',
    );
  }
  const [kind] = kinds;
  const type =
    kind === 'string'
      ? 'string'
      : kind === 'boolean'
        ? 'boolean'
        : values.every((v) => Number.isInteger(v))
          ? 'integer'
          : 'number';
  return { type, enum: ordered(values, hint) };
}

function ordered(values: readonly JsonValue[], hint: TypeHint | undefined): readonly JsonValue[] {
  const fromSource = literalsInSourceOrder(hint);
  if (fromSource.length === values.length && values.every((v) => fromSource.includes(v))) return fromSource;
  const key = (v: JsonValue): string => JSON.stringify(v);
  return [...values].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
