#!/usr/bin/env node
// A tiny in-memory stand-in for the helpdesk API that also serves dist/.
// For trying the UI and e2e/run.mjs without the Rust server; not used by CI.
//
//   node e2e/mock-server.mjs               # serves on PORT (default 18080)
//   node e2e/mock-server.mjs --run-e2e     # serves on a free port, runs e2e/run.mjs, exits with its code
//
// It follows the documented API: cursor pagination with an absolute RFC 8288
// Link header, field-error 400s, stats and an offline keyword classifier.

import { spawn } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const distDir = path.resolve(here, '..', 'dist');
const CATEGORIES = ['billing', 'technical', 'account', 'general'];
const PRIORITIES = ['low', 'medium', 'high', 'critical'];
const STATUSES = ['open', 'in_progress', 'resolved', 'closed'];
const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

const tickets = [];
let nextId = 1;

function send(res, status, body, headers = {}) {
  const payload = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(payload);
}

async function readJson(req) {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  try {
    return raw ? JSON.parse(raw) : {};
  } catch {
    return null;
  }
}

function validateTicket(body) {
  const errors = {};
  if (typeof body.title !== 'string' || !body.title.trim()) errors.title = ['This field may not be blank.'];
  else if (body.title.length > 200) errors.title = ['Ensure this field has no more than 200 characters.'];
  if (typeof body.description !== 'string' || !body.description.trim())
    errors.description = ['This field may not be blank.'];
  if (body.category === undefined) errors.category = ['This field is required.'];
  else if (!CATEGORIES.includes(body.category)) errors.category = [`"${body.category}" is not a valid choice.`];
  if (body.priority === undefined) errors.priority = ['This field is required.'];
  else if (!PRIORITIES.includes(body.priority)) errors.priority = [`"${body.priority}" is not a valid choice.`];
  return errors;
}

function classify(description) {
  const text = description.toLowerCase();
  const has = (...words) => words.some((w) => text.includes(w));
  const category = has('charge', 'refund', 'invoice', 'payment', 'billing')
    ? 'billing'
    : has('password', 'login', 'log in', 'account', '2fa')
      ? 'account'
      : has('error', 'crash', 'bug', 'vpn', 'slow', 'down', '500')
        ? 'technical'
        : 'general';
  const priority = has('urgent', 'outage', 'locked out', 'critical')
    ? 'critical'
    : has('twice', 'cannot', "can't", 'fail', 'drops')
      ? 'high'
      : has('slow', 'sometimes')
        ? 'medium'
        : 'low';
  return { suggested_category: category, suggested_priority: priority };
}

