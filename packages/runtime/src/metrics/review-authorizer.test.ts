import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createReviewAuthorizer, type ReviewClient, type ReviewedUser } from './review-authorizer.ts';

const alice: ReviewedUser = { username: 'alice', groups: ['system:authenticated'] };

function fakeReviews(
  allowed: Set<string>,
): ReviewClient & { tokenReviews: number; accessReviews: number; failing: boolean } {
  const fake = {
    tokenReviews: 0,
    accessReviews: 0,
    failing: false,
    tokenReview(token: string) {
      fake.tokenReviews++;
      if (fake.failing) return Promise.reject(new Error('connection refused'));
      return Promise.resolve(
        token === 'alice-token'
          ? { authenticated: true, user: alice }
          : { authenticated: false, error: 'invalid bearer token' },
      );
    },
    subjectAccessReview(user: ReviewedUser, attributes: { path: string; verb: string }) {
      fake.accessReviews++;
      if (fake.failing) return Promise.reject(new Error('connection refused'));
      return Promise.resolve({
        allowed: allowed.has(`${user.username} ${attributes.verb} ${attributes.path}`),
      });
    },
  };
  return fake;
}

const request = (token: string | undefined) => ({ token, verb: 'get', path: '/metrics' });

test('no token is unauthenticated without asking the API server', async () => {
  const reviews = fakeReviews(new Set());
  const decision = await createReviewAuthorizer({ reviews }).authorize(request(undefined));
  assert.equal(decision.outcome, 'unauthenticated');
  assert.equal(reviews.tokenReviews, 0);
});

test('an invalid token is unauthenticated, and not cached', async () => {
  const reviews = fakeReviews(new Set());
  const authorizer = createReviewAuthorizer({ reviews });
  assert.deepEqual(await authorizer.authorize(request('bogus')), {
    outcome: 'unauthenticated',
    reason: 'invalid bearer token',
  });
  await authorizer.authorize(request('bogus'));
  assert.equal(reviews.tokenReviews, 2);
});

test('an allowed user is cached for 5 minutes, its token for 1 minute', async () => {
  let now = 0;
  const reviews = fakeReviews(new Set(['alice get /metrics']));
  const authorizer = createReviewAuthorizer({ reviews, now: () => now });
  assert.equal((await authorizer.authorize(request('alice-token'))).outcome, 'allowed');
  now = 59_000;
  assert.equal((await authorizer.authorize(request('alice-token'))).outcome, 'allowed');
  assert.deepEqual([reviews.tokenReviews, reviews.accessReviews], [1, 1]);
  now = 61_000;
  await authorizer.authorize(request('alice-token'));
  assert.deepEqual([reviews.tokenReviews, reviews.accessReviews], [2, 1]);
  now = 301_000;
  await authorizer.authorize(request('alice-token'));
  assert.deepEqual([reviews.tokenReviews, reviews.accessReviews], [3, 2]);
});

test('a denied user is forbidden, and asked again after 30 seconds', async () => {
  let now = 0;
  const reviews = fakeReviews(new Set());
  const authorizer = createReviewAuthorizer({ reviews, now: () => now });
  const decision = await authorizer.authorize(request('alice-token'));
  assert.equal(decision.outcome, 'forbidden');
  now = 29_000;
  await authorizer.authorize(request('alice-token'));
  assert.equal(reviews.accessReviews, 1);
  now = 31_000;
  await authorizer.authorize(request('alice-token'));
  assert.equal(reviews.accessReviews, 2);
});

test('reviews that fail are reported and never cached', async () => {
  const reviews = fakeReviews(new Set(['alice get /metrics']));
  reviews.failing = true;
  const authorizer = createReviewAuthorizer({ reviews });
  const failed = await authorizer.authorize(request('alice-token'));
  assert.ok(failed.outcome === 'failed');
  assert.match(failed.error.message, /TokenReview failed: connection refused/);
  reviews.failing = false;
  assert.equal((await authorizer.authorize(request('alice-token'))).outcome, 'allowed');
});

test('the caches hold at most maxCacheEntries tokens', async () => {
  const reviews = fakeReviews(new Set(['alice get /metrics']));
  const authorizer = createReviewAuthorizer({ reviews, maxCacheEntries: 1 });
  await authorizer.authorize(request('alice-token'));
  await authorizer.authorize(request('bogus')); // not cached: alice stays
  await authorizer.authorize(request('alice-token'));
  assert.equal(reviews.tokenReviews, 3 - 1);
});
