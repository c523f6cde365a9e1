// The local console: a dev user signs in with the dev issuer, manages stages through the HTTP API, and plays
// participants through the emulator's simulation surface (/_sim/, proxied by this origin). Tokens stay in memory;
// the dev user's JWT also in sessionStorage, so a reload of the tab keeps the sign-in.
// Every API call goes through the typed client of clients/typescript (ivs-serverless-client.js, its esbuild bundle,
// generated: never edit it here); the dev issuer and /_sim/ are not part of the API and use plain fetch.
import { ApiError, createIvsServerlessClient, ok } from './ivs-serverless-client.js';
import { LiveChannel } from './live.js';
import { installHostTools } from './host-tools.js';
import { installRecordings } from './recordings.js';

const POLL_MS = 1500;
// With the push channel the selected stage is not polled; the stage list (no push for other stages) and the local
// dead-letter count are still refreshed this often.
const LIGHT_POLL_MS = 10_000;
const STAGE_LIST_EVERY_POLLS = 4;
const ACTIVITY_LIMIT = 60;
const AUTH_KEY = 'ivs-serverless-console-auth';

const state = {
  config: null,
  client: null, // the API client, made once /config.json says where the API is
  auth: null, // { token, userName, expiresAt (ms) }
  scope: 'mine',
  stages: [],
  nextCursor: null,
  stageId: null,
  stage: null,
  // participantId -> { token, participantId, capabilities, expirationTime, stageId, joined, sessionId, published, subscribedTo: Set }
  tokens: new Map(),
  sessionsServed: null, // unknown until the first answer: false when the API has no session routes
  sessions: [],
  deadLettersServed: null,
  openSessionId: null,
  sessionDetail: null,
  pollTimer: null,
  pollCount: 0,
  polling: false,
  refetchAgain: false,
  deleteArmed: false,
  live: null, // the push channel (live.js) when /config.json names a liveUrl; null: the selected stage is polled
  livePending: null, // messages that arrived while the stage was being fetched: applied after it
  sessionReload: null,
};

const $ = (testId) => document.querySelector(`[data-testid="${testId}"]`);
let hostTools = { render() {} }; // host-tools.js, installed at start
let recordings = { async follow() {}, async refresh() {} }; // recordings.js, installed at start

// ---------------------------------------------------------------- DOM helpers

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'testid') node.dataset.testid = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key in node && typeof value !== 'string') node[key] = value;
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function button(label, onclick, props = {}) {
  return el('button', { type: 'button', onclick, ...props }, label);
}

function time(value) {
  if (!value) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toLocaleTimeString();
}

function dateTime(value) {
  if (!value) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toLocaleString();
}

function truncateToken(token) {
  return token.length <= 24 ? token : `${token.slice(0, 12)}…${token.slice(-8)}`;
}

// ---------------------------------------------------------------- errors and activity

class RequestError extends Error {
  constructor(source, status, title, detail, extra = {}) {
    super(`${title}: ${detail}`);
    this.source = source;
    this.status = status;
    this.title = title;
    this.detail = detail;
    Object.assign(this, extra);
  }
}

