/**
 * Markers carried the way Go's inline embedding carries them. An object type's markers are
 * those of the interfaces it extends (directly or not) and of the members of an intersection,
 * then its own; a property's markers are those of every declaration of it: in each base that
 * declares it, in each intersection member, and in the type itself.
 *
 * Layers are ordered from the farthest base to the type itself. Applied in that order, a later
 * layer overrides an earlier one for markers that take one value, and repeatable markers
 * (`@validation`) accumulate. Two layers that set one marker to different values, neither of
 * which extends the other and neither overridden by a type extending both, are a conflict:
 * the result would depend on the order of `extends A, B` or `A & B`.
 */
import { ts } from 'ts-morph';
import { markerDefinitions, type MarkerName, type MarkerSet, type MarkerTarget } from '../markers/index.ts';
import type { SourceContext } from './source-context.ts';

export interface MarkerLayer {
  /** The declaration whose JSDoc holds the markers (an interface, type alias or property). */
  readonly declaration: ts.Node;
  readonly markers: MarkerSet;
  readonly description: string;
  /** Declarations this one extends, directly or through other bases. */
  readonly bases: ReadonlySet<ts.Node>;
}

export interface MarkerConflict {
  readonly marker: MarkerName;
  /** The layer whose value is used (the last one setting the marker). */
  readonly winner: MarkerLayer;
  /** A layer that sets another value and that the winner does not extend. */
  readonly other: MarkerLayer;
}

const typeTargets: readonly MarkerTarget[] = ['resource', 'field'];
const fieldTargets: readonly MarkerTarget[] = ['field'];

/** The interface or class declarations behind an object type (generic instances: their target). */
function classOrInterface(type: ts.Type): { target: ts.InterfaceType; declarations: ts.Node[] } | undefined {
  const objectType = type.flags & ts.TypeFlags.Object ? (type as ts.ObjectType) : undefined;
  if (objectType === undefined) return undefined;
  const target =
    objectType.objectFlags & ts.ObjectFlags.Reference ? (objectType as ts.TypeReference).target : objectType;
  if (!(target.objectFlags & ts.ObjectFlags.ClassOrInterface)) return undefined;
  const declarations = (target.getSymbol()?.declarations ?? []).filter(
    (d) => ts.isInterfaceDeclaration(d) || ts.isClassDeclaration(d),
  );
  return { target: target as ts.InterfaceType, declarations };
}

/** The declaration of an alias that names an object type (`type Base = { ... }`), if any. */
function aliasDeclaration(type: ts.Type): ts.TypeAliasDeclaration | undefined {
  return type.aliasSymbol?.declarations?.find(ts.isTypeAliasDeclaration);
}

/**
 * The type-level marker layers of an object type: its bases' (farthest first), then its own
 * declarations'. An intersection gives the layers of each member in order.
 */
export function typeLayers(ctx: SourceContext, type: ts.Type, path: string): readonly MarkerLayer[] {
  const layers: MarkerLayer[] = [];
  const seen = new Set<ts.Node>();
  const visit = (current: ts.Type, depth: number): ReadonlySet<ts.Node> => {
    const reached = new Set<ts.Node>();
    if (depth > 32) return reached;
    if (current.flags & ts.TypeFlags.Intersection) {
      for (const member of (current as ts.IntersectionType).types) {
        for (const node of visit(member, depth + 1)) reached.add(node);
      }
      return reached;
    }
    const found = classOrInterface(current);
    if (found === undefined) return reached;
    for (const base of ctx.checker.getBaseTypes(found.target)) {
      const fromBase = new Set(visit(base, depth + 1));
      const alias = aliasDeclaration(base);
      if (alias !== undefined) {
        add(alias, fieldTargets, fromBase);
        fromBase.add(alias);
      }
      for (const node of fromBase) reached.add(node);
    }
    const bases = new Set(reached);
    for (const declaration of found.declarations) {
      add(declaration, typeTargets, bases);
      reached.add(declaration);
    }
    return reached;
  };
  const add = (declaration: ts.Node, targets: readonly MarkerTarget[], bases: ReadonlySet<ts.Node>): void => {
    if (seen.has(declaration)) return;
    seen.add(declaration);
    const doc = ctx.doc(declaration, targets, path);
    layers.push({ declaration, markers: doc.markers, description: doc.description, bases: new Set(bases) });
  };
  visit(type, 0);
  return layers;
}

