/** watch: see docs/architecture.md. */
export {};