async function readBody(response) {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

// problem+json from the API (title, detail, code, errors, instance); the emulator's AWS-style errors from /_sim/.
function errorFrom(source, response, body) {
  if (body && typeof body === 'object' && 'title' in body) {
    const fields = body.errors
      ? Object.entries(body.errors).map(([field, messages]) => `${field}: ${[].concat(messages).join(', ')}`)
      : [];
    const detail = [body.detail, ...fields].filter(Boolean).join(' — ');
    return new RequestError(source, response.status, body.title, detail, { code: body.code, requestId: body.instance });
  }
  if (body && typeof body === 'object' && ('message' in body || 'exceptionMessage' in body)) {
    const type = response.headers.get('x-amzn-ErrorType')?.split(':')[0] || `HTTP ${response.status}`;
    return new RequestError(source, response.status, type, body.exceptionMessage ?? body.message,
      { requestId: response.headers.get('x-amzn-RequestId') ?? undefined });
  }
  const detail = typeof body === 'string' && body.length > 0 ? body.slice(0, 300) : response.statusText;
  return new RequestError(source, response.status, `HTTP ${response.status}`, detail);
}

function showError(error) {
  const banner = $('error');
  const before = banner.hidden ? null : banner.textContent;
  if (error instanceof RequestError) {
    $('error-title').textContent = `${error.source}: ${error.title} (${error.status}${error.code ? `, ${error.code}` : ''})`;
    $('error-detail').textContent = error.detail + (error.requestId ? ` [request ${error.requestId}]` : '');
  } else {
    $('error-title').textContent = 'Request failed';
    $('error-detail').textContent = error?.message ?? String(error);
  }
  banner.hidden = false;
  // A failing poll repeats the same error every tick: log it once.
  if (banner.textContent === before) return;
  log(`Error: ${$('error-title').textContent} ${$('error-detail').textContent}`, 'error');
}

function clearError() {
  $('error').hidden = true;
}

function log(message, kind = 'info') {
  const list = $('activity');
  list.prepend(el('li', { class: kind }, el('time', {}, new Date().toLocaleTimeString()), ' ', message));
  while (list.children.length > ACTIVITY_LIMIT) list.lastElementChild.remove();
}

// Runs a user action: clears the previous error first, shows this one if it fails.
async function act(action) {
  clearError();
  try {
    return await action();
  } catch (error) {
    showError(error);
    return undefined;
  }
}

// ---------------------------------------------------------------- HTTP

// Runs `call(client)`: an openapi-fetch call (its data is returned, a failure thrown as ApiError) or a client helper.
async function api(call) {
  if (!state.auth) throw new RequestError('API', 401, 'Not signed in', 'Sign in as a dev user first.');
  try {
    const result = await call(state.client);
    return result?.response instanceof Response ? await ok(Promise.resolve(result)) : result;
  } catch (error) {
    if (error instanceof ApiError) {
      // The client already asked for a fresh dev token once (tokenProvider): a 401 now means signed out.
      if (error.status === 401) signOut();
      throw fromApiError(error);
    }
    throw new RequestError('API', 0, 'Unreachable', `${state.config.apiUrl} did not answer (${error.message}).`);
  }
}

// problem+json (title, detail, code, field errors, request id), or API Gateway's own {"message"}.
function fromApiError(error) {
  const { problem } = error;
  if (problem) {
    const fields = problem.errors
      ? Object.entries(problem.errors).map(([field, messages]) => `${field}: ${[].concat(messages).join(', ')}`)
      : [];
    const detail = [problem.detail, ...fields].filter(Boolean).join(' — ');
    return new RequestError('API', error.status, problem.title, detail, { code: problem.code, requestId: problem.instance });
  }
  return new RequestError('API', error.status, `HTTP ${error.status}`, error.gateway?.message ?? String(error.body ?? ''));
}

// The client's token hook: the dev user's JWT; asked to refresh after a 401, it signs the same user in again.
async function currentToken({ forceRefresh }) {
  if (forceRefresh && state.auth) {
    try {
      storeAuth(await post('/dev/token', { userName: state.auth.userName }, 'Dev issuer'));
    } catch {
      return null;
    }
  }
  return state.auth?.token ?? null;
}

async function post(url, body, source) {
  let response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
  } catch (error) {
    throw new RequestError(source, 0, 'Unreachable', `${url} did not answer (${error.message}).`);
  }
  const result = await readBody(response);
  if (!response.ok) throw errorFrom(source, response, result);
  return result;
}

const sim = (path, body) => post(`/_sim/${path}`, body, 'Emulator');

// ---------------------------------------------------------------- sign-in

function loadAuth() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(AUTH_KEY) ?? 'null');
    if (saved && saved.expiresAt > Date.now() + 30_000) return saved;
  } catch {
    // A damaged entry is the same as none.
  }
  sessionStorage.removeItem(AUTH_KEY);
  return null;
}

function storeAuth(answer) {
  state.auth = { token: answer.token, userName: answer.userName, expiresAt: Date.now() + answer.expiresIn * 1000 };
  sessionStorage.setItem(AUTH_KEY, JSON.stringify(state.auth));
}

async function signIn(userName) {
  const answer = await post('/dev/token', { userName }, 'Dev issuer');
  storeAuth({ ...answer, userName: answer.userName ?? userName });
  log(`Signed in as ${state.auth.userName}.`);
  renderAuth();
  state.live?.start();
  await refreshStages();
}

function signOut() {
  state.auth = null;
  sessionStorage.removeItem(AUTH_KEY);
  state.live?.stop();
  selectStage(null);
  state.tokens.clear();
  renderAuth();
}

function renderAuth() {
  const signedIn = state.auth !== null;
  $('sign-in-form').hidden = signedIn;
  $('signed-in').hidden = !signedIn;
  $('stages-section').hidden = !signedIn;
  if (signedIn) {
    $('signed-in-user').textContent = state.auth.userName;
    $('signed-in-expiry').textContent = `token until ${time(state.auth.expiresAt)}`;
  } else {
    $('stage-section').hidden = true;
  }
}

// ---------------------------------------------------------------- stages

async function refreshStages({ more = false } = {}) {
  const cursor = more && state.nextCursor ? state.nextCursor : undefined;
  const page = await api((client) => client.GET('/stages', { params: { query: { scope: state.scope, limit: 25, cursor } } }));
  state.stages = more ? [...state.stages, ...page.items] : page.items;
  state.nextCursor = page.nextCursor ?? null;
  renderStages();
}

