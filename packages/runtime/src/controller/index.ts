/** controller: see docs/architecture.md. */
export {};
