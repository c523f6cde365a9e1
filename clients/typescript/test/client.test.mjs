// The client's own behaviour, on a scripted fetch (no server): the token provider and the one retry after a 401,
// problem+json surfaced as ApiError for every error response the contract documents, paging, the Idempotency-Key,
// and the live-updates seam. The same calls against the real local host: local-host.test.mjs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  ApiError, LiveUpdatesUnavailableError, createIvsServerlessClient, isProblem, ok, paginate, problemCodes,
} from '../dist/index.js';

const json = (status, body, type = 'application/json') =>
  new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': type } });
const problem = (status, code, extra = {}) => json(status, {
  type: `https://ivs-serverless.dev/problems/${code}`, title: 'T', status, detail: 'd', instance: 'req-1', code, ...extra,
}, 'application/problem+json');

/** A fetch that answers from `answers` in order and records what it was sent. */
function scripted(...answers) {
  const sent = [];
  const fetch = async (request) => {
    sent.push({ method: request.method, url: request.url, authorization: request.headers.get('authorization'),
      idempotencyKey: request.headers.get('idempotency-key'), body: await request.text() });
    const next = answers.shift();
    if (!next) throw new Error(`unexpected request ${request.method} ${request.url}`);
    return typeof next === 'function' ? next() : next;
  };
  return { fetch, sent };
}

test('the token provider is asked before each request and once more, with forceRefresh, after a 401', async () => {
  const asked = [];
  const { fetch, sent } = scripted(json(401, { message: 'Unauthorized' }), json(201, { stageId: 'AbCdEf123456' }));
  const api = createIvsServerlessClient({
    baseUrl: 'http://api.test/', fetch,
    token: ({ forceRefresh }) => { asked.push(forceRefresh); return forceRefresh ? 'fresh' : 'stale'; },
  });
  const stage = await ok(api.POST('/stages', { body: { name: 'demo', visibility: 'public' } }));
  assert.equal(stage.stageId, 'AbCdEf123456');
  assert.deepEqual(asked, [false, true]);
  assert.deepEqual(sent.map((s) => s.authorization), ['Bearer stale', 'Bearer fresh']);
  assert.deepEqual(sent.map((s) => s.body), [JSON.stringify({ name: 'demo', visibility: 'public' }), JSON.stringify({ name: 'demo', visibility: 'public' })]);
  assert.equal(sent[0].url, 'http://api.test/stages');
});

test('a second 401 is the answer: the client refreshes once, not in a loop', async () => {
  let asked = 0;
  const { fetch, sent } = scripted(json(401, { message: 'Unauthorized' }), json(401, { message: 'Unauthorized' }));
  const api = createIvsServerlessClient({ baseUrl: 'http://api.test', fetch, token: () => { asked += 1; return `t${asked}`; } });
  const error = await ok(api.GET('/stages')).catch((e) => e);
  assert.ok(error instanceof ApiError);
  assert.equal(error.status, 401);
  assert.deepEqual(error.gateway, { message: 'Unauthorized' });
  assert.equal(error.code, undefined);
  assert.equal(sent.length, 2);
  assert.equal(asked, 2);
});

test('without a token provider no Authorization header is sent and a 401 is not retried', async () => {
  const { fetch, sent } = scripted(json(401, { message: 'Unauthorized' }));
  const api = createIvsServerlessClient({ baseUrl: 'http://api.test', fetch });
  const { error, response } = await api.GET('/stages');
  assert.equal(response.status, 401);
  assert.deepEqual(error, { message: 'Unauthorized' });
  assert.equal(sent[0].authorization, null);
});

// Every response of the contract that carries problem+json, with each code it lists: the ones the local host
// cannot produce on demand (an IVS outage, throttling, a deployment without a feature) are proven here.
const documented = (() => {
  const yaml = readFileSync(new URL('../../../src/IvsServerless.Api/openapi.yaml', import.meta.url), 'utf8');
  const codes = {};
  for (const match of yaml.matchAll(/status: \{ const: (\d{3}) \}\s*\n\s*code: \{ enum: \[([^\]]+)\] \}/g)) {
    codes[match[1]] = match[2].split(',').map((code) => code.trim());
  }
  return codes;
})();

