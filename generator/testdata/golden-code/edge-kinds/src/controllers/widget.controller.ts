/**
 * The Widget controller: makes the world match each Widget's spec and records
 * what it observed in the status. Scaffolded once by kubeforge; this file is yours to edit.
 * The generated module it imports is its contract: when the Widget interface changes
 * and `kubeforge generate` runs, the compiler points at what here needs to follow.
 *
 * `kubeforge generate` turns the @rbac tags below into rules of config/rbac/role.yaml; add
 * one for every other kind this controller reads or writes.
 *
 * @rbac groups=edge.example.com resources=widgets verbs=get;list;watch;update;patch
 * @rbac groups=edge.example.com resources=widgets/finalizers verbs=update
 */
import {
  controllerFor,
  finalize,
  type Manager,
  type ReconcileContext,
  type Request,
  type Result,
} from '@kubeforge/runtime';
import {
  widgetObjects,
  widgetResource,
  type Widget,
} from '../generated/edge.example.com/v1/widget.ts';

/** Kept on every Widget until its cleanup ran, so deleting one waits for the cleanup. */
export const widgetFinalizer = 'edge.example.com/finalizer';

/** Adds the Widget controller to the manager; called from src/main.ts. */
export function registerWidgetController(manager: Manager): void {
  manager.add(controllerFor<Widget>(widgetResource).complete(reconcileWidget));
}

/**
 * Reconciles one Widget. Level-based: `request` names the object, not what
 * happened to it, so read the current state and converge. Throw to retry with backoff;
 * throw a `TerminalError` when retrying cannot help.
 */
export async function reconcileWidget(request: Request, context: ReconcileContext): Promise<Result> {
  const widgets = widgetObjects(context.client);
  const widget = await widgets.get(request.name, {
    namespace: request.namespace ?? '',
    signal: context.signal,
  });
  if (widget === undefined) return {}; // deleted, and its cleanup already ran
  return finalize(widgets, widget, {
    finalizer: widgetFinalizer,
    signal: context.signal,
    apply: (current) => applyWidget(current, context),
    cleanup: (current) => cleanupWidget(current, context),
  });
}

/**
 * Makes the world match the Widget's spec, then records what was observed. Runs
 * once the finalizer is in place.
 */
function applyWidget(widget: Widget, context: ReconcileContext): Promise<Result> {
  // TODO: create or update what this Widget describes. Give what you create an
  // owner reference to it and watch that kind with `.owns(...)` in
  // registerWidgetController, so its changes bring the Widget back here.
  // Objects from the cache are shared: copy them (structuredClone) before changing them.
  context.logger.debug('reconciling', { generation: widget.metadata.generation });
  // Widget declares no status: add a `status` property to its interface to record
  // what you observe.
  return Promise.resolve({});
}

/**
 * Undoes what applyWidget did outside the cluster before the Widget goes
 * away; runs once per deletion. Throw to keep the finalizer and retry. Objects in the
 * cluster that carry an owner reference to it are garbage-collected without help.
 */
function cleanupWidget(widget: Widget, context: ReconcileContext): Promise<void> {
  // TODO: delete what this Widget created outside the cluster (buckets, DNS records, ...).
  context.logger.info('cleaning up', { uid: widget.metadata.uid });
  return Promise.resolve();
}
