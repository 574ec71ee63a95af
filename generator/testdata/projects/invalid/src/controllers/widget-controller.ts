/**
 * @rbac groups=apps resources=deployments verbs=get;explode
 * @rbac resources=pods verbs=get
 */
export class WidgetController {}

/** Reconciles gadgets. @rbac groups=apps resources=gadgets verbs=get */
export class GadgetController {}