/**
 * The marker layers of a property of `parent`: its declarations in the bases of `parent`
 * (farthest first) and in `parent` itself, or in each member of an intersection.
 */
export function propertyLayers(
  ctx: SourceContext,
  parent: ts.Type,
  property: ts.Symbol,
  path: string,
): readonly MarkerLayer[] {
  const found = propertyDeclarations(ctx.checker, parent, property, 0);
  const declarations =
    found.length > 0
      ? found
      : (property.declarations ?? []).map((declaration) => ({ declaration, bases: new Set<ts.Node>() }));
  const unique = [...new Map(declarations.map((d) => [d.declaration, d])).values()];
  return unique.map(({ declaration, bases }) => {
    const doc = ctx.doc(declaration, fieldTargets, path);
    return { declaration, markers: doc.markers, description: doc.description, bases };
  });
}

interface PropertyDeclaration {
  readonly declaration: ts.Node;
  readonly bases: ReadonlySet<ts.Node>;
}

function propertyDeclarations(
  checker: ts.TypeChecker,
  parent: ts.Type,
  property: ts.Symbol,
  depth: number,
): readonly PropertyDeclaration[] {
  const name = property.name;
  if (depth > 32) return [];
  if (parent.flags & ts.TypeFlags.Intersection) {
    return (parent as ts.IntersectionType).types.flatMap((member) => {
      const own = checker.getPropertyOfType(member, name);
      return own ? propertyDeclarations(checker, member, own, depth + 1) : [];
    });
  }
  const found = classOrInterface(parent);
  if (found === undefined) {
    return (property.declarations ?? []).map((declaration) => ({ declaration, bases: new Set() }));
  }
  const inherited = checker.getBaseTypes(found.target).flatMap((base) => {
    const own = checker.getPropertyOfType(base, name);
    return own ? propertyDeclarations(checker, base, own, depth + 1) : [];
  });
  const bases = new Set(inherited.map((d) => d.declaration));
  const own = found.declarations.flatMap((declaration) =>
    (declaration as ts.InterfaceDeclaration | ts.ClassDeclaration).members
      .filter((member) => member.name !== undefined && propertyName(member.name) === name)
      .map((member) => ({ declaration: member, bases })),
  );
  return [...inherited, ...own];
}

function propertyName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  if (ts.isPrivateIdentifier(name)) return undefined;
  return ts.isComputedPropertyName(name) && ts.isStringLiteralLike(name.expression)
    ? name.expression.text
    : undefined;
}

/** Markers that take one value and are set differently by layers that do not extend each other. */
export function markerConflicts(layers: readonly MarkerLayer[]): readonly MarkerConflict[] {
  const conflicts: MarkerConflict[] = [];
  const names = new Set(layers.flatMap((layer) => layer.markers.names));
  for (const marker of names) {
    if (markerDefinitions[marker].repeatable) continue;
    const setting = layers.filter((layer) => layer.markers.has(marker));
    const winner = setting.at(-1);
    if (winner === undefined) continue;
    const value = JSON.stringify(winner.markers.get(marker));
    const other = setting.find(
      (layer) =>
        layer !== winner &&
        !winner.bases.has(layer.declaration) &&
        JSON.stringify(layer.markers.get(marker)) !== value,
    );
    if (other !== undefined) conflicts.push({ marker, winner, other });
  }
  return conflicts;
}

/** How messages name a declaration: `Scaling`, `Scaling.minReplicas`, or the node's text. */
export function declarationName(node: ts.Node): string {
  const named = node as ts.Node & { readonly name?: ts.Node };
  const own = named.name !== undefined && ts.isIdentifier(named.name) ? named.name.text : undefined;
  if (own === undefined) return 'an anonymous type';
  const parent = node.parent as ts.Node & { readonly name?: ts.Node };
  if (ts.isPropertySignature(node) || ts.isPropertyDeclaration(node)) {
    return parent.name !== undefined && ts.isIdentifier(parent.name)
      ? `${parent.name.text}.${own}`
      : `the inline type's ${own}`;
  }
  return own;
}
