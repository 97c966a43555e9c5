#!/usr/bin/env node
// End-to-end check of the web UI in a real (headless) Chromium against a running
// server. No test runner: plain steps with node:assert.
//
//   E2E_BASE_URL   server that serves the UI at / and the API at /api (default http://127.0.0.1:18080)
//   E2E_APP_URL    where the UI is, if not at E2E_BASE_URL/ (e.g. a Vite preview proxying the API)
//   CHROMIUM_PATH  browser binary (default /usr/bin/chromium); never downloaded
//   E2E_BULK       how many tickets to create through the API for "Load more" (default 105)
//   E2E_WAIT_MS    how long to wait for /healthz before giving up (default 60000)
//   E2E_SETUP_URL  the first-run setup address (http://HOST:PORT/setup?code=…), or
//   E2E_SERVER_LOG a file holding the server's log, where the setup address is read from
//
// The database must be empty and throwaway (no account yet): the run sets up the first
// admin, creates an agent and an API token, tries the API from its docs page (/api/docs),
// creates and changes tickets, and ends by tripping the sign-in throttle for the agent's
// account and this client.
// Prints one PASS/FAIL line per step; on failure saves test-results/<step>.png
// and exits 1. On success saves test-results/app.png (1280x900).

import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const resultsDir = path.resolve(here, '..', 'test-results');
const BASE = (process.env.E2E_BASE_URL || 'http://127.0.0.1:18080').replace(/\/+$/, '');
const APP_URL = process.env.E2E_APP_URL || `${BASE}/`;
const BULK = Number(process.env.E2E_BULK || 105);
const WAIT_MS = Number(process.env.E2E_WAIT_MS || 60_000);
const TIMEOUT = 15_000;
const runId = `e2e${Date.now().toString(36)}`;
const APP_ORIGIN = new URL(APP_URL).origin;

const ADMIN = { name: 'Ada Admin', email: `ada-${runId}@example.com`, password: 'correct horse battery staple' };
const AGENT = { name: 'Ann Agent', email: `ann-${runId}@example.com`, password: 'another long passphrase' };
/** The API token made in Team & tokens; Node's own API calls use it. */
let apiToken = null;

let browser;
let context;
let page;
const pageErrors = [];

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `fn` until it returns a truthy value (or stops throwing). */
async function waitFor(fn, { timeout = TIMEOUT, interval = 100, message = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let lastError;
  while (Date.now() < deadline) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    await sleep(interval);
  }
  throw new Error(`Timed out after ${timeout} ms waiting for ${message}${lastError ? `: ${lastError.message}` : ''}`);
}

async function step(name, fn) {
  const started = Date.now();
  try {
    await fn();
    assert.deepEqual(pageErrors, [], 'uncaught errors in the page');
    console.log(`PASS ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    console.log(`FAIL ${name}: ${error.message.split('\n')[0]}`);
    if (page) {
      const file = path.join(resultsDir, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true }).catch(() => {});
      console.log(`     screenshot: ${path.relative(process.cwd(), file)}`);
    }
    throw error;
  }
}

/** A call from Node (no cookie): with the API token once there is one. */
async function api(method, urlPath, body, { auth = true } = {}) {
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (auth && apiToken) headers.Authorization = `Bearer ${apiToken}`;
  const response = await fetch(`${BASE}${urlPath}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = text;
  }
  return { status: response.status, data };
}

// ----- page helpers (roles and labels only) -----

const ticketList = () => page.getByRole('list', { name: 'Tickets, newest first' });
const articles = () => ticketList().getByRole('article');
const card = (title) => page.getByRole('article', { name: title, exact: true });
const newTicketForm = () => page.getByRole('form', { name: 'New ticket' });
const filters = () => page.getByRole('search', { name: 'Filter tickets' });
const loadMoreButton = () => page.getByRole('button', { name: 'Load more', exact: true });
const publicForm = () => page.getByRole('form', { name: 'Submit a ticket' });
const signInForm = (p = page) => p.getByRole('form', { name: 'Sign in' });
const userMenuButton = (name, p = page) => p.getByRole('banner').getByRole('button', { name: new RegExp(`^${name}`) });
const editForm = (p = page) => p.getByRole('form', { name: 'Edit ticket' });
const historyList = (p = page) => p.getByRole('list', { name: 'History, oldest first' });
/** A timeline entry by who did it and (part of) what it says. */
const historyEntry = (p, who, text) =>
  historyList(p).locator(':scope > li').filter({ hasText: who }).filter({ hasText: text });
const isTicketPatch = (request, id) =>
  request.method() === 'PATCH' && new URL(request.url()).pathname.replace(/\/+$/, '') === `/api/tickets/${id}`;

/** Where the classifier was not sure enough to choose, takes its suggestion ("Use it"). */
async function acceptSuggestions(form) {
  for (const button of await form.getByRole('button', { name: /^Use it: / }).all()) await button.click();
}

/** Reports uncaught errors and CSP violations of a page as step failures. */
async function watchPage(p) {
  p.setDefaultTimeout(TIMEOUT);
  p.on('pageerror', (error) => pageErrors.push(error.message));
  p.on('console', (message) => {
    // The server sends a strict CSP: any violation is a bug in the UI.
    if (/Content.Security.Policy|securitypolicyviolation/i.test(message.text())) pageErrors.push(message.text());
  });
  // Chromium logs most violations to the console, but the event is the one sure report.
  await p.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(
        `securitypolicyviolation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline'} at ${event.sourceFile}:${event.lineNumber}`,
      );
    });
  });
}

