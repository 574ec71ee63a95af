/**
 * Who may scrape: delegated authentication and authorization, as controller-runtime's
 * `filters.WithAuthenticationAndAuthorization` does for its secure metrics server. The
 * bearer token is checked with a TokenReview, the user it names with a SubjectAccessReview
 * of the request's non-resource URL and verb (`get /metrics`), so RBAC decides:
 * `nonResourceURLs: ["/metrics"], verbs: ["get"]` in a ClusterRole bound to Prometheus's
 * ServiceAccount.
 *
 * Answers are cached as the Kubernetes delegating authenticator and authorizer that
 * controller-runtime configures cache them: authenticated tokens for 1 minute, allowed
 * decisions for 5 minutes, denied ones for 30 seconds. Failed reviews (the API server
 * unreachable, the operator lacking `create` on tokenreviews or subjectaccessreviews) are not
 * cached: the scrape is refused and the error reported. The caches keep at most
 * `maxCacheEntries` entries each (oldest evicted first); tokens are kept as SHA-256 digests.
 */
import { createHash } from 'node:crypto';
import type { KubeConfig } from '@kubernetes/client-node';
import { sharedTransport, type Transport } from '../client/transport.ts';
import { ApiError } from '../client/errors.ts';

export interface ReviewedUser {
  readonly username: string;
  readonly uid?: string;
  readonly groups?: readonly string[];
  readonly extra?: Readonly<Record<string, readonly string[]>>;
}

/** What a scrape may do, decided once per request. */
export type ScrapeDecision =
  | { readonly outcome: 'allowed'; readonly user: ReviewedUser }
  | { readonly outcome: 'unauthenticated'; readonly reason: string }
  | { readonly outcome: 'forbidden'; readonly user: ReviewedUser; readonly reason: string }
  | { readonly outcome: 'failed'; readonly error: Error };

export interface ScrapeAuthorizer {
  /** `token` from the `Authorization: Bearer` header; `verb` the lower-case HTTP method. */
  authorize(request: {
    readonly token: string | undefined;
    readonly verb: string;
    readonly path: string;
  }): Promise<ScrapeDecision>;
}

/** The two review calls; the default sends them through the KubeConfig's shared transport. */
export interface ReviewClient {
  tokenReview(
    token: string,
  ): Promise<{ readonly authenticated: boolean; readonly user?: ReviewedUser; readonly error?: string }>;
  subjectAccessReview(
    user: ReviewedUser,
    attributes: { readonly path: string; readonly verb: string },
  ): Promise<{ readonly allowed: boolean; readonly reason?: string }>;
}

export interface ReviewAuthorizerOptions {
  readonly kubeConfig?: KubeConfig;
  /** Instead of `kubeConfig` (tests). */
  readonly reviews?: ReviewClient;
  /** Default 60 000 ms. */
  readonly authenticatedTtlMs?: number;
  /** Default 300 000 ms. */
  readonly allowedTtlMs?: number;
  /** Default 30 000 ms. */
  readonly deniedTtlMs?: number;
  /** Default 1024. */
  readonly maxCacheEntries?: number;
  readonly now?: () => number;
}