function renderStages() {
  const body = $('stage-list').tBodies[0];
  body.replaceChildren(...state.stages.map((stage) => el('tr',
    {
      testid: 'stage-row',
      dataset: { stageId: stage.stageId, stageName: stage.name },
      class: stage.stageId === state.stageId ? 'selected' : undefined,
    },
    el('td', {}, stage.name),
    el('td', {}, el('code', {}, stage.stageId)),
    el('td', {}, stage.visibility),
    el('td', {}, stage.ownerId),
    el('td', {}, stage.live ? el('span', { class: 'badge live' }, 'live') : 'no'),
    el('td', {}, button('Open', () => act(() => selectStage(stage.stageId)),
      { testid: 'open-stage', 'aria-label': `Open stage ${stage.name}` })))));
  $('stage-list-empty').hidden = state.stages.length > 0;
  $('more-stages').hidden = !state.nextCursor;
}

// "Record participants": individual participant recording with a thumbnail every 10 s (docs/recordings.md).
const RECORD_PARTICIPANTS = { mode: 'individual', thumbnailConfiguration: { recordingMode: 'INTERVAL', targetIntervalSeconds: 10 } };

async function createStage(name, visibility, record) {
  const body = record ? { name, visibility, recording: RECORD_PARTICIPANTS } : { name, visibility };
  const stage = await api((client) => client.POST('/stages', { body }));
  log(`Created stage ${stage.name} (${stage.stageId})${record ? ', recording its participants' : ''}.`);
  state.scope = 'mine';
  $('stage-scope').value = 'mine';
  await refreshStages();
  await selectStage(stage.stageId);
}

async function selectStage(stageId) {
  if (state.stageId && state.stageId !== stageId) state.live?.unfollow(state.stageId);
  state.stageId = stageId;
  state.stage = null;
  state.sessions = [];
  state.openSessionId = null;
  state.sessionDetail = null;
  state.deleteArmed = false;
  $('session-detail').hidden = true;
  recordings.follow(null, null).catch(showError);
  stopPolling();
  if (!stageId) {
    $('stage-section').hidden = true;
    renderStages();
    return;
  }
  renderStages();
  if (state.live) {
    // The stage is fetched once its subscription answered (onLiveResync), so no change falls in between; while the
    // channel is not up yet, show it now (the subscription, once it starts, fetches it again).
    state.live.follow(stageId);
    if (!state.live.open) await pollStage();
  } else {
    await pollStage();
  }
  startPolling();
}

async function deleteStage() {
  if (!state.deleteArmed) {
    state.deleteArmed = true;
    $('delete-stage').textContent = 'Confirm delete';
    return;
  }
  const stage = state.stage;
  await api((client) => client.DELETE('/stages/{stageId}', { params: { path: { stageId: stage.stageId } } }));
  log(`Deleted stage ${stage.name} (${stage.stageId}).`);
  for (const [id, token] of state.tokens) if (token.stageId === stage.stageId) state.tokens.delete(id);
  await selectStage(null);
  await refreshStages();
}

// ---------------------------------------------------------------- live view (pushed; polled without a liveUrl)

function startPolling() {
  stopPolling();
  state.pollTimer = state.live
    ? setInterval(() => { lightPoll().catch(showError); }, LIGHT_POLL_MS)
    : setInterval(() => { pollStage().catch(showError); }, POLL_MS);
}

async function lightPoll() {
  if (!state.auth) return;
  await refreshStages();
  await pollDeadLetters();
}

function stopPolling() {
  if (state.pollTimer) clearInterval(state.pollTimer);
  state.pollTimer = null;
}

// Fetches the selected stage (GET /stages/{stageId}): polled without the push channel; with it, on select, after a
// reconnect and on a version gap. Pushed messages that arrive meanwhile are applied to the fetched stage.
async function pollStage() {
  if (!state.stageId || !state.auth) return;
  if (state.polling) {
    state.refetchAgain = true;
    return;
  }
  state.polling = true;
  state.refetchAgain = false;
  const stageId = state.stageId;
  if (state.live) state.livePending = [];
  try {
    let stage;
    try {
      stage = await api((client) => client.GET('/stages/{stageId}', { params: { path: { stageId } } }));
    } catch (error) {
      if (error instanceof RequestError && error.status === 404 && stageId === state.stageId) {
        log(`Stage ${stageId} is gone.`);
        await selectStage(null);
        await refreshStages();
        return;
      }
      throw error;
    }
    if (stageId !== state.stageId) return;
    state.stage = stage;
    for (const message of state.livePending ?? []) applyStageMessage(stage, message);
    state.livePending = null;
    const listed = state.stages.findIndex((item) => item.stageId === stageId);
    if (listed >= 0 && state.stages[listed].live !== stage.live) {
      state.stages[listed] = { ...state.stages[listed], live: stage.live, activeSessionId: stage.activeSessionId };
      renderStages();
    }
    await pollSessions(stageId);
    await loadSessionDetail();
    await pollDeadLetters();
    state.pollCount += 1;
    if (!state.live && state.pollCount % STAGE_LIST_EVERY_POLLS === 0) await refreshStages();
    renderStage();
  } finally {
    state.polling = false;
    state.livePending = null;
    if (state.refetchAgain) pollStage().catch(showError);
  }
}