/** The setup address the server printed once in its log. */
async function setupUrl() {
  if (process.env.E2E_SETUP_URL) return process.env.E2E_SETUP_URL;
  const log = process.env.E2E_SERVER_LOG;
  assert.ok(log, 'set E2E_SETUP_URL or E2E_SERVER_LOG (a file with the server log)');
  return waitFor(
    async () => {
      const text = await readFile(log, 'utf8');
      return /https?:\/\/[^\s"'<>]+\/setup\?code=[^\s"'<>]+/.exec(text)?.[0].replace(/[.,;:)\]}]+$/, '');
    },
    { message: `a setup address in ${log}` },
  );
}

async function signInAs(person, p = page) {
  const form = signInForm(p);
  await form.waitFor();
  await form.getByLabel('E-mail').fill(person.email);
  await form.getByLabel('Password').fill(person.password);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await userMenuButton(person.name, p).waitFor();
}

async function signOut(person) {
  await userMenuButton(person.name).click();
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await publicForm().waitFor();
  await page.getByRole('banner').getByRole('link', { name: 'Sign in' }).waitFor();
}

/** Submits the sign-in form and returns the HTTP status of POST /api/auth/login/. */
async function attemptSignIn(email, password) {
  const form = signInForm();
  await form.getByLabel('E-mail').fill(email);
  await form.getByLabel('Password').fill(password);
  const [response] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname.startsWith('/api/auth/login') && r.request().method() === 'POST'),
    form.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  return response.status();
}

async function statValue(name) {
  // <dt>name</dt><dd>value</dd> (Playwright does not name definitions by aria-labelledby).
  const term = page.getByRole('term').filter({ hasText: new RegExp(`^${name}$`) });
  const text = await term.locator('xpath=following-sibling::dd[1]').textContent({ timeout: TIMEOUT });
  const value = Number(String(text).replace(/[^0-9.]/g, ''));
  assert.ok(Number.isFinite(value), `stat "${name}" is not a number: ${text}`);
  return value;
}

async function articleCount() {
  return (await ticketList().count()) === 0 ? 0 : articles().count();
}

async function waitForListSettled() {
  await waitFor(async () => (await page.locator('[aria-busy="true"]').count()) === 0, {
    message: 'the page to finish loading',
  });
}

// ----- bulk data -----

const SAMPLES = [
  ['Invoice shows the wrong VAT rate', 'billing', 'medium', 'Our March invoice applies 21% VAT but we are VAT-exempt; the exemption certificate is on file.'],
  ['Cannot reset my password', 'account', 'high', 'The reset email never arrives. I checked spam and tried twice from different browsers.'],
  ['API returns 500 on large exports', 'technical', 'critical', 'Exports above 10k rows fail with a 500 error since this morning; smaller exports still work.'],
  ['How do I add a teammate?', 'general', 'low', 'We just hired someone and I cannot find where to invite them to our workspace.'],
  ['Charged after cancelling', 'billing', 'high', 'I cancelled my plan last week but was still charged on the 1st. Please refund the payment.'],
  ['Two-factor codes rejected', 'account', 'critical', 'Every 2FA code from my authenticator app is rejected, so I am locked out of the admin account.'],
  ['Dashboard loads slowly', 'technical', 'medium', 'The analytics dashboard takes more than 20 seconds to load for our team in Europe.'],
  ['Feature request: dark mode', 'general', 'low', 'Several of our agents would love a dark theme for late shifts.'],
];

async function createBulk(count) {
  const statuses = [];
  let index = 0;
  async function worker() {
    while (index < count) {
      const n = index++;
      const [title, category, priority, description] = SAMPLES[n % SAMPLES.length];
      const { status, data } = await api('POST', '/api/tickets/', {
        title: `${title} (${n + 1})`,
        description: `${description} Reference ${runId}-bulk-${n + 1}.`,
        category,
        priority,
      });
      if (status !== 201) throw new Error(`POST /api/tickets/ #${n + 1} -> ${status} ${JSON.stringify(data)}`);
      statuses.push(status);
    }
  }
  await Promise.all(Array.from({ length: 4 }, worker));
  return statuses.length;
}