export function createReviewAuthorizer(options: ReviewAuthorizerOptions): ScrapeAuthorizer {
  const reviews =
    options.reviews ??
    (options.kubeConfig === undefined ? undefined : kubeReviews(sharedTransport(options.kubeConfig)));
  if (reviews === undefined) throw new TypeError('createReviewAuthorizer: give kubeConfig or reviews');
  const now = options.now ?? Date.now;
  const max = options.maxCacheEntries ?? 1024;
  const authnCache = new ExpiringCache<{ authenticated: boolean; user?: ReviewedUser; error?: string }>(
    max,
    now,
  );
  const authzCache = new ExpiringCache<{ allowed: boolean; reason?: string }>(max, now);
  const authenticatedTtl = options.authenticatedTtlMs ?? 60_000;
  const allowedTtl = options.allowedTtlMs ?? 300_000;
  const deniedTtl = options.deniedTtlMs ?? 30_000;

  return {
    async authorize({ token, verb, path }) {
      if (token === undefined || token === '') {
        return { outcome: 'unauthenticated', reason: 'no bearer token' };
      }
      const tokenKey = createHash('sha256').update(token).digest('hex');
      let authn = authnCache.get(tokenKey);
      if (authn === undefined) {
        try {
          authn = await reviews.tokenReview(token);
        } catch (error) {
          return { outcome: 'failed', error: asError(error, 'TokenReview') };
        }
        // Like the delegating authenticator, only successful authentications are remembered.
        if (authn.authenticated) authnCache.set(tokenKey, authn, authenticatedTtl);
      }
      if (!authn.authenticated || authn.user === undefined) {
        return { outcome: 'unauthenticated', reason: authn.error ?? 'the token is not valid' };
      }
      const user = authn.user;
      const authzKey = JSON.stringify([user.username, user.uid, user.groups, user.extra, verb, path]);
      let authz = authzCache.get(authzKey);
      if (authz === undefined) {
        try {
          authz = await reviews.subjectAccessReview(user, { path, verb });
        } catch (error) {
          return { outcome: 'failed', error: asError(error, 'SubjectAccessReview') };
        }
        authzCache.set(authzKey, authz, authz.allowed ? allowedTtl : deniedTtl);
      }
      return authz.allowed
        ? { outcome: 'allowed', user }
        : { outcome: 'forbidden', user, reason: authz.reason ?? '' };
    },
  };
}

function asError(error: unknown, review: string): Error {
  const message = error instanceof Error ? error.message : String(error);
  return new Error(`${review} failed: ${message}`, { cause: error });
}

/** The reviews as the API server serves them (authentication.k8s.io/v1, authorization.k8s.io/v1). */
export function kubeReviews(transport: Transport): ReviewClient {
  const post = async (path: string, body: unknown): Promise<Record<string, unknown>> => {
    const response = await transport.send({
      method: 'POST',
      path,
      body: JSON.stringify(body),
      contentType: 'application/json',
    });
    if (response.statusCode < 200 || response.statusCode >= 300) {
      throw ApiError.fromResponse(response.statusCode, response.body, response.request, response.retryAfter);
    }
    return JSON.parse(response.body) as Record<string, unknown>;
  };
  return {
    async tokenReview(token) {
      const review = await post('/apis/authentication.k8s.io/v1/tokenreviews', {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenReview',
        spec: { token },
      });
      const status = (review.status ?? {}) as {
        authenticated?: boolean;
        user?: ReviewedUser;
        error?: string;
      };
      return {
        authenticated: status.authenticated === true,
        ...(status.user === undefined ? {} : { user: status.user }),
        ...(status.error === undefined ? {} : { error: status.error }),
      };
    },
    async subjectAccessReview(user, attributes) {
      const review = await post('/apis/authorization.k8s.io/v1/subjectaccessreviews', {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: {
          user: user.username,
          ...(user.uid === undefined ? {} : { uid: user.uid }),
          ...(user.groups === undefined ? {} : { groups: user.groups }),
          ...(user.extra === undefined ? {} : { extra: user.extra }),
          nonResourceAttributes: { path: attributes.path, verb: attributes.verb },
        },
      });
      const status = (review.status ?? {}) as { allowed?: boolean; reason?: string };
      return { allowed: status.allowed === true, ...(status.reason ? { reason: status.reason } : {}) };
    },
  };
}

/** A bounded map whose entries expire; insertion order is eviction order. */
class ExpiringCache<V> {
  readonly #entries = new Map<string, { value: V; expiresAt: number }>();
  readonly max: number;
  readonly now: () => number;
  constructor(max: number, now: () => number) {
    this.max = max;
    this.now = now;
  }
  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }
  set(key: string, value: V, ttlMs: number): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, expiresAt: this.now() + ttlMs });
    while (this.#entries.size > this.max) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
  }
}
