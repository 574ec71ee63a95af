/**
 * Markers: the JSDoc tags that carry what TypeScript types cannot (names, scope, validation,
 * RBAC). Defined once as typed values with their grammar and help; docs are rendered from them.
 */
export { parseDocComment, type CrowdedLine, type DocComment, type DocTag } from './doc-comment.ts';
export {
  isMarkerName,
  type AdmissionWebhookMarker,
  type ConversionMarker,
  markerDefinitions,
  type MarkerDefinition,
  type MarkerDefinitions,
  type MarkerName,
  type MarkerTarget,
  type MarkerValue,
  type RbacMarker,
  type SubresourceMarker,
} from './definitions.ts';
export { checkTagLines, collectMarkers, MarkerSet, type MarkerProblemReporter } from './collect.ts';
export { renderMarkersDoc, typeMappings } from './docs.ts';
export { parseKeyValues, type ArgumentGrammar, type ArgumentResult } from './arguments.ts';
