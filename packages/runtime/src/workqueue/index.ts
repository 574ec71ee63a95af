/** workqueue: see docs/architecture.md. */
export {};
