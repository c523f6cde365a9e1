// Drives the local host's web console in the machine's Chromium, as a user would:
// sign in as a dev user → the live-updates indicator shows "live" → create a stage → mint a host token → simulate
// join + publish → wait until the participant's row in the live list shows "publishing" → start and stop a
// composition → unpublish; all of it reaches the page over the push channel: no GET /stages/{stageId} after the stage
// page loaded. Then the live connection is cut (Playwright's WebSocket route): the console reconnects by itself and
// refetches the stage exactly once. Then a kick reaches the kicked user, the host tools start a simulated encoder with a
// stream key shown once, a full-page screenshot; then checks the session history (when the API serves it); then a stage
// created with "record participants": a participant publishes and leaves, its recording shows ENDED with a thumbnail in
// the session's details, hls.js (served by the local host) parses its playlist in the console's player, and the owner
// deletes it; then that an API error (problem+json) is shown to the user; then the API reference at /docs, "Try it out"
// with the same dev sign-in.
//
//   node console-flow.mjs <consoleUrl> <screenshot.png> <chromium executable>
//
// Prints one JSON object on stdout ({ ok, steps: [{ name, ok, ms, error? }], ... }) and exits 0 when every
// step passed, 1 otherwise (the screenshot is still taken when the page got that far), 2 on bad arguments.
// Run by test/IvsServerless.Console.Tests (ConsoleBrowserTests).

import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';

const [consoleUrl, screenshotPath, executablePath] = process.argv.slice(2);
if (!consoleUrl || !screenshotPath || !executablePath) {
  console.error('usage: node console-flow.mjs <consoleUrl> <screenshot.png> <chromium executable>');
  process.exit(2);
}

// Generous: under a full parallel test run on 2 cores a click can take seconds; a passing run waits for none of it.
const STEP_TIMEOUT_MS = 20_000;
const PUBLISHING_TIMEOUT_MS = 30_000;
// The recording's end travels emulator → S3 writes → event → projection → push; then the list shows it.
const RECORDING_TIMEOUT_MS = 60_000;
const userName = 'alice';
const stageName = `console-e2e-${randomBytes(4).toString('hex')}`;

const report = {
  ok: false,
  consoleUrl,
  playwrightVersion: createRequire(import.meta.url)('playwright-core/package.json').version,
  browserVersion: null,
  userName,
  stageName,
  stageId: null,
  participantId: null,
  screenshot: null,
  recording: { stageId: null, participantId: null, recordingId: null, screenshot: null },
  steps: [],
  pageErrors: [], // uncaught exceptions in the page: a bug
  consoleErrors: [], // includes the expected 400 of the last step
  requestsAfterLoad: null, // method + path of every request after the stage page loaded, until the reconnect
};

// Every live-updates WebSocket the page opens goes through a Playwright route that forwards it to the real server,
// so a step can cut one as a network failure would.
const liveSockets = [];
// Requests recorded from the moment the stage page loaded (null: not recording).
let recorded = null;
const stageFetches = () => (recorded ?? []).filter((r) => r.method === 'GET' && r.path.endsWith(`/stages/${report.stageId}`));

async function step(name, action) {
  const started = performance.now();
  try {
    const details = await action();
    report.steps.push({ name, ok: true, ms: Math.round(performance.now() - started), ...(details ? { details } : {}) });
  } catch (error) {
    report.steps.push({ name, ok: false, ms: Math.round(performance.now() - started), error: String(error?.message ?? error) });
    throw error;
  }
}

// Polls a condition (no fixed sleeps): fails after STEP_TIMEOUT_MS.
async function expectEventually(condition, what) {
  const deadline = performance.now() + STEP_TIMEOUT_MS;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => { setTimeout(resolve, 50); });
  }
}