test('the contract documents codes for every error status', () => {
  assert.deepEqual(Object.keys(documented).sort(), ['400', '401', '403', '404', '409', '413', '415', '429', '502', '503']);
  for (const list of Object.values(documented)) for (const code of list) assert.ok(problemCodes.includes(code), code);
});

for (const [status, codes] of Object.entries(documented)) {
  for (const code of codes) {
    test(`a ${status} ${code} problem surfaces as ApiError with code ${code}`, async () => {
      const answer = () => problem(Number(status), code, status === '400' ? { errors: { name: ['bad'] } } : {});
      // A 401 is retried once with a refreshed token: it answers the same twice.
      const { fetch } = scripted(answer, ...(status === '401' ? [answer] : []));
      const api = createIvsServerlessClient({ baseUrl: 'http://api.test', fetch, token: () => 't' });
      const { data, error, response } = await api.PATCH('/stages/{stageId}', { params: { path: { stageId: 'AbCdEf123456' } }, body: { name: 'x' } });
      assert.equal(data, undefined);
      assert.equal(response.status, Number(status));
      assert.ok(isProblem(error));
      assert.equal(error.code, code);
      const thrown = await ok(Promise.resolve({ data, error, response })).catch((e) => e);
      assert.ok(thrown instanceof ApiError);
      assert.equal(thrown.code, code);
      assert.equal(thrown.status, Number(status));
      assert.equal(thrown.requestId, 'req-1');
      assert.match(thrown.message, new RegExp(code));
    });
  }
}

test('paginate follows nextCursor until the last page', async () => {
  const pages = { undefined: { items: [1, 2], nextCursor: 'a' }, a: { items: [3, 4], nextCursor: 'b' }, b: { items: [5] } };
  const cursors = [];
  const items = [];
  for await (const item of paginate(async (cursor) => { cursors.push(cursor); return pages[cursor]; })) items.push(item);
  assert.deepEqual(items, [1, 2, 3, 4, 5]);
  assert.deepEqual(cursors, [undefined, 'a', 'b']);
  const bounded = [];
  for await (const item of paginate(async (cursor) => pages[cursor], { maxPages: 2 })) bounded.push(item);
  assert.deepEqual(bounded, [1, 2, 3, 4]);
});

test('startComposition sends an Idempotency-Key (given or generated) and says whether it created one', async () => {
  const composition = { compositionId: 'Cmp0a1B2c3D4', state: 'STARTING' };
  const { fetch, sent } = scripted(json(201, composition), json(200, composition), json(201, composition));
  const api = createIvsServerlessClient({ baseUrl: 'http://api.test', fetch, token: () => 't' });
  const first = await api.startComposition('AbCdEf123456', { idempotencyKey: 'key-1' });
  const again = await api.startComposition('AbCdEf123456', { idempotencyKey: 'key-1' });
  const generated = await api.startComposition('AbCdEf123456');
  assert.deepEqual([first.created, again.created, generated.created], [true, false, true]);
  assert.deepEqual(sent.slice(0, 2).map((s) => s.idempotencyKey), ['key-1', 'key-1']);
  assert.match(sent[2].idempotencyKey, /^[a-f0-9]{32}$/);
  assert.equal(generated.idempotencyKey, sent[2].idempotencyKey);
  assert.equal(sent[0].url, 'http://api.test/stages/AbCdEf123456/compositions');
});

test('live updates are a documented seam: connectLive throws until the API has a WebSocket channel', () => {
  const api = createIvsServerlessClient({ baseUrl: 'http://api.test' });
  assert.throws(() => api.live({ url: 'ws://x', stageIds: [], onEvent() {} }), LiveUpdatesUnavailableError);
});
