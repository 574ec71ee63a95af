import type { int, ObjectMeta } from '@kubeforge/runtime/api';

export interface ShipSpec {
  /** The ship's class. */
  class: 'frigate' | 'cruiser' | 'carrier';
  /** The home port. */
  port?: string;
  /** Crew size. */
  crew?: int;
  /** Whether the ship is in service. */
  active?: boolean;
}

/**
 * A ship of the fleet; clients select ships by class, port, crew and service on the server.
 * @resource
 * @selectableField .spec.class
 * @selectableField .spec.port
 * @selectableField .spec.crew
 * @selectableField .spec.active
 * @crdLabel app.kubernetes.io/part-of=fleet
 * @crdAnnotation example.com/contact="Fleet Ops"
 */
export interface Ship {
  metadata: ObjectMeta;
  spec: ShipSpec;
}