// ---------------------------------------------------------------- pushed messages (live.js)

function renderLiveStatus(status) {
  const badge = $('live-status');
  badge.dataset.state = status;
  badge.textContent = status === 'off' ? 'updates: off' : `updates: ${status}`;
  badge.className = `badge ${status === 'live' ? 'live' : status === 'reconnecting' ? 'warn' : ''}`;
  if (status === 'reconnecting') log('Live updates: connection lost, reconnecting.');
  if (status === 'live') log('Live updates: connected.');
}

// A stage's subscription (re)started, or a version gap showed a missed message: fetch the stage once.
function onLiveResync(stageId, reason) {
  if (stageId !== state.stageId) return;
  if (reason === 'gap') log(`Live updates: a message about stage ${stageId} was missed; fetching the stage.`);
  pollStage().catch(showError);
}

function onLiveError(error) {
  log(`Live updates refused a frame: ${error.code} (${error.message})`, 'error');
  // The selected stage cannot be followed (gone, or no longer visible): the fetch says so.
  if (error.stageId && error.stageId === state.stageId) pollStage().catch(showError);
}

function onLiveMessage(message) {
  const { type, stageId } = message;
  const which = stageId === state.stageId && state.stage ? `stage ${state.stage.name}` : `stage ${stageId}`;
  switch (type) {
    case 'invited':
      log(`You were invited to ${which}.`, 'notice');
      return;
    case 'promoted':
      log(`You are now a co-host of ${which}.`, 'notice');
      return;
    case 'demoted':
      log(`You are no longer a co-host of ${which}.`, 'notice');
      return;
    case 'kicked': {
      log(`Your participant ${message.participantId} was disconnected from ${which}`
        + `${message.reason ? `: ${message.reason}` : ''}.`, 'notice');
      const mine = state.tokens.get(message.participantId);
      if (mine) Object.assign(mine, { joined: false, published: false, kicked: true });
      break;
    }
    case 'access-revoked':
    case 'stage-deleted':
      log(type === 'stage-deleted' ? `Stage ${stageId} was deleted.` : `You may no longer see ${which}.`, 'notice');
      if (stageId === state.stageId) selectStage(null).then(() => refreshStages()).catch(showError);
      return;
    default:
      break;
  }
  if (stageId !== state.stageId || !state.stage) return;
  if (state.livePending) {
    state.livePending.push(message);
    return;
  }
  applyStageMessage(state.stage, message);
  renderStage();
}

// One pushed message applied to the fetched stage (idempotent: a message the fetch already shows changes nothing).
function applyStageMessage(stage, message) {
  const participants = stage.participants ?? (stage.participants = []);
  const participant = () => {
    let found = participants.find((p) => p.participantId === message.participantId);
    if (!found) {
      found = { participantId: message.participantId, userId: message.userId ?? '', publishing: false };
      participants.push(found);
    }
    found.sessionId = message.sessionId;
    return found;
  };
  switch (message.type) {
    case 'stage-changed': {
      const newSession = message.activeSessionId && message.activeSessionId !== stage.activeSessionId;
      // A new session's participants may be pushed before the stage's own change (separate items, separate stream
      // records): keep those, drop the previous session's (a fetched participant belongs to the session fetched with it).
      if (newSession && stage.activeSessionId) {
        stage.participants = participants.filter((p) => p.sessionId === message.activeSessionId);
      }
      Object.assign(stage, {
        live: message.live,
        activeSessionId: message.activeSessionId ?? undefined,
        name: message.settings.name,
        visibility: message.settings.visibility,
        coHostIds: message.settings.coHostIds,
      });
      const listed = state.stages.findIndex((item) => item.stageId === stage.stageId);
      if (listed >= 0) {
        state.stages[listed] = { ...state.stages[listed], live: stage.live, name: stage.name, visibility: stage.visibility };
        renderStages();
      }
      if (newSession) scheduleSessionReload();
      break;
    }
    case 'participant-joined':
      participant();
      break;
    case 'participant-left':
      stage.participants = participants.filter((p) => p.participantId !== message.participantId);
      break;
    case 'publishing-started':
    case 'publishing-stopped':
      participant().publishing = message.type === 'publishing-started';
      break;
    case 'recording-changed': {
      // A recording ends after its participant left: that must not bring the participant back to the live list.
      const known = participants.find((p) => p.participantId === message.participantId);
      if (known) known.recording = { state: message.state };
      break;
    }
    case 'composition-changed': {
      const compositions = stage.compositions ?? (stage.compositions = []);
      const known = compositions.find((c) => c.compositionId === message.compositionId);
      const changed = { compositionId: message.compositionId, state: message.state, failureReason: message.failureReason };
      if (known) Object.assign(known, changed);
      else compositions.unshift(changed);
      break;
    }
    default:
      return;
  }
  if (message.sessionId && message.sessionId === state.openSessionId) scheduleSessionReload();
}

