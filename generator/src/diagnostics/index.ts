/** Diagnostics for user mistakes: collected with positions and type paths, printed like a compiler. */
export {
  DiagnosticSink,
  hasErrors,
  sortDiagnostics,
  type Diagnostic,
  type DiagnosticLocation,
  type Severity,
} from './diagnostic.ts';
export { formatDiagnostic, formatDiagnostics } from './format.ts';