// ----- the run -----

async function main() {
  await mkdir(resultsDir, { recursive: true });
  const title = `Refund for duplicate charge ${runId}`;
  const description =
    'I was charged twice for my subscription this month and my credit card statement shows two identical payments. Please refund the duplicate invoice amount.';
  // Without runId: the "search" step expects runId to match the agent's ticket only.
  const publicTitle = 'VPN unreachable from the home office';
  let category;
  let createdId;
  let publicId;

  await step('server-up', async () => {
    await waitFor(
      async () => {
        const response = await fetch(`${BASE}/healthz`);
        return response.ok;
      },
      { timeout: WAIT_MS, interval: 500, message: `${BASE}/healthz` },
    );
  });

  await step('api-needs-credentials', async () => {
    const list = await api('GET', '/api/tickets/');
    assert.equal(list.status, 401, 'GET /api/tickets/ without credentials');
    const setup = await api('GET', '/api/auth/setup/');
    assert.equal(setup.status, 200);
    assert.equal(setup.data?.setup_required, true, 'setup is required: the database must have no account yet');
  });

  await step('open-app', async () => {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: APP_ORIGIN }).catch(() => {});
    page = await context.newPage();
    await watchPage(page);
    await page.goto(APP_URL, { waitUntil: 'domcontentloaded' });
    await page.getByRole('heading', { level: 1, name: 'Helpdesk' }).waitFor();
    // Signed out: only the public form and a way to sign in.
    await publicForm().waitFor();
    await page.getByRole('banner').getByRole('link', { name: 'Sign in' }).waitFor();
    assert.equal(await ticketList().count(), 0, 'no ticket list when signed out');
    assert.equal(await page.getByRole('heading', { name: 'Overview' }).count(), 0, 'no stats when signed out');
  });

  await step('setup', async () => {
    const printed = new URL(await setupUrl());
    await page.goto(`${APP_ORIGIN}/setup${printed.search}`, { waitUntil: 'domcontentloaded' });
    const form = page.getByRole('form', { name: 'Set up Helpdesk' });
    await form.getByLabel('Name').fill(ADMIN.name);
    await form.getByLabel('E-mail').fill(ADMIN.email);
    await form.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await form.getByLabel('Password again').fill(ADMIN.password);
    await form.getByRole('button', { name: 'Create administrator' }).click();
    await userMenuButton(ADMIN.name).waitFor();
    await newTicketForm().waitFor();
    assert.equal(new URL(page.url()).pathname, '/');
    const setup = await api('GET', '/api/auth/setup/');
    assert.equal(setup.data?.setup_required, false, 'setup is complete');
  });

  await step('setup-complete', async () => {
    await page.goto(`${APP_ORIGIN}/setup`, { waitUntil: 'domcontentloaded' });
    await page.getByRole('heading', { name: 'Setup is complete' }).waitFor();
    await page.getByRole('main').getByRole('link', { name: 'Sign in' }).waitFor();
    await page.goto(APP_URL, { waitUntil: 'domcontentloaded' });
    await userMenuButton(ADMIN.name).waitFor();
  });

  await step('team-create-agent', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team & tokens' }).click();
    await page.getByRole('heading', { name: 'Team & tokens' }).waitFor();
    const accounts = page.getByRole('table', { name: 'Accounts' });
    await accounts.getByRole('rowheader', { name: new RegExp(`^${ADMIN.name}`) }).waitFor();
    const form = page.getByRole('form', { name: 'New account' });
    await form.getByLabel('Name').fill(AGENT.name);
    await form.getByLabel('E-mail').fill(AGENT.email);
    await form.getByLabel('Role').selectOption('agent');
    await form.getByLabel('Password').fill(AGENT.password);
    await form.getByRole('button', { name: 'Create account' }).click();
    await form.getByText(`Agent account created for ${AGENT.name}.`).waitFor();
    const row = accounts.getByRole('row').filter({ has: page.getByRole('rowheader', { name: AGENT.name }) });
    await row.waitFor();
    assert.equal(await row.getByLabel(`Role of ${AGENT.name}`).inputValue(), 'agent');
    await row.getByText(AGENT.email).waitFor();
  });

  await step('team-api-token', async () => {
    const name = `e2e-${runId}`;
    const form = page.getByRole('form', { name: 'New API token' });
    await form.getByLabel('Name').fill(name);
    await form.getByLabel('Role').selectOption('agent');
    await form.getByLabel(/Expires in/).fill('1');
    await form.getByRole('button', { name: 'Create token' }).click();
    const secret = page.getByRole('region', { name: `Token “${name}” created` });
    await secret.getByText('you will not see it again').waitFor();
    apiToken = await secret.getByLabel('New API token').inputValue();
    assert.match(apiToken, /^hd_/, 'the token is shown');
    await secret.getByRole('button', { name: 'Copy' }).click();
    await secret.getByText(/Copied to the clipboard|press Ctrl\+C/).waitFor();
    await secret.getByRole('button', { name: 'Done' }).click();
    await secret.waitFor({ state: 'detached' });
    assert.equal(await page.getByText(apiToken).count(), 0, 'the token is not shown again');
    const row = page.getByRole('table', { name: 'API tokens' }).getByRole('row').filter({ has: page.getByRole('rowheader', { name }) });
    await row.getByText(ADMIN.name).waitFor();
    const list = await api('GET', '/api/tickets/');
    assert.equal(list.status, 200, 'the token opens the ticket API');
  });

  await step('api-docs', async () => {
    // The reference at /api/docs, in a second tab of the admin's browser (same cookie).
    const docs = await context.newPage();
    const problems = [];
    const allowed = new Set([APP_ORIGIN, new URL(BASE).origin]);
    docs.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    const docsAssets = new Set();
    docs.on('request', (request) => {
      const url = new URL(request.url());
      if (url.protocol !== 'data:' && !allowed.has(url.origin)) problems.push(`request to another host: ${request.url()}`);
      if (url.pathname.startsWith('/assets/')) docsAssets.add(url.pathname);
    });
    await watchPage(docs);
    try {
      const response = await docs.goto(`${APP_ORIGIN}/api/docs`, { waitUntil: 'domcontentloaded' });
      assert.equal(response.status(), 200, 'GET /api/docs');
      const csp = response.headers()['content-security-policy'] ?? '';
      assert.match(csp, /script-src 'self'/, 'the page is served under the strict CSP');
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, 'the CSP allows nothing inline');
      assert.equal(await docs.title(), 'Helpdesk API');
      const listTickets = docs.locator('#operations-tickets-listTickets');
      await listTickets.getByText('listTickets', { exact: true }).waitFor();
      await listTickets.getByText('/api/tickets/', { exact: true }).waitFor();
      await docs.getByRole('status').filter({ hasText: 'Loading the API reference' }).waitFor({ state: 'hidden' });

      /** Expands an operation, fills its body if given, runs it, and returns the request and the response. */
      async function tryItOut(id, { path: urlPath, body } = {}) {
        const operation = docs.locator(`#${id}`);
        await operation.locator('.opblock-summary-control').click();
        await operation.getByRole('button', { name: 'Try it out' }).click();
        if (body !== undefined) await operation.locator('textarea.body-param__text').fill(JSON.stringify(body));
        const [answer] = await Promise.all([
          docs.waitForResponse((r) => new URL(r.url()).pathname === urlPath),
          operation.getByRole('button', { name: 'Execute' }).click(),
        ]);
        // Swagger UI shows the answer it got.
        await operation.locator('.live-responses-table .response-col_status').filter({ hasText: String(answer.status()) }).waitFor();
        return { request: answer.request(), response: answer };
      }

      // Try it out with the session cookie alone: a read, and a write that passes the Origin check.
      const me = await tryItOut('operations-auth-whoAmI', { path: '/api/auth/me/' });
      assert.equal(me.response.status(), 200, 'GET /api/auth/me/ from the docs page');
      assert.equal((await me.response.json()).email, ADMIN.email, 'the signed-in account');
      assert.equal((await me.request.allHeaders()).authorization, undefined, 'no token was sent: the cookie did it');
      const classify = await tryItOut('operations-tickets-classifyTicket', {
        path: '/api/tickets/classify/',
        body: { description: 'I was charged twice for my subscription this month.' },
      });
      assert.equal(classify.response.status(), 200, 'POST /api/tickets/classify/ from the docs page');

      // The API token, typed into Authorize, is sent as a Bearer token.
      await docs.getByRole('button', { name: 'Authorize' }).first().click();
      const bearer = docs
        .locator('.modal-ux .auth-container')
        .filter({ hasText: '(http, Bearer)' })
        .filter({ hasText: 'helpdesk tokens create' });
      await bearer.getByLabel('auth-bearer-value').fill(apiToken);
      await bearer.getByRole('button', { name: 'Apply credentials' }).click();
      await bearer.getByRole('button', { name: 'Remove authorization' }).waitFor();
      await bearer.getByRole('button', { name: 'Close' }).click();
      await docs.locator('.modal-ux').waitFor({ state: 'detached' });
      const list = await tryItOut('operations-tickets-listTickets', { path: '/api/tickets/' });
      assert.equal(list.response.status(), 200, 'GET /api/tickets/ with the token');
      assert.equal((await list.request.allHeaders()).authorization, `Bearer ${apiToken}`, 'the token was sent');

      assert.deepEqual(problems, [], 'console errors or requests to other hosts on the docs page');

      // The app (open in the first tab since the start) loaded none of the docs page's files
      // but those its own page names (a small runtime chunk both entries share).
      const appHtml = await (await fetch(APP_URL)).text();
      const appFiles = new Set([...appHtml.matchAll(/\/assets\/[^"'\s>]+/g)].map((match) => match[0]));
      const appAssets = await page.evaluate(() =>
        performance.getEntriesByType('resource').map((entry) => new URL(entry.name).pathname),
      );
      const shared = [...docsAssets].filter((asset) => appAssets.includes(asset) && !appFiles.has(asset));
      assert.ok(docsAssets.size >= 3, `the docs page loaded its files: ${[...docsAssets].join(', ')}`);
      assert.deepEqual(shared, [], 'files of the docs page that the app loaded too');
    } catch (error) {
      await docs.screenshot({ path: path.join(resultsDir, 'api-docs-page.png'), fullPage: true }).catch(() => {});
      throw error;
    } finally {
      await docs.close().catch(() => {});
    }
  });

  await step('sign-out-admin', async () => {
    await signOut(ADMIN);
    assert.equal(await ticketList().count(), 0);
  });

  await step('public-submit', async () => {
    const form = publicForm();
    await form.getByLabel('Title').fill(publicTitle);
    await form.getByLabel('Description').fill('My laptop cannot reach the VPN since this morning; the client times out.');
    await form.getByText(/Suggested by (AI|offline rules)/).waitFor({ timeout: 30_000 });
    await acceptSuggestions(form);
    await form.getByRole('button', { name: 'Submit ticket' }).click();
    const status = form.getByRole('status');
    await waitFor(async () => /your ticket #\d+ was submitted/.test((await status.textContent()) ?? ''), {
      message: '"your ticket #… was submitted"',
    });
    publicId = Number(/#(\d+)/.exec(await status.textContent())[1]);
    assert.equal(await form.getByLabel('Title').inputValue(), '', 'form cleared');
    assert.equal(await form.getByLabel('Description').inputValue(), '', 'form cleared');
  });

  await step('sign-in-agent', async () => {
    await page.getByRole('banner').getByRole('link', { name: 'Sign in' }).click();
    await signInAs(AGENT);
    await newTicketForm().waitFor();
    assert.equal(new URL(page.url()).pathname, '/');
    await userMenuButton(AGENT.name).click();
    await page.getByText('Role: Agent').waitFor();
    await page.keyboard.press('Escape');
    assert.equal(await page.getByRole('link', { name: 'Team & tokens' }).count(), 0, 'agents get no Team & tokens');
    await statValue('Total tickets');
    await waitForListSettled();
    await card(publicTitle).waitFor();
    assert.ok(await card(publicTitle).getByText(`#${publicId}`, { exact: true }).isVisible());
  });

  await step('suggestion', async () => {
    const form = newTicketForm();
    await form.getByLabel('Title').fill(title);
    await form.getByLabel('Description').fill(description);
    await form.getByText(/Suggested by (AI|offline rules)/).waitFor({ timeout: 30_000 });
    // A sure suggestion is chosen; an unsure one is shown next to its field with "Use it".
    await acceptSuggestions(form);
    category = await form.getByLabel(/^Category/).inputValue();
    const priority = await form.getByLabel(/^Priority/).inputValue();
    assert.match(category, /^(billing|technical|account|general)$/, 'category pre-filled');
    assert.match(priority, /^(low|medium|high|critical)$/, 'priority pre-filled');
  });

  await step('create', async () => {
    const form = newTicketForm();
    const [request] = await Promise.all([
      page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/tickets/'),
      form.getByRole('button', { name: 'Create ticket' }).click(),
    ]);
    assert.match((await request.allHeaders())['idempotency-key'] ?? '', /^[\x21-\x7e]{1,255}$/, 'Idempotency-Key sent');
    const status = form.getByRole('status');
    await waitFor(async () => /Ticket #\d+ created/.test((await status.textContent()) ?? ''), {
      message: '"Ticket #… created"',
    });
    createdId = Number(/#(\d+)/.exec(await status.textContent())[1]);
    assert.equal(await form.getByLabel('Title').inputValue(), '', 'form cleared');
  });

  await step('in-list', async () => {
    await card(title).waitFor();
    assert.ok(await card(title).getByText(`#${createdId}`, { exact: true }).isVisible(), 'card shows the id');
  });

  await step('filter-by-category', async () => {
    const select = filters().getByLabel('Category');
    await select.selectOption(category);
    await waitForListSettled();
    await card(title).waitFor();
    const other = ['billing', 'technical', 'account', 'general'].find((c) => c !== category);
    await select.selectOption(other);
    await waitForListSettled();
    await card(title).waitFor({ state: 'detached' });
    await select.selectOption('');
    await waitForListSettled();
    await card(title).waitFor();
  });

  await step('search', async () => {
    const search = filters().getByLabel('Search');
    await search.fill(runId);
    await waitFor(async () => (await articleCount()) === 1 && (await card(title).count()) === 1, {
      message: 'only the new ticket to match the search',
    });
    await search.fill(`${runId}-nothing-matches`);
    await page.getByText('No tickets match these filters.').waitFor();
    await search.fill('');
    await card(title).waitFor();
  });

  await step('status-change', async () => {
    const openBefore = await statValue('Open');
    assert.ok(openBefore >= 1, `open count ${openBefore} should include the new ticket`);
    const select = card(title).getByLabel('Status');
    await select.selectOption('resolved');
    await waitFor(async () => (await statValue('Open')) === openBefore - 1, {
      message: `the open count to drop to ${openBefore - 1}`,
    });
    assert.equal(await card(title).getByLabel('Status').inputValue(), 'resolved');
    const { data } = await api('GET', `/api/tickets/?search=${encodeURIComponent(runId)}`);
    assert.equal(data.find((t) => t.id === createdId)?.status, 'resolved', 'saved on the server');
  });

  await step('bulk-create', async () => {
    const created = await createBulk(BULK);
    assert.equal(created, BULK);
  });

  await step('load-more', async () => {
    await page.reload({ waitUntil: 'domcontentloaded' });
    await waitForListSettled();
    const total = await statValue('Total tickets');
    assert.ok(total >= BULK + 1, `total ${total} should be at least ${BULK + 1}`);
    let shown = await waitFor(() => articleCount(), { message: 'the first page' });
    if (total > 100) assert.ok(shown < total, `first page (${shown}) should not hold all ${total} tickets`);
    for (let clicks = 0; (await loadMoreButton().count()) > 0; clicks++) {
      assert.ok(clicks < 100, 'too many Load more clicks');
      await loadMoreButton().click();
      const before = shown;
      shown = await waitFor(async () => {
        const n = await articleCount();
        return n > before ? n : 0;
      }, { message: 'more tickets after Load more' });
    }
    assert.equal(shown, total, 'every ticket is shown once all pages are loaded');
    const ids = await articles().evaluateAll((nodes) =>
      nodes.map((node) => /#(\d+)/.exec(node.textContent ?? '')?.[1]),
    );
    assert.equal(new Set(ids).size, ids.length, 'no ticket is shown twice');
  });

  await step('small-screen', async () => {
    await page.setViewportSize({ width: 360, height: 800 });
    await page.reload({ waitUntil: 'domcontentloaded' });
    await waitForListSettled();
    await articles().first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page scrolls sideways by ${overflow}px at 360px wide`);
  });

  await step('screenshot', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.reload({ waitUntil: 'domcontentloaded' });
    await waitForListSettled();
    await articles().first().waitFor();
    const form = newTicketForm();
    await form.getByLabel('Title').fill('VPN disconnects every few minutes');
    await form
      .getByLabel('Description')
      .fill('Since the last client update the VPN drops every 5–10 minutes and I lose my SSH sessions.');
    await form.getByText(/Suggested by (AI|offline rules)/).waitFor({ timeout: 30_000 });
    await page.mouse.move(0, 0);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(resultsDir, 'app.png'), fullPage: false });
  });

  await step('session-expiry', async () => {
    const form = newTicketForm();
    const draft = `Half-written ${runId}`;
    await form.getByLabel('Title').fill(draft);
    // The server no longer knows this browser: the next call answers 401.
    await context.clearCookies();
    await filters().getByLabel('Status').selectOption('open');
    await page.getByText('Your session has expired — sign in again.').waitFor();
    assert.equal(new URL(page.url()).pathname, '/signin');
    await signInAs(AGENT);
    await newTicketForm().waitFor();
    assert.equal(new URL(page.url()).pathname, '/', 'back on the page where the session expired');
    assert.equal(await newTicketForm().getByLabel('Title').inputValue(), draft, 'the draft survived');
    assert.match(await newTicketForm().getByLabel('Description').inputValue(), /VPN drops/, 'the draft survived');
  });

  await step('cross-origin-write', async () => {
    // context.request shares the browser's cookies: first show the session works...
    const me = await context.request.get(`${BASE}/api/auth/me/`);
    assert.equal(me.status(), 200, 'the session cookie is sent');
    // ...then send a write with it from a foreign origin.
    const forged = await context.request.patch(`${BASE}/api/tickets/${createdId}/`, {
      headers: { Origin: 'http://127.0.0.1:9', 'Content-Type': 'application/json' },
      data: { status: 'closed' },
    });
    assert.equal(forged.status(), 403, 'a cross-origin write carrying the session cookie');
    const { data } = await api('GET', `/api/tickets/${createdId}/`);
    assert.equal(data.status, 'resolved', 'nothing was written');
  });

  // ----- the ticket view, conflicts, the keyboard (the server's ETag, If-Match and history) -----

  const viewTitle = `Printer error E42 ${runId}`;
  let viewId;

  await step('ticket-view-edit', async () => {
    const created = await api('POST', '/api/tickets/', {
      title: viewTitle,
      description: 'The office printer shows error E42 after every job and then needs a restart.',
      category: 'technical',
      priority: 'medium',
    });
    assert.equal(created.status, 201, `POST /api/tickets/ -> ${created.status}`);
    viewId = created.data.id;
    await page.goto(APP_URL, { waitUntil: 'domcontentloaded' });
    await filters().getByLabel('Status').selectOption('');
    await waitForListSettled();
    await card(viewTitle).waitFor();
    // A second page, to see it is still there when coming back.
    const before = await articleCount();
    if ((await loadMoreButton().count()) > 0) {
      await loadMoreButton().click();
      await waitFor(async () => (await articleCount()) > before, { message: 'the second page' });
    }
    const shown = await articleCount();

    await card(viewTitle).getByRole('link', { name: viewTitle }).click();
    await editForm().waitFor();
    assert.equal(new URL(page.url()).pathname, `/tickets/${viewId}`);
    await page.getByRole('heading', { level: 2, name: `#${viewId} ${viewTitle}` }).waitFor();
    await historyEntry(page, 'created the ticket', 'API token').waitFor();

    await editForm().getByLabel('Priority').selectOption('high');
    const [response] = await Promise.all([
      page.waitForResponse((r) => isTicketPatch(r.request(), viewId)),
      editForm().getByRole('button', { name: 'Save changes' }).click(),
    ]);
    assert.equal(response.status(), 200, 'PATCH answered');
    assert.ok((await response.request().allHeaders())['if-match'], 'the save sent If-Match');
    await editForm().getByRole('status').filter({ hasText: 'Changes saved.' }).waitFor();
    await historyEntry(page, AGENT.name, /Priority\s*from Medium →\s*to High/).waitFor();

    await page.getByRole('link', { name: '← All tickets' }).click();
    await card(viewTitle).getByRole('listitem').filter({ hasText: 'Priority: High' }).waitFor();
    await waitForListSettled();
    assert.equal(await articleCount(), shown, 'the loaded pages stay loaded after saving in the ticket view');

    // Deep link: the view loads on its own, history included.
    await page.goto(`${APP_ORIGIN}/tickets/${viewId}`, { waitUntil: 'domcontentloaded' });
    await editForm().waitFor();
    assert.equal(await editForm().getByLabel('Priority').inputValue(), 'high');
    await historyEntry(page, AGENT.name, 'Priority').waitFor();
  });

  await step('conflict-two-users', async () => {
    // The admin, in a second browser, opens the same ticket...
    const adminContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const adminPage = await adminContext.newPage();
      await watchPage(adminPage);
      await adminPage.goto(`${APP_ORIGIN}/signin?next=${encodeURIComponent(`/tickets/${viewId}`)}`, {
        waitUntil: 'domcontentloaded',
      });
      await signInAs(ADMIN, adminPage);
      await editForm(adminPage).waitFor();
      assert.equal(new URL(adminPage.url()).pathname, `/tickets/${viewId}`);
      assert.equal(await editForm(adminPage).getByLabel('Status').inputValue(), 'open');

      // ...the agent (first browser, on the view since the last step) saves a change first...
      await editForm().getByLabel('Status').selectOption('in_progress');
      await editForm().getByRole('button', { name: 'Save changes' }).click();
      await editForm().getByRole('status').filter({ hasText: 'Changes saved.' }).waitFor();

      // ...and the admin's save, based on the older version, gets the conflict.
      const adminTitle = `${viewTitle} (floor 2)`;
      await editForm(adminPage).getByLabel('Title').fill(adminTitle);
      const [refused] = await Promise.all([
        adminPage.waitForResponse((r) => isTicketPatch(r.request(), viewId)),
        editForm(adminPage).getByRole('button', { name: 'Save changes' }).click(),
      ]);
      assert.equal(refused.status(), 412, 'the second save is refused');
      const conflict = adminPage.getByRole('region', { name: 'Not saved: someone else changed this ticket' });
      const since = conflict.getByRole('list', { name: 'Changes since you opened the ticket' });
      await since
        .locator(':scope > li')
        .filter({ hasText: AGENT.name })
        .filter({ hasText: /Status\s*from Open →\s*to In progress/ })
        .waitFor();
      assert.equal(await editForm(adminPage).getByLabel('Title').inputValue(), adminTitle, 'the typed title is kept');
      assert.equal(await editForm(adminPage).getByLabel('Status').inputValue(), 'in_progress', 'their status is shown');

      const [applied] = await Promise.all([
        adminPage.waitForResponse((r) => isTicketPatch(r.request(), viewId)),
        editForm(adminPage).getByRole('button', { name: 'Apply my changes on top' }).click(),
      ]);
      assert.equal(applied.status(), 200, 'applied on top');
      assert.deepEqual(applied.request().postDataJSON(), { title: adminTitle }, 'only the admin’s change is sent');
      await editForm(adminPage).getByRole('status').filter({ hasText: 'Your changes were applied on top.' }).waitFor();
      await historyEntry(adminPage, AGENT.name, /Status\s*from Open →\s*to In progress/).waitFor();
      await historyEntry(adminPage, ADMIN.name, 'Title').waitFor();

      const { data } = await api('GET', `/api/tickets/${viewId}/`);
      assert.equal(data.title, adminTitle, 'the admin’s title is saved');
      assert.equal(data.status, 'in_progress', 'the agent’s status is kept');
      assert.equal(data.priority, 'high', 'the earlier change is kept');
      await page.reload({ waitUntil: 'domcontentloaded' });
      await historyEntry(page, ADMIN.name, 'Title').waitFor();
      await historyEntry(page, AGENT.name, 'Status').waitFor();
    } finally {
      await adminContext.close().catch(() => {});
    }
  });

  await step('keyboard-status', async () => {
    const kbTitle = `Keyboard status ${runId}`;
    const created = await api('POST', '/api/tickets/', {
      title: kbTitle,
      description: 'Changed from the card with the keyboard only.',
      category: 'general',
      priority: 'low',
    });
    assert.equal(created.status, 201);
    const id = created.data.id;
    await page.goto(APP_URL, { waitUntil: 'domcontentloaded' });
    await waitForListSettled();
    const select = card(kbTitle).getByLabel('Status');
    await select.waitFor();
    const patches = [];
    const onRequest = (request) => {
      if (isTicketPatch(request, id)) patches.push(request);
    };
    page.on('request', onRequest);
    try {
      await select.focus();
      await page.keyboard.press('ArrowDown'); // In progress
      await page.keyboard.press('ArrowDown'); // Resolved
      assert.equal(await select.inputValue(), 'resolved');
      await sleep(1000);
      assert.equal(patches.length, 0, 'no PATCH while moving through the options');
      const saved = page.waitForResponse((r) => isTicketPatch(r.request(), id));
      await page.keyboard.press('Enter');
      assert.equal((await saved).status(), 200);
      await sleep(1000);
      assert.equal(patches.length, 1, 'exactly one PATCH for one choice');
      assert.deepEqual(patches[0].postDataJSON(), { status: 'resolved' });
      assert.ok((await patches[0].allHeaders())['if-match'], 'the card sent If-Match');
    } finally {
      page.off('request', onRequest);
    }
    const { data } = await api('GET', `/api/tickets/${id}/`);
    assert.equal(data.status, 'resolved', 'saved on the server');
  });

  await step('sign-out-agent', async () => {
    await signOut(AGENT);
    const me = await context.request.get(`${BASE}/api/auth/me/`);
    assert.equal(me.status(), 401, 'the session is gone');
  });

  await step('sign-in-throttle', async () => {
    await page.getByRole('banner').getByRole('link', { name: 'Sign in' }).click();
    await signInForm().waitFor();
    for (let attempt = 1; attempt <= 5; attempt++) {
      const status = await attemptSignIn(AGENT.email, `wrong password ${attempt}`);
      assert.equal(status, 400, `bad password #${attempt}`);
      await signInForm().getByRole('alert').filter({ hasText: 'Unable to log in with provided credentials.' }).waitFor();
    }
    const sixth = await attemptSignIn(AGENT.email, 'wrong password 6');
    assert.equal(sixth, 429, 'the sixth bad password is throttled');
    await signInForm().getByRole('alert').filter({ hasText: /Too many attempts\. Try again in \d+ seconds?\./ }).waitFor();
  });
}

let exitCode = 0;
try {
  await main();
  console.log(`e2e: all steps passed against ${BASE}`);
} catch {
  exitCode = 1;
  console.log(`e2e: FAILED against ${BASE}`);
} finally {
  await browser?.close().catch(() => {});
}
process.exit(exitCode);
