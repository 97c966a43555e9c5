#!/usr/bin/env node
// End-to-end check of the web UI in a real (headless) Chromium against a running
// server. No test runner: plain steps with node:assert.
//
//   E2E_BASE_URL   server that serves the UI at / and the API at /api (default http://127.0.0.1:18080)
//   E2E_APP_URL    where the UI is, if not at E2E_BASE_URL/ (e.g. a Vite preview proxying the API)
//   CHROMIUM_PATH  browser binary (default /usr/bin/chromium); never downloaded
//   E2E_BULK       how many tickets to create through the API for "Load more" (default 105)
//   E2E_WAIT_MS    how long to wait for /healthz before giving up (default 60000)
//
// The database should be empty and throwaway: tickets are created and changed.
// Prints one PASS/FAIL line per step; on failure saves test-results/<step>.png
// and exits 1. On success saves test-results/app.png (1280x900).

import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
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

let browser;
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

async function api(method, urlPath, body) {
  const response = await fetch(`${BASE}${urlPath}`, {
    method,
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
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
  let category;
  let createdId;

  await step('server-up', async () => {
    await waitFor(
      async () => {
        const response = await fetch(`${BASE}/healthz`);
        return response.ok;
      },
      { timeout: WAIT_MS, interval: 500, message: `${BASE}/healthz` },
    );
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
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(APP_URL, { waitUntil: 'domcontentloaded' });
    await page.getByRole('heading', { level: 1, name: 'Helpdesk' }).waitFor();
    await newTicketForm().waitFor();
    await statValue('Total tickets');
    await waitForListSettled();
  });

  await step('suggestion', async () => {
    const form = newTicketForm();
    await form.getByLabel('Title').fill(title);
    await form.getByLabel('Description').fill(description);
    await form.getByText(/Suggested by (AI|offline rules)/).waitFor({ timeout: 30_000 });
    category = await form.getByLabel(/^Category/).inputValue();
    const priority = await form.getByLabel(/^Priority/).inputValue();
    assert.match(category, /^(billing|technical|account|general)$/, 'category pre-filled');
    assert.match(priority, /^(low|medium|high|critical)$/, 'priority pre-filled');
  });

  await step('create', async () => {
    const form = newTicketForm();
    await form.getByRole('button', { name: 'Create ticket' }).click();
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
