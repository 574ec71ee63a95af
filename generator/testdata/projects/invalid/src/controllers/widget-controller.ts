/**
 * @rbac groups=apps resources=deployments verbs=get;explode
 * @rbac resources=pods verbs=get
 */
export class WidgetController {}
