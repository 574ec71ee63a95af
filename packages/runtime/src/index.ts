/**
 * @kubeforge/runtime: the generic machinery generated code binds to — API client,
 * watcher, store and informers, workqueues, controllers and the manager.
 */
export * from './api/index.ts';
export * from './client/index.ts';
export * from './watch/index.ts';
export * from './cache/index.ts';
export * from './workqueue/index.ts';
export * from './controller/index.ts';
export * from './manager/index.ts';
export * from './finalizer/index.ts';
export * from './ownership/index.ts';
export * from './conditions/index.ts';
export * from './events/index.ts';
export * from './leader-election/index.ts';
export * from './metrics/index.ts';
export * from './log/index.ts';
export * from './webhook/index.ts';