// The session list changes with a new session, the open session's detail with its participants: reload them (not the
// stage) a moment after the messages that say so.
function scheduleSessionReload() {
  clearTimeout(state.sessionReload);
  state.sessionReload = setTimeout(async () => {
    const stageId = state.stageId;
    if (!stageId) return;
    try {
      await pollSessions(stageId);
      await loadSessionDetail();
      if (stageId === state.stageId) renderSessions();
    } catch (error) {
      showError(error);
    }
  }, 300);
}

async function pollSessions(stageId) {
  if (state.sessionsServed === false) return;
  try {
    const page = await api((client) => client.GET('/stages/{stageId}/sessions', { params: { path: { stageId } } }));
    state.sessions = page.items ?? [];
    state.sessionsServed = true;
  } catch (error) {
    // API Gateway answers a route it does not have with a plain 404 (the stage itself was just read).
    if (error instanceof RequestError && error.status === 404 && error.code !== 'stage-not-found') {
      state.sessionsServed = false;
      return;
    }
    throw error;
  }
}

// The API shows invitedUserIds to the owner only (the JWT subject, which need not equal the user name typed).
const isOwner = (stage) => Array.isArray(stage?.invitedUserIds);

// Events the local bus gave up delivering (the handler kept failing): why something may be missing from the view.
async function pollDeadLetters() {
  const link = $('dead-letters');
  if (state.deadLettersServed === false) return;
  try {
    const response = await fetch('/_local/dead-letters');
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const { count } = await response.json();
    link.textContent = `${count} dead-lettered event${count === 1 ? '' : 's'}`;
    link.classList.toggle('alarm', count > 0);
    link.hidden = false;
  } catch {
    link.hidden = true;
    state.deadLettersServed = false; // Not served by this host: stop asking.
  }
}

function participantIsPublishing(participant) {
  if (typeof participant.published === 'boolean') return participant.published;
  if (typeof participant.publishing === 'boolean') return participant.publishing;
  return String(participant.publishState ?? participant.state ?? '').toUpperCase() === 'PUBLISHING';
}

function renderStage() {
  const stage = state.stage;
  if (!stage) return;
  $('stage-section').hidden = false;
  $('stage-title').textContent = stage.name;
  const live = $('stage-live');
  live.textContent = stage.live ? 'live' : 'idle';
  live.className = `badge ${stage.live ? 'live' : ''}`;
  $('stage-updated').textContent = `updated ${new Date().toLocaleTimeString()}`;
  const deleteButton = $('delete-stage');
  deleteButton.hidden = !isOwner(stage);
  deleteButton.textContent = state.deleteArmed ? 'Confirm delete' : 'Delete stage';

  const facts = [
    ['Stage id', stage.stageId], ['ARN', stage.stageArn], ['Owner', stage.ownerId],
    ['Visibility', stage.visibility], ['Co-hosts', stage.coHostIds.join(', ') || '—'], ['Recording', recordingSummary(stage.recording)],
    ['Active session', stage.activeSessionId ?? '—'], ['Created', dateTime(stage.createdAt)], ['Version', stage.version],
  ];
  $('stage-facts').replaceChildren(...facts.flatMap(([name, value]) => [el('dt', {}, name), el('dd', {}, String(value))]));

  renderTokens();
  renderParticipants(stage.participants ?? []);
  renderSessions();
  renderCompositions(stage.compositions ?? []);
  hostTools.render(stage);
}

function recordingSummary(recording) {
  if (!recording || recording.mode !== 'individual') return 'off';
  const thumbnails = recording.thumbnailConfiguration?.recordingMode === 'INTERVAL'
    ? `thumbnails every ${recording.thumbnailConfiguration.targetIntervalSeconds ?? 60} s` : 'no thumbnails';
  return `individual participants (${(recording.mediaTypes ?? ['AUDIO_VIDEO']).join(', ')}, ${thumbnails})`;
}

function renderParticipants(participants) {
  const canKick = isOwner(state.stage);
  $('participant-list').tBodies[0].replaceChildren(...participants.map((participant) => {
    const publishing = participantIsPublishing(participant);
    return el('tr',
      {
        testid: 'participant-row',
        dataset: { participantId: participant.participantId, publishing: String(publishing) },
      },
      el('td', {}, el('code', {}, participant.participantId),
        participant.recording?.state
          ? el('span', { class: 'muted small', testid: 'participant-recording' }, ` · recording ${participant.recording.state}`)
          : ''),
      el('td', {}, participant.userId || '—'),
      el('td', { testid: 'participant-media' },
        publishing ? el('span', { class: 'badge live' }, 'publishing') : el('span', { class: 'muted' }, 'connected')),
      el('td', {}, canKick
        ? button('Kick', () => act(() => kick(participant.participantId)),
          { class: 'danger', testid: 'kick-participant', 'aria-label': `Disconnect participant ${participant.participantId}` })
        : ''));
  }));
  $('participant-list-empty').hidden = participants.length > 0;
}

