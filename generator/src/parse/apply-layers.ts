/**
 * Applies marker layers (see inherited-markers.ts) to converted schemas, farthest base first,
 * with the diagnostics that belong to inheritance: two layers that disagree
 * (`conflicting-markers`), and resource markers on an interface that is not a `@resource`
 * (`misplaced-marker`: a resource does not take them from the interfaces it extends).
 */
import { ts } from 'ts-morph';
import type { Schema } from '../model/index.ts';
import { markerDefinitions, type MarkerSet } from '../markers/index.ts';
import { declarationName, markerConflicts, typeLayers, type MarkerLayer } from './inherited-markers.ts';
import { structSchemas } from './runtime-types.ts';
import type { SourceContext } from './source-context.ts';

/** What applying layers needs from the schema builder. */
export interface MarkerApplier {
  readonly ctx: SourceContext;
  applyMarkers(
    schema: Schema,
    markers: MarkerSet,
    declaration: ts.Node,
    site: { readonly path: string },
  ): Schema;
}

/** `schema` with every layer's markers applied in order; conflicts are reported at `path`. */
export function applyLayers(
  applier: MarkerApplier,
  schema: Schema,
  layers: readonly MarkerLayer[],
  site: { readonly path: string },
): Schema {
  const marked = applyInOrder(applier, schema, layers, site);
  reportConflicts(applier.ctx, layers, site.path);
  return marked;
}

/**
 * Applies the layers in order. A layer that is a runtime struct with upstream's fixed schema
 * (an interface extending `LabelSelector`, say) contributes that schema's type-level keywords
 * (`x-kubernetes-map-type`, ...), as Go's inline embedding of the upstream type would.
 */
function applyInOrder(
  applier: MarkerApplier,
  schema: Schema,
  layers: readonly MarkerLayer[],
  site: { readonly path: string },
): Schema {
  let marked = schema;
  for (const layer of layers) {
    const upstream = upstreamStruct(applier.ctx, layer.declaration);
    if (upstream !== undefined) {
      const { type: _t, properties: _p, required: _r, description: _d, ...typeLevel } = upstream;
      marked = { ...marked, ...typeLevel };
    }
    marked = applier.applyMarkers(marked, layer.markers, layer.declaration, site);
  }
  return marked;
}

/** The fixed schema of a runtime struct declaration (`Condition`, `LabelSelector`, ...), if it is one. */
export function upstreamStruct(ctx: SourceContext, declaration: ts.Node): Schema | undefined {
  if (!ts.isInterfaceDeclaration(declaration) || !ctx.isRuntimeDeclaration(declaration)) return undefined;
  return Object.hasOwn(structSchemas, declaration.name.text)
    ? structSchemas[declaration.name.text]
    : undefined;
}

/**
 * Upstream's schema of a property declared by a runtime struct with a fixed schema, for an
 * interface that extends the struct (`interface StampedCondition extends Condition`): the
 * property keeps upstream's validation and description instead of being converted from the
 * runtime's TypeScript declaration.
 */
export function upstreamProperty(ctx: SourceContext, layers: readonly MarkerLayer[]): Schema | undefined {
  for (const layer of layers) {
    const { parent } = layer.declaration;
    const name = (layer.declaration as ts.Node & { readonly name?: ts.Node }).name;
    if (name === undefined || !ts.isIdentifier(name)) continue;
    const fixed = upstreamStruct(ctx, parent)?.properties?.[name.text];
    if (fixed !== undefined) return fixed;
  }
  return undefined;
}

/**
 * Adds the type-level markers of an object type (its bases', its intersection members', its
 * own) and the description of its own declaration. A resource's own markers and description
 * are applied to its root schema by resources.ts. `reported` remembers the interfaces whose
 * resource markers were already warned about.
 */
export function withTypeLayers(
  applier: MarkerApplier,
  schema: Schema,
  type: ts.Type,
  site: { readonly path: string },
  reported: Set<ts.Node>,
): Schema {
  const layers = typeLayers(applier.ctx, type, site.path);
  const applied = layers.filter((layer) => !layer.markers.has('resource'));
  for (const layer of applied) reportResourceMarkers(applier.ctx, layer, reported);
  const marked = applyInOrder(applier, schema, applied, site);
  // The resource's own layer takes part: its markers win over its bases' without a conflict.
  reportConflicts(applier.ctx, layers, site.path);
  const declaration = type.aliasSymbol?.declarations?.[0] ?? type.getSymbol()?.declarations?.[0];
  if (
    declaration === undefined ||
    !(ts.isInterfaceDeclaration(declaration) || ts.isClassDeclaration(declaration))
  )
    return marked;
  const own = layers.find((layer) => layer.declaration === declaration);
  if (own === undefined || own.markers.has('resource')) return marked;
  return own.description && marked.description === undefined
    ? { ...marked, description: own.description }
    : marked;
}

function reportResourceMarkers(ctx: SourceContext, layer: MarkerLayer, reported: Set<ts.Node>): void {
  if (reported.has(layer.declaration)) return;
  reported.add(layer.declaration);
  if (!ctx.isProjectFile(layer.declaration.getSourceFile())) return;
  for (const marker of layer.markers.names) {
    // `@deprecated` and `@category` are also JSDoc/TypeDoc tags on any interface.
    if (markerDefinitions[marker].target !== 'resource' || marker === 'deprecated' || marker === 'category')
      continue;
    ctx.sink.warning(
      'misplaced-marker',
      `@${marker} applies to @resource interfaces; ${declarationName(layer.declaration)} is not one, and a resource does not take resource markers from the interfaces it extends`,
      ctx.location(layer.declaration, layer.markers.offsetOf(marker)),
      'move the marker to the @resource interface',
    );
  }
}

function reportConflicts(ctx: SourceContext, layers: readonly MarkerLayer[], path: string): void {
  for (const { marker, winner, other } of markerConflicts(layers)) {
    if (!ctx.isProjectFile(winner.declaration.getSourceFile())) continue;
    const name = (layer: MarkerLayer): string => declarationName(layer.declaration);
    ctx.sink.error(
      'conflicting-markers',
      `@${marker} is ${JSON.stringify(winner.markers.get(marker))} on ${name(winner)} but ${JSON.stringify(other.markers.get(marker))} on ${name(other)}, and neither extends the other`,
      { ...ctx.location(winner.declaration, winner.markers.offsetOf(marker)), path },
      'make them agree, or give the value to use in an interface that extends both',
    );
  }
}
