/**
 * Unions: `T | null` (nullable), `T | undefined` (optional), literal unions (enums),
 * `boolean`, `number | string` with `@intOrString`, unions of template literal types (a
 * pattern), and discriminated unions of objects.
 * Every other union has no structural schema and is an error.
 */
import { ts } from 'ts-morph';
import type { Schema } from '../model/index.ts';
import { withNullable } from './apply-field-markers.ts';
import { literalUnion } from './literal-unions.ts';
import { unionOfObjects } from './object-unions.ts';
import { scalarSchemas } from './runtime-types.ts';
import type { ConvertOptions, SchemaBuilder, Site } from './schema-builder.ts';
import { isTemplateUnion, stringPattern } from './template-literals.ts';
import { singleMemberHint, type TypeHint } from './type-hints.ts';

const literalFlags = ts.TypeFlags.StringLiteral | ts.TypeFlags.NumberLiteral | ts.TypeFlags.BooleanLiteral;

export function unionSchema(
  builder: SchemaBuilder,
  type: ts.UnionType,
  hint: TypeHint | undefined,
  site: Site,
  options: ConvertOptions,
): Schema | undefined {
  const checker = builder.ctx.checker;
  const nullable = type.types.some((t) => t.flags & ts.TypeFlags.Null);
  const members = type.types.filter((t) => !(t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined)));
  const schema = membersSchema(builder, type, members, hint, site, options);
  if (!schema || !nullable) return schema;
  return (
    withNullable(schema) ??
    builder.error(
      site,
      'unsupported-type',
      `\`${checker.typeToString(type)}\`: a nullable enum must consist of strings`,
      'drop `| null`, or use string literals',
    )
  );
}

function membersSchema(
  builder: SchemaBuilder,
  type: ts.UnionType,
  members: readonly ts.Type[],
  hint: TypeHint | undefined,
  site: Site,
  options: ConvertOptions,
): Schema | undefined {
  const checker = builder.ctx.checker;
  const [first] = members;
  if (first === undefined) {
    return builder.error(site, 'unsupported-type', `\`${checker.typeToString(type)}\` has no value type`);
  }
  if (members.length === 2 && members.every((m) => m.flags & ts.TypeFlags.BooleanLiteral)) {
    return { type: 'boolean' };
  }
  if (members.length === 1) return builder.convert(first, singleMemberHint(hint), site, options);
  if (members.every((m) => m.flags & literalFlags)) return literalUnion(builder, members, hint, site);
  if (isTemplateUnion(members)) {
    const alternatives = members.map(stringPattern);
    return alternatives.every((a) => a !== undefined)
      ? { type: 'string', pattern: `^(${alternatives.join('|')})$` }
      : { type: 'string' };
  }
  const primitives = new Set(members.map((m) => m.flags & (ts.TypeFlags.String | ts.TypeFlags.Number)));
  if (members.length === 2 && primitives.size === 2 && !primitives.has(0)) {
    if (options.intOrString) return scalarSchemas.IntOrString;
    return builder.error(
      site,
      'unsupported-type',
      '`number | string` needs a declared meaning',
      'use IntOrString from @kubeforge/runtime/api or mark the field @intOrString',
    );
  }
  if (members.every((m) => isPlainObject(checker, m))) return unionOfObjects(builder, members, site);
  return builder.error(
    site,
    'unsupported-union',
    `union \`${checker.typeToString(type)}\` mixes types that have no common schema`,
    'use literal unions (enums), T | null, or a union of objects with a common literal field (a discriminated union)',
  );
}

/** An object type (or an intersection of them) that is not an array or tuple. */
function isPlainObject(checker: ts.TypeChecker, type: ts.Type): boolean {
  if (type.flags & ts.TypeFlags.Intersection) {
    return (type as ts.IntersectionType).types.every((t) => isPlainObject(checker, t));
  }
  return (type.flags & ts.TypeFlags.Object) !== 0 && !checker.isArrayType(type) && !checker.isTupleType(type);
}