function renderSessions() {
  const body = $('session-list').tBodies[0];
  if (state.sessionsServed === false) {
    body.replaceChildren();
    $('session-list-empty').textContent = 'This API serves no session history.';
    $('session-list-empty').hidden = false;
    return;
  }
  const first = (session) => session.firstActivity ?? session.startTime ?? session.startedAt;
  const last = (session) => session.lastActivity ?? session.endTime ?? session.endedAt;
  body.replaceChildren(...state.sessions.map((session) => el('tr',
    {
      testid: 'session-row',
      dataset: { sessionId: session.sessionId },
      class: session.sessionId === state.openSessionId ? 'selected' : undefined,
    },
    el('td', {}, el('code', {}, session.sessionId),
      (session.live ?? session.sessionId === state.stage?.activeSessionId) ? [' ', el('span', { class: 'badge live' }, 'live')] : ''),
    el('td', {}, dateTime(first(session))),
    el('td', {}, dateTime(last(session))),
    el('td', {}, button('Details', () => act(() => showSession(session.sessionId)),
      { class: 'secondary', testid: 'session-details', 'aria-label': `Details of session ${session.sessionId}` })))));
  $('session-list-empty').textContent = 'No sessions yet.';
  $('session-list-empty').hidden = state.sessions.length > 0;
  renderSessionDetail();
}

async function showSession(sessionId) {
  state.openSessionId = sessionId;
  await loadSessionDetail();
  renderSessions();
  await recordings.follow(state.stageId, sessionId);
}

// The open session's detail follows the live state like the rest of the view.
async function loadSessionDetail() {
  if (!state.openSessionId || !state.stageId) return;
  try {
    const path = { stageId: state.stageId, sessionId: state.openSessionId };
    state.sessionDetail = await api((client) => client.GET('/stages/{stageId}/sessions/{sessionId}', { params: { path } }));
  } catch (error) {
    if (!(error instanceof RequestError && error.status === 404)) throw error;
    state.sessionDetail = { unknown: true };
  }
  await recordings.refresh();
}

function renderSessionDetail() {
  const box = $('session-detail');
  const detail = state.sessionDetail;
  box.hidden = !state.openSessionId || !detail;
  if (box.hidden) return;
  const participants = Array.isArray(detail.participants) ? detail.participants : null;
  box.replaceChildren(
    el('div', { class: 'row spread' },
      el('h4', {}, `Session ${state.openSessionId}`),
      button('Close', () => {
        state.openSessionId = null;
        state.sessionDetail = null;
        renderSessions();
        recordings.follow(null, null).catch(showError);
      },
        { class: 'link', testid: 'session-detail-close' })),
    detail.unknown ? el('p', { class: 'muted' }, 'Nothing is known about this session yet.')
      : participants
      ? el('ul', { class: 'timeline' }, participants.map((participant) => el('li',
        { testid: 'session-participant', dataset: { participantId: participant.participantId } },
        el('code', {}, participant.participantId), ` ${participant.userId || '(no user id)'}`,
        participantIsPublishing(participant) ? [' ', el('span', { class: 'badge live' }, 'publishing')] : '',
        participant.connected === false ? [' ', el('span', { class: 'badge' }, 'left')] : '',
        participant.recording?.state ? ` · recording ${participant.recording.state}` : '',
        participant.lastPublishError ? ` · last publish error ${participant.lastPublishError}` : '',
        participant.firstSeen ? el('span', { class: 'muted small' }, ` · seen ${time(participant.firstSeen)}–${time(participant.lastSeen)}`) : '',
        Array.isArray(participant.timeline) && participant.timeline.length > 0
          ? el('ol', {}, participant.timeline.map((entry) => el('li', {},
            el('time', {}, time(entry.time)), ' ', entry.eventName, entry.errorCode ? ` (${entry.errorCode})` : '')))
          : '')))
      : el('pre', {}, JSON.stringify(detail, null, 2)));
}

function renderCompositions(compositions) {
  const owner = isOwner(state.stage);
  $('start-composition').hidden = !owner;
  $('composition-list').tBodies[0].replaceChildren(...compositions.map((composition) => el('tr',
    { testid: 'composition-row', dataset: { compositionId: composition.compositionId, state: composition.state } },
    el('td', {}, el('code', {}, composition.compositionId)),
    el('td', {}, composition.state),
    el('td', {}, dateTime(composition.startedAt)),
    el('td', {}, dateTime(composition.endedAt)),
    el('td', {}, owner && !['STOPPING', 'STOPPED', 'FAILED'].includes(composition.state)
      ? button('Stop', () => act(() => stopComposition(composition.compositionId)), { class: 'secondary', testid: 'stop-composition' })
      : ''))));
}

