/**
 * Reading a 403. The API server's RBAC denial names the user, verb, resource, group and
 * namespace (`User "system:serviceaccount:ns:sa" cannot list resource "configmaps" in API
 * group "" in the namespace "x"`); {@link describeForbidden} extracts them so the error can
 * say which `@rbac` marker grants the missing permission. Messages it does not recognise (an
 * admission plugin's 403, a webhook's denial) yield `undefined`: they are no RBAC matter.
 */

export interface ForbiddenRequest {
  readonly user: string;
  readonly verb: string;
  /** `configmaps`, or `websites/status` for a subresource. */
  readonly resource: string;
  /** `''` for the core group. */
  readonly group: string;
  /** Absent for cluster-wide requests. */
  readonly namespace?: string;
}

const denial =
  /User "([^"]*)" cannot (\S+) resource "([^"]+)" in API group "([^"]*)"(?: in the namespace "([^"]*)"| at the cluster scope)?/;

export function describeForbidden(message: string): ForbiddenRequest | undefined {
  const match = denial.exec(message);
  if (match === null) return undefined;
  const [, user = '', verb = '', resource = '', group = '', namespace] = match;
  return { user, verb, resource, group, ...(namespace === undefined ? {} : { namespace }) };
}

/**
 * The `@rbac` marker granting a denied request, e.g. `@rbac groups=core resources=configmaps
 * verbs=list`; cluster-wide, since a namespace-restricted operator may declare `namespace=`.
 */
export function rbacMarkerFor(request: ForbiddenRequest): string {
  return `@rbac groups=${request.group === '' ? 'core' : request.group} resources=${request.resource} verbs=${request.verb}`;
}

/** The fix appended to a Forbidden error's message, or `''` when the denial is not RBAC's. */
export function forbiddenHint(message: string): string {
  const request = describeForbidden(message);
  if (request === undefined) return '';
  const scope = request.namespace === undefined ? '' : ` (or with namespace=${request.namespace} for a Role)`;
  return ` — if the operator needs this, add \`${rbacMarkerFor(request)}\`${scope} to a controller in src/controllers, run \`kubeforge generate\` and apply config/rbac`;
}
