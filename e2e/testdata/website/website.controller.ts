/**
 * The Website controller: renders each Website into a ConfigMap it owns, and reports the
 * ConfigMap and a Ready condition in the status. Deleting a Website first deletes its
 * ConfigMap (the finalizer's cleanup), so the page disappears even on clusters without a
 * garbage collector.
 *
 * @rbac groups=web.example.com resources=websites verbs=get;list;watch;update;patch
 * @rbac groups=web.example.com resources=websites/status verbs=get;update;patch
 * @rbac groups=web.example.com resources=websites/finalizers verbs=update
 * @rbac groups=core resources=configmaps verbs=get;list;watch;create;update;patch;delete
 */
import {
  controllerFor,
  createOrUpdate,
  finalize,
  isNotFound,
  setCondition,
  setControllerReference,
  type Manager,
  type ReconcileContext,
  type Request,
  type Result,
} from '@kubeforge/runtime';
import { configMaps, type ConfigMap } from '@kubeforge/api/core/v1';
import { websiteObjects, websiteResource, type Website } from '../generated/web.example.com/v1/website.ts';

export const websiteFinalizer = 'web.example.com/finalizer';

/** Adds the Website controller to the manager; called from src/main.ts. */
export function registerWebsiteController(manager: Manager): void {
  manager.add(controllerFor(websiteResource).owns(configMaps).complete(reconcileWebsite));
}

function configMapName(website: Website): string {
  return `${website.metadata.name ?? ''}-site`;
}

function render(website: Website): string {
  const escape = (text: string): string => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;');
  return `<!doctype html>\n<title>${escape(website.spec.title)}</title>\n${website.spec.body}\n`;
}

export async function reconcileWebsite(request: Request, context: ReconcileContext): Promise<Result> {
  const websites = websiteObjects(context.client);
  const website = await websites.get(request.name, { namespace: request.namespace ?? '', signal: context.signal });
  if (website === undefined) return {};
  return finalize(websites, website, {
    finalizer: websiteFinalizer,
    signal: context.signal,
    apply: (current) => applyWebsite(current, request, context),
    cleanup: (current) => cleanupWebsite(current, context),
  });
}

async function applyWebsite(website: Website, request: Request, context: ReconcileContext): Promise<Result> {
  const name = configMapName(website);
  const template: ConfigMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: request.namespace ?? '' },
  };
  const { result } = await createOrUpdate(
    context.client.resource(configMaps),
    template,
    (configMap) => {
      configMap.data = { 'index.html': render(website) };
      setControllerReference(website, configMap);
    },
    { signal: context.signal },
  );
  if (result !== 'unchanged') context.logger.info(`configmap ${result}`, { configMap: name });

  await websiteObjects(context.client).modify(
    request.name,
    (current) => {
      const generation = current.metadata.generation ?? 0;
      current.status = {
        ...current.status,
        configMap: name,
        observedGeneration: generation,
        conditions: setCondition(current.status?.conditions, {
          type: 'Ready',
          status: 'True',
          reason: 'Rendered',
          message: `ConfigMap ${name} serves generation ${generation}`,
          observedGeneration: generation,
        }),
      };
      return current;
    },
    { namespace: request.namespace ?? '', status: true, signal: context.signal },
  );
  return {};
}

async function cleanupWebsite(website: Website, context: ReconcileContext): Promise<void> {
  const name = configMapName(website);
  try {
    await context.client
      .resource(configMaps)
      .delete(name, { namespace: website.metadata.namespace ?? '', signal: context.signal });
    context.logger.info('deleted configmap', { configMap: name });
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}