async function startComposition() {
  // The client sends a fresh Idempotency-Key: a retried click cannot start a second composition.
  const { composition } = await api((client) => client.startComposition(state.stageId));
  log(`Started composition ${composition.compositionId} (${composition.state}).`);
  await afterChange();
}

async function stopComposition(compositionId) {
  await api((client) => client.DELETE('/stages/{stageId}/compositions/{compositionId}',
    { params: { path: { stageId: state.stageId, compositionId } } }));
  log(`Stopping composition ${compositionId}.`);
  await afterChange();
}

async function kick(participantId) {
  await api((client) => client.POST('/stages/{stageId}/participants/{participantId}/disconnect',
    { params: { path: { stageId: state.stageId, participantId } }, body: { reason: 'kicked from the console' } }));
  const mine = state.tokens.get(participantId);
  if (mine) Object.assign(mine, { joined: false, published: false, kicked: true });
  for (const other of state.tokens.values()) other.subscribedTo.delete(participantId);
  log(`Disconnected participant ${participantId}.`);
  await afterChange();
}

// ---------------------------------------------------------------- tokens and simulated participants

async function mintToken(capabilities, durationMinutes) {
  const stageId = state.stageId;
  const token = await api((client) => client.POST('/stages/{stageId}/participant-tokens',
    { params: { path: { stageId } }, body: { capabilities, durationMinutes } }));
  state.tokens.set(token.participantId, {
    ...token, stageId, joined: false, published: false, sessionId: null, subscribedTo: new Set(),
  });
  log(`Minted a ${token.capabilities.join('+')} token for participant ${token.participantId}.`);
  renderTokens();
}

