/**
 * @kubeforge/runtime: the generic machinery generated code binds to — API client,
 * watcher, store and informers, workqueues, controllers and the manager.
 */
export {};
