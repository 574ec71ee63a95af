/**
 * scaffold: user-owned files written once — a controller per kind — and their registration
 * in `src/main.ts` at marker comments.
 */
export { controllerRegistration, emitControllerScaffold } from './emit-scaffold.ts';
export {
  controllersMarker,
  importsMarker,
  mainFile,
  registerControllers,
  type ControllerRegistration,
  type RegistrationResult,
} from './register-controllers.ts';
