// The client against the running local host (started by test/IvsServerless.Client.Tests, which passes its URLs):
//   IVS_SERVERLESS_API_URL=http://127.0.0.1:3000 IVS_SERVERLESS_CONSOLE_URL=http://127.0.0.1:3001 node --test test/
// Without those variables these tests are skipped (the .NET test fails on any skip).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { ApiError, createIvsServerlessClient, devSignIn, devTokenProvider, ok, paginate } from '../dist/index.js';

const apiUrl = process.env.IVS_SERVERLESS_API_URL;
const consoleUrl = process.env.IVS_SERVERLESS_CONSOLE_URL;
const skip = !apiUrl || !consoleUrl ? 'set IVS_SERVERLESS_API_URL and IVS_SERVERLESS_CONSOLE_URL (a running local host)' : false;

const run = Math.random().toString(36).slice(2, 8);
const as = (user) => createIvsServerlessClient({ baseUrl: apiUrl, token: devTokenProvider(consoleUrl, `${user}-${run}`) });

/** Runs a failing call and returns the ApiError it throws. */
async function failure(call) {
  const error = await ok(call).then((data) => assert.fail(`expected an error, got ${JSON.stringify(data)}`), (e) => e);
  assert.ok(error instanceof ApiError, String(error));
  return error;
}

