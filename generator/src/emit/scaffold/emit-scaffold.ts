/**
 * The controller scaffold emitter: `src/controllers/<kind>.controller.ts` for a kind, owned
 * by the user from the moment it is written (ownership `scaffold`: the writer creates it
 * once and never overwrites it). One controller per kind, bound to the storage version's
 * generated module.
 */
import type { KindModel } from '../../model/index.ts';
import { render } from '../../view-models/render.ts';
import {
  buildControllerViewModel,
  controllerPath,
  registerFunctionName,
} from '../../view-models/scaffold.ts';
import type { OutputFile } from '../output-file.ts';
import type { ControllerRegistration } from './register-controllers.ts';

export function emitControllerScaffold(kind: KindModel): OutputFile {
  return {
    path: controllerPath(kind),
    contents: render('scaffold/controller.ts.hbs', buildControllerViewModel(kind)),
    ownership: 'scaffold',
  };
}

/** What `src/main.ts` needs to register the kind's scaffolded controller. */
export function controllerRegistration(kind: KindModel): ControllerRegistration {
  return { functionName: registerFunctionName(kind), modulePath: controllerPath(kind) };
}
