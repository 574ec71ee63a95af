/** cache: see docs/architecture.md. */
export {};