describe('the client against the local host', { skip }, () => {
  let alice;
  let bob;
  let stage;

  before(async () => {
    alice = as('alice');
    bob = as('bob');
    stage = await ok(alice.POST('/stages', { body: { name: `client-${run}`, visibility: 'public' } }));
  });

  test('signs in through the dev issuer and creates a stage', async () => {
    const signedIn = await devSignIn(consoleUrl, `carol-${run}`);
    assert.equal(signedIn.userName, `carol-${run}`);
    assert.ok(signedIn.expiresIn > 60);
    assert.match(stage.stageId, /^[a-zA-Z0-9]{12}$/);
    assert.equal(stage.name, `client-${run}`);
    assert.equal(stage.visibility, 'public');
    assert.equal(stage.live, false);
  });

  test('mints a participant token', async () => {
    const token = await ok(alice.POST('/stages/{stageId}/participant-tokens', {
      params: { path: { stageId: stage.stageId } }, body: { capabilities: ['PUBLISH', 'SUBSCRIBE'], durationMinutes: 30 },
    }));
    assert.ok(token.token.length > 100);
    assert.deepEqual([...token.capabilities].sort(), ['PUBLISH', 'SUBSCRIBE']);
    assert.ok(Date.parse(token.expirationTime) > Date.now());
    const viewer = await ok(bob.POST('/stages/{stageId}/participant-tokens', { params: { path: { stageId: stage.stageId } } }));
    assert.deepEqual(viewer.capabilities, ['SUBSCRIBE']);
  });

  test('pages through the caller\'s stages with the cursor', async () => {
    const dave = as('dave');
    const created = [];
    for (let i = 0; i < 5; i++) created.push((await ok(dave.POST('/stages', { body: { name: `page-${i}`, visibility: 'private' } }))).stageId);
    const pages = [];
    const seen = [];
    for await (const item of paginate(async (cursor) => {
      const page = await ok(dave.GET('/stages', { params: { query: { scope: 'mine', limit: 2, cursor } } }));
      pages.push(page.items.length);
      return page;
    })) seen.push(item.stageId);
    assert.deepEqual(pages, [2, 2, 1]);
    assert.deepEqual(seen, [...created].reverse(), 'newest first, each once');
  });

  test('refreshes the token once when the API answers 401', async () => {
    const asked = [];
    const provider = devTokenProvider(consoleUrl, `alice-${run}`);
    const api = createIvsServerlessClient({
      baseUrl: apiUrl,
      token: async ({ forceRefresh }) => { asked.push(forceRefresh); return forceRefresh ? provider({ forceRefresh }) : 'not-a-jwt'; },
    });
    const read = await ok(api.GET('/stages/{stageId}', { params: { path: { stageId: stage.stageId } } }));
    assert.equal(read.stageId, stage.stageId);
    assert.deepEqual(asked, [false, true]);
  });

  test('starts a composition idempotently: the same key answers the first composition', async () => {
    const first = await alice.startComposition(stage.stageId);
    const again = await alice.startComposition(stage.stageId, { idempotencyKey: first.idempotencyKey });
    const other = await alice.startComposition(stage.stageId);
    assert.equal(first.created, true);
    assert.equal(again.created, false);
    assert.equal(again.composition.compositionId, first.composition.compositionId);
    assert.notEqual(other.composition.compositionId, first.composition.compositionId);
    const listed = await ok(alice.GET('/stages/{stageId}/compositions', { params: { path: { stageId: stage.stageId } } }));
    assert.deepEqual(listed.items.map((c) => c.compositionId).filter((id) => id === first.composition.compositionId), [first.composition.compositionId]);
    await ok(alice.DELETE('/stages/{stageId}/compositions/{compositionId}', {
      params: { path: { stageId: stage.stageId, compositionId: first.composition.compositionId } },
    }));
  });

  // One error case per code the local host can produce; each comes back typed (ApiError.problem, code union).
  describe('errors come back as typed problems', () => {
    const stageId = () => stage.stageId;

    test('400 validation-failed', async () => {
      const error = await failure(alice.POST('/stages', { body: { name: 'not a valid name!', visibility: 'public' } }));
      assert.equal(error.code, 'validation-failed');
      assert.ok(error.problem.status === 400 && Object.keys(error.problem.errors).includes('name'), JSON.stringify(error.problem));
    });

    test('400 malformed-json', async () => {
      const error = await failure(alice.POST('/stages', { body: { name: 'x', visibility: 'public' }, bodySerializer: () => '{"name":' }));
      assert.equal(error.code, 'malformed-json');
    });

    test('400 unknown-field', async () => {
      const error = await failure(alice.POST('/stages', { body: /** @type {any} */ ({ name: 'x', visibility: 'public', colour: 'red' }) }));
      assert.equal(error.code, 'unknown-field');
    });

    test('400 invalid-path-parameter', async () => {
      const error = await failure(alice.GET('/stages/{stageId}', { params: { path: { stageId: 'short' } } }));
      assert.equal(error.code, 'invalid-path-parameter');
    });

    test('400 invalid-cursor', async () => {
      const error = await failure(alice.GET('/stages', { params: { query: { cursor: 'not-a-cursor' } } }));
      assert.equal(error.code, 'invalid-cursor');
    });

    test('401 from the JWT authorizer (API Gateway\'s own answer, not a problem)', async () => {
      const anonymous = createIvsServerlessClient({ baseUrl: apiUrl });
      const error = await failure(anonymous.GET('/stages'));
      assert.equal(error.status, 401);
      assert.deepEqual(error.gateway, { message: 'Unauthorized' });
    });

    test('403 owner-only', async () => {
      const error = await failure(bob.PATCH('/stages/{stageId}', { params: { path: { stageId: stageId() } }, body: { name: 'mine-now' } }));
      assert.equal(error.code, 'owner-only');
      assert.equal(error.problem.status, 403);
    });

    test('403 capability-not-allowed', async () => {
      const error = await failure(bob.POST('/stages/{stageId}/participant-tokens', {
        params: { path: { stageId: stageId() } }, body: { capabilities: ['PUBLISH'] },
      }));
      assert.equal(error.code, 'capability-not-allowed');
    });

    test('404 stage-not-found (also for a private stage of someone else)', async () => {
      const missing = await failure(alice.GET('/stages/{stageId}', { params: { path: { stageId: 'AAAAAAAAAAAA' } } }));
      assert.equal(missing.code, 'stage-not-found');
      const secret = await ok(alice.POST('/stages', { body: { name: 'secret', visibility: 'private' } }));
      const hidden = await failure(bob.GET('/stages/{stageId}', { params: { path: { stageId: secret.stageId } } }));
      assert.equal(hidden.code, 'stage-not-found');
    });

    test('404 session-not-found', async () => {
      const error = await failure(alice.GET('/stages/{stageId}/sessions/{sessionId}', {
        params: { path: { stageId: stageId(), sessionId: 'st-nosuchsession' } },
      }));
      assert.equal(error.code, 'session-not-found');
    });

    test('404 participant-not-found', async () => {
      const error = await failure(alice.POST('/stages/{stageId}/participants/{participantId}/disconnect', {
        params: { path: { stageId: stageId(), participantId: 'nobodyHere12' } }, body: { reason: 'test' },
      }));
      assert.equal(error.code, 'participant-not-found');
    });

    test('404 composition-not-found', async () => {
      const error = await failure(alice.DELETE('/stages/{stageId}/compositions/{compositionId}', {
        params: { path: { stageId: stageId(), compositionId: 'NoSuchComp12' } },
      }));
      assert.equal(error.code, 'composition-not-found');
    });

    test('415 unsupported-media-type', async () => {
      const error = await failure(alice.POST('/stages', { body: { name: 'plain', visibility: 'public' }, headers: { 'content-type': 'text/plain' } }));
      assert.equal(error.code, 'unsupported-media-type');
      assert.equal(error.status, 415);
    });

    test('413 payload-too-large', async () => {
      const invitedUserIds = Array.from({ length: 200 }, (_, i) => `user-${i}-${'x'.repeat(100)}`);
      const error = await failure(alice.PATCH('/stages/{stageId}', { params: { path: { stageId: stageId() } }, body: { invitedUserIds } }));
      assert.equal(error.code, 'payload-too-large');
      assert.equal(error.status, 413);
    });
  });
});