let browser;
let page;
try {
  await step('launch', async () => {
    // --no-sandbox: the tests run as root on CI, where Chromium refuses its sandbox.
    browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'], timeout: 30_000 });
    report.browserVersion = browser.version();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    await page.routeWebSocket(() => true, (socket) => {
      socket.connectToServer();
      liveSockets.push(socket);
    });
    page.on('request', (request) => {
      if (recorded) recorded.push({ method: request.method(), path: new URL(request.url()).pathname });
    });
    page.on('pageerror', (error) => report.pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') report.consoleErrors.push(message.text());
    });
  });

  await step('open', async () => {
    await page.goto(consoleUrl);
    await page.locator('body[data-ready="true"]').waitFor();
  });

  await step('sign-in', async () => {
    await page.getByLabel('User name').fill(userName);
    await page.getByTestId('sign-in').click();
    await page.getByTestId('signed-in-user').filter({ hasText: userName }).waitFor();
  });

  const liveStatus = (state) => page.locator(`[data-testid="live-status"][data-state="${state}"]`);

  await step('live-connected', async () => {
    await liveStatus('live').waitFor();
    return { sockets: liveSockets.length, shows: await page.getByTestId('live-status').textContent() };
  });

  await step('create-stage', async () => {
    await page.getByLabel('Name', { exact: true }).fill(stageName);
    await page.getByTestId('create-stage').click();
    await page.getByTestId('stage-title').filter({ hasText: stageName }).waitFor();
    const row = page.getByTestId('stage-row').and(page.locator(`[data-stage-name="${stageName}"]`));
    report.stageId = await row.getAttribute('data-stage-id');
    // The stage page loaded (fetched once its subscription answered): from here on, record every request.
    recorded = [];
    return { stageId: report.stageId };
  });

  await step('mint-token', async () => {
    await page.getByTestId('mint-token').click();
    const row = page.getByTestId('token-row').first();
    await row.waitFor();
    report.participantId = await row.getAttribute('data-participant-id');
    const shown = await row.getByTestId('token-value').textContent();
    if (!shown.includes('…') || shown.length > 24) throw new Error(`the token is not shown truncated: ${shown.length} characters`);
    return { participantId: report.participantId, capabilities: await row.locator('td').nth(1).textContent() };
  });

  const tokenRow = () => page.locator(`[data-testid="token-row"][data-participant-id="${report.participantId}"]`);

  const participantRow = () => page.locator(`[data-testid="participant-row"][data-participant-id="${report.participantId}"]`);
  const compositionRow = (state) => page.locator(`[data-testid="composition-row"][data-state="${state}"]`);

  await step('simulate-join', async () => {
    await tokenRow().getByTestId('sim-join').click();
    await page.locator(`[data-testid="token-row"][data-participant-id="${report.participantId}"][data-joined="true"]`).waitFor();
  });

  await step('sees-participant-joined', async () => {
    await participantRow().waitFor({ timeout: PUBLISHING_TIMEOUT_MS });
  });

  await step('simulate-publish', async () => {
    await tokenRow().getByTestId('sim-publish').click();
    await page.locator(`[data-testid="token-row"][data-participant-id="${report.participantId}"][data-published="true"]`).waitFor();
  });

  await step('sees-participant-publishing', async () => {
    const row = participantRow();
    await row.getByTestId('participant-media').filter({ hasText: /^publishing$/ }).waitFor({ timeout: PUBLISHING_TIMEOUT_MS });
    return { userId: await row.locator('td').nth(1).textContent() };
  });

  await step('sees-stage-live', async () => {
    await page.getByTestId('stage-live').filter({ hasText: /^live$/ }).waitFor({ timeout: PUBLISHING_TIMEOUT_MS });
  });

  await step('composition-start', async () => {
    await page.getByTestId('start-composition').click();
    await compositionRow('ACTIVE').waitFor({ timeout: PUBLISHING_TIMEOUT_MS });
    return { compositionId: await compositionRow('ACTIVE').getAttribute('data-composition-id') };
  });

  await step('composition-stop', async () => {
    await compositionRow('ACTIVE').getByTestId('stop-composition').click();
    await compositionRow('STOPPED').waitFor({ timeout: PUBLISHING_TIMEOUT_MS });
  });

  await step('simulate-unpublish', async () => {
    await tokenRow().getByTestId('sim-unpublish').click();
    await page.locator(`[data-testid="token-row"][data-participant-id="${report.participantId}"][data-published="false"]`).waitFor();
    await participantRow().getByTestId('participant-media').filter({ hasText: /^connected$/ })
      .waitFor({ timeout: PUBLISHING_TIMEOUT_MS });
  });

  await step('no-stage-polling', async () => {
    // Everything above reached the page over the push channel: not one GET /stages/{stageId} since the page loaded.
    const fetches = stageFetches();
    const byPath = {};
    for (const { method, path } of recorded) byPath[`${method} ${path}`] = (byPath[`${method} ${path}`] ?? 0) + 1;
    report.requestsAfterLoad = byPath;
    if (fetches.length > 0) throw new Error(`the console fetched the stage ${fetches.length} time(s) after it loaded`);
    if (!(await liveStatus('live').isVisible())) throw new Error('the live indicator no longer shows live');
    return { requests: byPath };
  });

  await step('reconnects-and-refetches-once', async () => {
    // Cut the connection as a network failure would: the console shows it, reconnects with backoff, resubscribes and
    // refetches the stage once (changes made while disconnected are not replayed).
    const before = liveSockets.length;
    await liveSockets[before - 1].close({ code: 1006, reason: 'cut by the test' }).catch(() => {});
    await liveStatus('live').waitFor({ state: 'detached' });
    await liveStatus('live').waitFor();
    await expectEventually(() => stageFetches().length === 1, 'the stage is refetched after the reconnect');
    // Still pushed after the reconnect: a new publish shows without a further fetch.
    await tokenRow().getByTestId('sim-publish').click();
    await participantRow().getByTestId('participant-media').filter({ hasText: /^publishing$/ })
      .waitFor({ timeout: PUBLISHING_TIMEOUT_MS });
    if (stageFetches().length !== 1) throw new Error(`expected one refetch after the reconnect, saw ${stageFetches().length}`);
    return { sockets: liveSockets.length - before, stageFetches: stageFetches().length };
  });

  await step('kick-reaches-the-user', async () => {
    // The participant carries the dev user's id: the owner kicking it is also the kicked user, told over the channel.
    await participantRow().getByTestId('kick-participant').click();
    await page.getByTestId('activity').locator('li.notice').filter({ hasText: 'was disconnected from' }).first().waitFor();
  });

  await step('host-tools-encoder', async () => {
    // The owner's host tools: an ingest configuration shows its stream key once, the simulated encoder joins with it and
    // publishes, and its participant reaches the live list over the push channel; nobody is banned (the kick was no ban).
    await page.getByTestId('create-ingest').click();
    const key = (await page.getByTestId('ingest-stream-key').textContent()).trim();
    if (!key) throw new Error('no stream key shown after creating an ingest configuration');
    await page.getByTestId('ingest-row').first().getByTestId('sim-encoder').click();
    await page.locator(`[data-testid="participant-row"]:not([data-participant-id="${report.participantId}"])`)
      .getByTestId('participant-media').filter({ hasText: /^publishing$/ }).first().waitFor({ timeout: PUBLISHING_TIMEOUT_MS });
    await page.getByTestId('ban-list').filter({ hasText: 'Nobody is banned.' }).waitFor();
    return { ingestRows: await page.getByTestId('ingest-row').count() };
  });

  await step('no-error-shown', async () => {
    if (await page.getByTestId('error').isVisible()) {
      throw new Error(`the console shows an error: ${await page.getByTestId('error').textContent()}`);
    }
  });

  await step('screenshot', async () => {
    await page.screenshot({ path: screenshotPath, fullPage: true });
    report.screenshot = screenshotPath;
  });

  await step('session-history', async () => {
    // Shown when the API serves session history: the stage's live session is listed.
    const notServed = page.getByTestId('session-list-empty').filter({ hasText: 'serves no session history' });
    const liveSession = page.getByTestId('session-row').first();
    await notServed.or(liveSession).first().waitFor();
    if (await notServed.isVisible()) return { served: false };
    return { served: true, sessionId: await liveSession.getAttribute('data-session-id') };
  });

  const recordingStageName = `${stageName}-rec`;
  const recordingRow = (state) => page.locator(`[data-testid="recording-row"][data-state="${state}"]`);

  await step('create-recording-stage', async () => {
    await page.getByLabel('Name', { exact: true }).fill(recordingStageName);
    await page.getByTestId('stage-recording').check();
    await page.getByTestId('create-stage').click();
    await page.getByTestId('stage-title').filter({ hasText: recordingStageName }).waitFor();
    const row = page.getByTestId('stage-row').and(page.locator(`[data-stage-name="${recordingStageName}"]`));
    report.recording.stageId = await row.getAttribute('data-stage-id');
    const facts = await page.getByTestId('stage-facts').textContent();
    if (!facts.includes('individual participants')) throw new Error(`the stage does not say it records: ${facts}`);
    return { stageId: report.recording.stageId };
  });

  await step('record-a-participant', async () => {
    // Mint → join → publish (IVS starts recording the publisher) → leave (the recording ends), all from the console.
    await page.getByTestId('mint-token').click();
    const token = page.getByTestId('token-row').first();
    await token.waitFor();
    const participantId = await token.getAttribute('data-participant-id');
    report.recording.participantId = participantId;
    const tokenOf = (flags) => page.locator(`[data-testid="token-row"][data-participant-id="${participantId}"]${flags}`);
    await tokenOf('').getByTestId('sim-join').click();
    await tokenOf('[data-joined="true"]').waitFor();
    await tokenOf('').getByTestId('sim-publish').click();
    await tokenOf('[data-published="true"]').waitFor();
    const live = page.locator(`[data-testid="participant-row"][data-participant-id="${participantId}"]`);
    await live.getByTestId('participant-recording').filter({ hasText: 'ACTIVE' }).waitFor({ timeout: RECORDING_TIMEOUT_MS });
    await tokenOf('').getByTestId('sim-leave').click();
    await tokenOf('[data-joined="false"]').waitFor();
    return { participantId };
  });

  await step('recording-ended', async () => {
    // The session's details list its recordings; the one just made turns ENDED once its objects are written.
    const session = page.getByTestId('session-row').first();
    await session.waitFor({ timeout: PUBLISHING_TIMEOUT_MS });
    await session.getByTestId('session-details').click();
    await page.getByTestId('recordings').waitFor();
    const ended = recordingRow('ENDED').and(page.locator(`[data-recording-id$="~${report.recording.participantId}"]`));
    await ended.waitFor({ timeout: RECORDING_TIMEOUT_MS });
    report.recording.recordingId = await ended.getAttribute('data-recording-id');
    // The first thumbnail, a presigned URL of the local S3 server, decoded by the browser.
    const thumbnail = ended.getByTestId('recording-thumbnail');
    await thumbnail.waitFor();
    await page.waitForFunction((img) => img.complete && img.naturalWidth > 0, await thumbnail.elementHandle(),
      { timeout: STEP_TIMEOUT_MS });
    const playlist = await ended.getByTestId('recording-playlist').getAttribute('href');
    return {
      recordingId: report.recording.recordingId,
      thumbnailWidth: await thumbnail.evaluate((img) => img.naturalWidth),
      playlistRoute: new URL(playlist).pathname,
    };
  });

  await step('recording-manifest-parsed', async () => {
    // Play: the console imports hls.js from the local host (/vendor/), which loads the playback URL and reports
    // MANIFEST_PARSED (data-manifest-parsed on the player).
    await recordingRow('ENDED').getByTestId('play-recording').click();
    const player = page.locator(`[data-testid="recording-player"][data-recording-id="${report.recording.recordingId}"]`);
    await player.and(page.locator('[data-manifest-parsed="true"]')).waitFor({ timeout: PUBLISHING_TIMEOUT_MS });
    // hls.js goes on to fetch the first segment (a presigned URL of the local S3 server, another origin) or gives up.
    await player.and(page.locator('[data-fragments-loaded], [data-fatal-error]')).waitFor({ timeout: PUBLISHING_TIMEOUT_MS });
    report.recording.screenshot = screenshotPath.replace(/\.png$/, '-recordings.png');
    await page.getByTestId('recordings').screenshot({ path: report.recording.screenshot });
    return {
      engine: await player.getAttribute('data-engine'),
      levels: Number(await player.getAttribute('data-levels')),
      fragmentsLoaded: Number((await player.getAttribute('data-fragments-loaded')) ?? 0),
      lastError: await player.getAttribute('data-last-error'),
      fatalError: await player.getAttribute('data-fatal-error'),
      status: await player.getByTestId('recording-player-status').textContent(),
    };
  });

  await step('recording-deleted', async () => {
    // The owner deletes it (click twice): its objects go, and the list no longer shows it.
    const mine = page.locator(`[data-testid="recording-row"][data-recording-id="${report.recording.recordingId}"]`);
    await mine.getByTestId('delete-recording').click();
    await mine.getByTestId('delete-recording').filter({ hasText: 'Confirm delete' }).click();
    await mine.waitFor({ state: 'detached' });
    await page.getByTestId('recording-player').waitFor({ state: 'detached' });
    if (await page.getByTestId('error').isVisible()) {
      throw new Error(`the console shows an error: ${await page.getByTestId('error').textContent()}`);
    }
  });

  await step('shows-api-error', async () => {
    // A token with no capability is refused by the API (400): its problem+json title and detail appear.
    await page.getByTestId('cap-publish').uncheck();
    await page.getByTestId('cap-subscribe').uncheck();
    await page.getByTestId('mint-token').click();
    const banner = page.getByTestId('error');
    await banner.waitFor();
    const title = await page.getByTestId('error-title').textContent();
    if (!title.includes('400')) throw new Error(`expected a 400 from the API, the console shows: ${title}`);
    return { title, detail: await page.getByTestId('error-detail').textContent() };
  });

  await step('api-reference', async () => {
    // /docs on the same origin: Swagger UI over openapi.yaml, authorized with this tab's dev sign-in; "Try it out"
    // on GET /stages reaches the API front and lists the stage created above. The first run installs Swagger UI.
    await page.goto(new URL('docs/', consoleUrl).href);
    await page.locator('body[data-ready="true"]').waitFor({ timeout: 90_000 });
    const authorizedAs = await page.locator('body').getAttribute('data-authorized-as');
    if (authorizedAs !== userName) throw new Error(`the reference is not authorized as ${userName} (${authorizedAs})`);
    const operations = await page.locator('.opblock').count();
    const listStages = page.locator('#operations-default-listStages');
    await listStages.locator('.opblock-summary').click();
    await listStages.getByRole('button', { name: 'Try it out' }).click();
    await listStages.getByRole('button', { name: 'Execute' }).click();
    const status = listStages.locator('.live-responses-table .response .response-col_status').first();
    await status.waitFor();
    const answered = (await status.textContent()).trim();
    const body = (await listStages.locator('.live-responses-table .response-col_description pre').first().textContent()) ?? '';
    if (answered !== '200') throw new Error(`GET /stages from the reference answered ${answered}: ${body.slice(0, 300)}`);
    return { operations, status: Number(answered), listsTheStage: body.includes(stageName) };
  });

  report.ok = true;
} catch {
  // The failed step is in the report; the screenshot below shows where the page was.
} finally {
  if (page && !report.screenshot) {
    try {
      await page.screenshot({ path: screenshotPath, fullPage: true });
      report.screenshot = screenshotPath;
    } catch (error) {
      report.screenshotError = error.message;
    }
  }
  if (page && !report.ok) {
    report.errorBanner = await page.getByTestId('error').textContent({ timeout: 1000 }).catch(() => null);
  }
  await browser?.close().catch(() => {});
}

process.stdout.write(JSON.stringify(report) + '\n');
process.exit(report.ok ? 0 : 1);
