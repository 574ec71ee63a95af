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
  registerWebhooks,
  type ControllerRegistration,
  type RegistrationResult,
  type WebhookRegistration,
} from './register-controllers.ts';
