/** leader-election: see docs/architecture.md. */
export {};
