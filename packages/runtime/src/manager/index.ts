/** manager: see docs/architecture.md. */
export {};