async function copyToken(entry, copyButton) {
  try {
    await navigator.clipboard.writeText(entry.token);
  } catch {
    // No clipboard permission (for example a non-secure origin): fall back to a selected text area.
    const area = el('textarea', { class: 'visually-hidden', readonly: true });
    area.value = entry.token;
    document.body.append(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
  copyButton.textContent = 'Copied';
  setTimeout(() => { copyButton.textContent = 'Copy'; }, 1500);
}

async function simJoin(entry) {
  const joined = await sim('join', { token: entry.token, osName: 'Linux', browserName: 'IvsServerless console' });
  Object.assign(entry, { joined: true, sessionId: joined.sessionId });
  log(`Participant ${entry.participantId} joined session ${joined.sessionId}.`);
}

async function simAction(entry, action, body) {
  const answer = await sim(`stages/${entry.stageId}/participants/${entry.participantId}/${action}`, body);
  // Not the answer's `published`: IVS documents it as "ever published in the session", true after unpublishing too.
  if (action === 'publish') entry.published = true;
  if (action === 'unpublish') entry.published = false;
  if (action === 'leave') {
    Object.assign(entry, { joined: false, published: false });
    entry.subscribedTo.clear();
  }
  if (action === 'leave' || action === 'unpublish') {
    // The emulator ends every subscription to a publisher that stops publishing.
    for (const other of state.tokens.values()) other.subscribedTo.delete(entry.participantId);
  }
  if (action === 'subscribe') entry.subscribedTo.add(body.publisherId);
  if (action === 'unsubscribe') entry.subscribedTo.delete(body.publisherId);
  log(`Participant ${entry.participantId}: ${action}${body?.publisherId ? ` ${body.publisherId}` : ''} done (session ${answer.sessionId}).`);
}

async function simulate(entry, step) {
  await step();
  renderTokens();
  await afterChange();
}

// After an action on the selected stage: the push channel brings its effect; without one, fetch the stage now.
async function afterChange() {
  if (state.live) renderStage();
  else await pollStage();
}

function publishersOtherThan(participantId) {
  const fromStage = (state.stage?.participants ?? []).filter(participantIsPublishing).map((p) => p.participantId);
  const fromSimulation = [...state.tokens.values()].filter((t) => t.published && t.stageId === state.stageId).map((t) => t.participantId);
  return [...new Set([...fromStage, ...fromSimulation])].filter((id) => id !== participantId);
}

function renderTokens() {
  const entries = [...state.tokens.values()].filter((entry) => entry.stageId === state.stageId);
  $('token-list').tBodies[0].replaceChildren(...entries.map((entry) => {
    const copyButton = button('Copy', () => copyToken(entry, copyButton),
      { class: 'secondary', testid: 'copy-token', 'aria-label': `Copy the token of participant ${entry.participantId}` });
    return el('tr',
      {
        testid: 'token-row',
        dataset: { participantId: entry.participantId, joined: String(entry.joined), published: String(entry.published) },
      },
      el('td', {}, el('code', { testid: 'token-participant-id' }, entry.participantId)),
      el('td', {}, entry.capabilities.join(', ')),
      el('td', {}, time(entry.expirationTime)),
      el('td', {}, el('code', { testid: 'token-value', title: 'truncated; use Copy for the whole token' }, truncateToken(entry.token)), ' ', copyButton),
      el('td', { class: 'actions' }, simulationControls(entry)));
  }));
}

function simulationControls(entry) {
  const label = (verb) => `${verb} participant ${entry.participantId}`;
  if (entry.kicked) return el('span', { class: 'muted' }, 'disconnected (token revoked)');
  if (!entry.joined) {
    return [button('Join', () => act(() => simulate(entry, () => simJoin(entry))), { testid: 'sim-join', 'aria-label': label('Join as') })];
  }
  const controls = [
    entry.published
      ? button('Unpublish', () => act(() => simulate(entry, () => simAction(entry, 'unpublish'))), { testid: 'sim-unpublish', 'aria-label': label('Unpublish') })
      : button('Publish', () => act(() => simulate(entry, () => simAction(entry, 'publish'))), { testid: 'sim-publish', 'aria-label': label('Publish') }),
  ];
  const publishers = publishersOtherThan(entry.participantId);
  if (publishers.length > 0) {
    const select = el('select', { testid: 'sim-publisher', 'aria-label': `Publisher for participant ${entry.participantId}` },
      publishers.map((id) => el('option', { value: id }, id)));
    const subscribed = () => entry.subscribedTo.has(select.value);
    const toggle = button(subscribed() ? 'Unsubscribe' : 'Subscribe', () => act(() => simulate(entry,
      () => simAction(entry, subscribed() ? 'unsubscribe' : 'subscribe', { publisherId: select.value }))),
    { class: 'secondary', testid: 'sim-subscribe', 'aria-label': label('Subscribe or unsubscribe') });
    select.addEventListener('change', () => { toggle.textContent = subscribed() ? 'Unsubscribe' : 'Subscribe'; });
    controls.push(select, toggle);
  }
  controls.push(button('Leave', () => act(() => simulate(entry, () => simAction(entry, 'leave'))),
    { class: 'secondary', testid: 'sim-leave', 'aria-label': label('Leave as') }));
  return controls;
}

// ---------------------------------------------------------------- start

function wire() {
  $('error-dismiss').addEventListener('click', clearError);
  $('sign-in-form').addEventListener('submit', (event) => {
    event.preventDefault();
    act(() => signIn($('user-name').value.trim()));
  });
  $('sign-out').addEventListener('click', () => {
    log(`Signed out ${state.auth?.userName ?? ''}.`);
    signOut();
  });
  $('create-stage-form').addEventListener('submit', (event) => {
    event.preventDefault();
    act(() => createStage($('stage-name').value.trim(), $('stage-visibility').value, $('stage-recording').checked));
  });
  $('stage-scope').addEventListener('change', (event) => {
    state.scope = event.target.value;
    act(() => refreshStages());
  });
  $('refresh-stages').addEventListener('click', () => act(() => refreshStages()));
  $('more-stages').addEventListener('click', () => act(() => refreshStages({ more: true })));
  $('delete-stage').addEventListener('click', () => act(() => deleteStage()));
  $('start-composition').addEventListener('click', () => act(() => startComposition()));
  $('mint-token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const capabilities = [...event.target.querySelectorAll('input[name="capability"]:checked')].map((box) => box.value);
    const minutes = Number.parseInt($('token-duration').value, 10);
    act(() => mintToken(capabilities, Number.isNaN(minutes) ? undefined : minutes));
  });
}

async function start() {
  wire();
  const response = await fetch('/config.json');
  if (!response.ok) throw new RequestError('Console', response.status, 'No configuration', '/config.json did not answer.');
  state.config = await response.json();
  state.config.apiUrl = state.config.apiUrl.replace(/\/+$/, '');
  state.client = createIvsServerlessClient({ baseUrl: state.config.apiUrl, token: currentToken });
  if (state.config.liveUrl) {
    state.live = new LiveChannel({
      url: state.config.liveUrl,
      token: currentToken,
      onStatus: renderLiveStatus,
      onMessage: onLiveMessage,
      onResync: onLiveResync,
      onError: onLiveError,
    });
  }
  hostTools = installHostTools({ state, api, sim, act, el, button, log, root: $('host-tools') });
  recordings = installRecordings({ state, api, act, el, button, log, root: $('recordings'), RequestError, showError });
  $('endpoints').textContent = `API ${state.config.apiUrl} · issuer ${state.config.issuerUrl} · emulator ${state.config.emulatorUrl}`
    + (state.config.liveUrl ? ` · live ${state.config.liveUrl}` : '');
  state.auth = loadAuth();
  renderAuth();
  if (state.auth) state.live?.start();
  if (state.auth) await refreshStages();
  document.body.dataset.ready = 'true';
}

start().catch(showError);
