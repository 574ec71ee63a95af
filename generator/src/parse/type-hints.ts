/**
 * Type hints: the type nodes written in the source, followed alongside the checker's types.
 * Aliases of primitives (`int32 = number`) and the order of literal unions exist only in the
 * syntax, so the schema builder looks at the node that produced a type when it has one.
 * Generic declarations are followed with frames mapping their type parameters to the
 * argument nodes of the reference (`Page<int32>` -> `T` is `int32`).
 */
import { ts } from 'ts-morph';
import type { JsonValue } from '../model/index.ts';

export interface TypeHint {
  readonly node: ts.TypeNode;
  readonly frames?: Frames;
}

/** Type-parameter substitutions in effect for a hint; `undefined` values have no argument node. */
export type Frames = ReadonlyMap<ts.Symbol, TypeHint | undefined>;

export function unwrap(node: ts.TypeNode): ts.TypeNode {
  let current = node;
  while (
    ts.isParenthesizedTypeNode(current) ||
    (ts.isTypeOperatorNode(current) && current.operator === ts.SyntaxKind.ReadonlyKeyword)
  ) {
    current = current.type;
  }
  return current;
}

/** The symbol an identifier refers to, through `import` aliases. */
export function resolveSymbol(checker: ts.TypeChecker, symbol: ts.Symbol | undefined): ts.Symbol | undefined {
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) return checker.getAliasedSymbol(symbol);
  return symbol;
}

export function framesFor(
  checker: ts.TypeChecker,
  parameters: ts.NodeArray<ts.TypeParameterDeclaration> | undefined,
  args: ts.NodeArray<ts.TypeNode> | undefined,
  outer: TypeHint,
): Frames | undefined {
  if (!parameters || parameters.length === 0) return undefined;
  const frames = new Map<ts.Symbol, TypeHint | undefined>();
  parameters.forEach((parameter, index) => {
    const symbol = checker.getSymbolAtLocation(parameter.name);
    const arg = args?.[index];
    if (symbol)
      frames.set(symbol, arg ? { node: arg, ...(outer.frames ? { frames: outer.frames } : {}) } : undefined);
  });
  return frames;
}

/** Substitutions when a hint names a generic interface (`Page<int32>`). */
export function interfaceFrames(checker: ts.TypeChecker, hint: TypeHint): Frames | undefined {
  const node = unwrap(hint.node);
  if (!ts.isTypeReferenceNode(node) || !node.typeArguments) return undefined;
  const symbol = resolveSymbol(checker, checker.getSymbolAtLocation(node.typeName));
  const declaration = symbol?.declarations?.find(ts.isInterfaceDeclaration);
  return declaration ? framesFor(checker, declaration.typeParameters, node.typeArguments, hint) : undefined;
}

/** The element of `T[]`, `readonly T[]`, `Array<T>` or `ReadonlyArray<T>`. */
export function elementHint(hint: TypeHint | undefined): TypeHint | undefined {
  if (!hint) return undefined;
  const node = unwrap(hint.node);
  if (ts.isArrayTypeNode(node)) return { ...hint, node: node.elementType };
  if (
    ts.isTypeReferenceNode(node) &&
    ts.isIdentifier(node.typeName) &&
    ['Array', 'ReadonlyArray'].includes(node.typeName.text)
  ) {
    const arg = node.typeArguments?.[0];
    return arg ? { ...hint, node: arg } : undefined;
  }
  return undefined;
}

/** The value of a map written as `Record<string, T>` or `{ [key: string]: T }`. */
export function valueHint(hint: TypeHint | undefined): TypeHint | undefined {
  if (!hint) return undefined;
  const node = unwrap(hint.node);
  if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName) && node.typeName.text === 'Record') {
    const arg = node.typeArguments?.[1];
    return arg ? { ...hint, node: arg } : undefined;
  }
  if (ts.isTypeLiteralNode(node)) {
    const index = node.members.find(ts.isIndexSignatureDeclaration);
    return index ? { ...hint, node: index.type } : undefined;
  }
  return undefined;
}

/** The one member of `T | null` or `T | undefined` written as a union. */
export function singleMemberHint(hint: TypeHint | undefined): TypeHint | undefined {
  if (!hint) return undefined;
  const node = unwrap(hint.node);
  if (!ts.isUnionTypeNode(node)) return hint;
  const rest = node.types.filter(
    (t) =>
      t.kind !== ts.SyntaxKind.UndefinedKeyword &&
      !(ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword),
  );
  const only = rest.length === 1 ? rest[0] : undefined;
  return only ? { ...hint, node: only } : undefined;
}

/** The literal values of a union as written in the source, in order. */
export function literalsInSourceOrder(hint: TypeHint | undefined): readonly JsonValue[] {
  const values: JsonValue[] = [];
  const visit = (node: ts.TypeNode): void => {
    if (ts.isParenthesizedTypeNode(node)) visit(node.type);
    else if (ts.isUnionTypeNode(node)) node.types.forEach(visit);
    else if (ts.isLiteralTypeNode(node)) {
      const literal = node.literal;
      if (ts.isStringLiteral(literal) || ts.isNoSubstitutionTemplateLiteral(literal))
        values.push(literal.text);
      else if (ts.isNumericLiteral(literal)) values.push(Number(literal.text));
      else if (ts.isPrefixUnaryExpression(literal) && ts.isNumericLiteral(literal.operand))
        values.push(-Number(literal.operand.text));
      else if (literal.kind === ts.SyntaxKind.TrueKeyword) values.push(true);
      else if (literal.kind === ts.SyntaxKind.FalseKeyword) values.push(false);
    }
  };
  if (hint) visit(hint.node);
  return values;
}