async function handleApi(req, res, url) {
  const { pathname, searchParams } = url;
  if (pathname === '/api/tickets/' && req.method === 'GET') {
    const errors = {};
    for (const [name, allowed] of [
      ['category', CATEGORIES],
      ['priority', PRIORITIES],
      ['status', STATUSES],
    ]) {
      const value = searchParams.get(name);
      if (value && !allowed.includes(value)) errors[name] = [`Select a valid choice. ${value} is not one of the available choices.`];
    }
    const limit = Number(searchParams.get('limit') ?? 100);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) errors.limit = ['Ensure this value is between 1 and 100.'];
    if (Object.keys(errors).length) return send(res, 400, errors);
    const search = (searchParams.get('search') ?? '').toLowerCase();
    const cursor = searchParams.get('cursor');
    const before = cursor ? Number(Buffer.from(cursor, 'base64url').toString()) : Infinity;
    const matching = tickets
      .filter((t) => t.id < before)
      .filter((t) => ['category', 'priority', 'status'].every((k) => !searchParams.get(k) || t[k] === searchParams.get(k)))
      .filter((t) => !search || `${t.title}\n${t.description}`.toLowerCase().includes(search))
      .sort((a, b) => b.id - a.id);
    const page = matching.slice(0, limit);
    const headers = {};
    if (matching.length > limit) {
      const next = new URLSearchParams(searchParams);
      next.set('cursor', Buffer.from(String(page.at(-1).id)).toString('base64url'));
      headers.Link = `<http://${req.headers.host}/api/tickets/?${next}>; rel="next"`;
    }
    return send(res, 200, page, headers);
  }
  if (pathname === '/api/tickets/' && req.method === 'POST') {
    const body = await readJson(req);
    if (!body || typeof body !== 'object') return send(res, 400, { detail: 'Malformed JSON.' });
    const errors = validateTicket(body);
    if (Object.keys(errors).length) return send(res, 400, errors);
    const ticket = {
      id: nextId++,
      title: body.title.trim(),
      description: body.description.trim(),
      category: body.category,
      priority: body.priority,
      status: 'open',
      created_at: new Date().toISOString(),
    };
    tickets.push(ticket);
    return send(res, 201, ticket);
  }
  const match = /^\/api\/tickets\/(\d+)\/$/.exec(pathname);
  if (match && req.method === 'PATCH') {
    const ticket = tickets.find((t) => t.id === Number(match[1]));
    if (!ticket) return send(res, 404, { detail: 'Not found.' });
    const body = await readJson(req);
    if (!body || !STATUSES.includes(body.status)) return send(res, 400, { status: [`"${body?.status}" is not a valid choice.`] });
    ticket.status = body.status;
    return send(res, 200, ticket);
  }
  if (pathname === '/api/tickets/stats/' && req.method === 'GET') {
    const count = (key, value) => tickets.filter((t) => t[key] === value).length;
    const days = new Set(tickets.map((t) => t.created_at.slice(0, 10))).size || 1;
    return send(res, 200, {
      total_tickets: tickets.length,
      open_tickets: count('status', 'open'),
      avg_tickets_per_day: Math.round((tickets.length / days) * 10) / 10,
      priority_breakdown: Object.fromEntries(PRIORITIES.map((p) => [p, count('priority', p)])),
      category_breakdown: Object.fromEntries(CATEGORIES.map((c) => [c, count('category', c)])),
    });
  }
  if (pathname === '/api/tickets/classify/' && req.method === 'POST') {
    const body = await readJson(req);
    if (!body || typeof body.description !== 'string' || !body.description.trim())
      return send(res, 400, { description: ['This field may not be blank.'] });
    await new Promise((r) => setTimeout(r, 150));
    return send(res, 200, {
      ...classify(body.description),
      source: 'offline',
      note: 'No LLM is configured; keyword rules were used.',
    });
  }
  return send(res, 404, { detail: 'Not found.' });
}

async function serveStatic(res, pathname) {
  let file = path.join(distDir, path.normalize(decodeURIComponent(pathname)));
  if (!file.startsWith(distDir)) file = path.join(distDir, 'index.html');
  try {
    if (!(await stat(file)).isFile()) throw new Error('not a file');
  } catch {
    file = path.join(distDir, 'index.html');
  }
  try {
    const body = await readFile(file);
    res.writeHead(200, { 'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream' });
    res.end(body);
  } catch {
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('dist/ not built: run npm run build');
  }
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  const done = (error) => {
    if (!error) return;
    console.error(error);
    if (!res.headersSent) send(res, 500, { detail: 'Mock server error.' });
  };
  if (url.pathname === '/healthz' || url.pathname === '/readyz') return send(res, 200, { status: 'ok' });
  if (url.pathname.startsWith('/api/')) return handleApi(req, res, url).catch(done);
  return serveStatic(res, url.pathname).catch(done);
});

const runE2e = process.argv.includes('--run-e2e');
const port = runE2e ? 0 : Number(process.env.PORT || 18080);
server.listen(port, '127.0.0.1', () => {
  const { port: actual } = server.address();
  const base = `http://127.0.0.1:${actual}`;
  console.log(`mock helpdesk API + UI on ${base}`);
  if (!runE2e) return;
  const child = spawn(process.execPath, [path.join(here, 'run.mjs')], {
    stdio: 'inherit',
    env: { ...process.env, E2E_BASE_URL: base },
  });
  child.on('exit', (code) => {
    server.close();
    process.exit(code ?? 1);
  });
});
