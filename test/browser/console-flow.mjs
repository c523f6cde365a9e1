// Drives the local host's web console in the machine's Chromium, as a user would:
// sign in as a dev user → create a stage → mint a host token → simulate join + publish → wait until the
// participant's row in the live (API-projected) list shows "publishing" → full-page screenshot; then checks the
// session history (when the API serves it) and that an API error (problem+json) is shown to the user; then the
// API reference at /docs, "Try it out" with the same dev sign-in.
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
  steps: [],
  pageErrors: [], // uncaught exceptions in the page: a bug
  consoleErrors: [], // includes the expected 400 of the last step
};

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

let browser;
let page;
try {
  await step('launch', async () => {
    // --no-sandbox: the tests run as root on CI, where Chromium refuses its sandbox.
    browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'], timeout: 30_000 });
    report.browserVersion = browser.version();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
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

  await step('create-stage', async () => {
    await page.getByLabel('Name', { exact: true }).fill(stageName);
    await page.getByTestId('create-stage').click();
    await page.getByTestId('stage-title').filter({ hasText: stageName }).waitFor();
    const row = page.getByTestId('stage-row').and(page.locator(`[data-stage-name="${stageName}"]`));
    report.stageId = await row.getAttribute('data-stage-id');
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

  await step('simulate-join', async () => {
    await tokenRow().getByTestId('sim-join').click();
    await page.locator(`[data-testid="token-row"][data-participant-id="${report.participantId}"][data-joined="true"]`).waitFor();
  });

  await step('simulate-publish', async () => {
    await tokenRow().getByTestId('sim-publish').click();
    await page.locator(`[data-testid="token-row"][data-participant-id="${report.participantId}"][data-published="true"]`).waitFor();
  });

  await step('sees-participant-publishing', async () => {
    const row = page.locator(`[data-testid="participant-row"][data-participant-id="${report.participantId}"]`);
    await row.getByTestId('participant-media').filter({ hasText: /^publishing$/ }).waitFor({ timeout: PUBLISHING_TIMEOUT_MS });
    return { userId: await row.locator('td').nth(1).textContent() };
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
