/** client: see docs/architecture.md. */
export {};
