/**
 * Every HTTP call the UI makes lives here, typed. Components never touch axios.
 *
 * The API is served from the same origin as the UI (in development Vite proxies
 * /api, /healthz and /readyz to the Rust server).
 */
import axios, { AxiosError, type AxiosResponse } from 'axios';
import type { components, operations } from './generated/openapi';

// ---------------------------------------------------------------------------
// Shapes: taken from the server's OpenAPI document (web-ui/openapi.json, made by
// `helpdesk openapi`), which `npm run api:types` turns into src/generated/openapi.d.ts.
// A change of shape on the server fails `npm run typecheck` here.
// ---------------------------------------------------------------------------

type Schemas = components['schemas'];

/** The JSON body of an operation's answer with this status code. */
type Answer<Op extends keyof operations, Code extends keyof operations[Op]['responses']> =
  operations[Op]['responses'][Code] extends { content: { 'application/json': infer Body } } ? Body : never;

/** The JSON body an operation takes. */
type Body<Op extends keyof operations> =
  NonNullable<operations[Op]['requestBody']> extends { content: { 'application/json': infer B } } ? B : never;

/**
 * Returns `list` as it is; compiles only when the list holds every value of the union `T`
 * (each list below is checked both ways against an enum of the spec).
 */
function everyValueOf<T extends string>() {
  return <const L extends readonly T[]>(list: L & (Exclude<T, L[number]> extends never ? unknown : never)): L =>
    list;
}

export type Category = Schemas['Category'];
export type Priority = Schemas['Priority'];
export type Status = Schemas['Status'];

export const CATEGORIES = everyValueOf<Category>()(['billing', 'technical', 'account', 'general']);
export const PRIORITIES = everyValueOf<Priority>()(['low', 'medium', 'high', 'critical']);
export const STATUSES = everyValueOf<Status>()(['open', 'in_progress', 'resolved', 'closed']);

export const CATEGORY_LABELS: Record<Category, string> = {
  billing: 'Billing',
  technical: 'Technical',
  account: 'Account',
  general: 'General',
};
export const PRIORITY_LABELS: Record<Priority, string> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'Critical',
};
export const STATUS_LABELS: Record<Status, string> = {
  open: 'Open',
  in_progress: 'In progress',
  resolved: 'Resolved',
  closed: 'Closed',
};

/** A ticket; `created_at` is an RFC 3339 timestamp. */
export type Ticket = Schemas['Ticket'];

export type NewTicket = Body<'createTicket'>;

/** One entry of GET /api/tickets/{id}/history/ (oldest first). */
export type HistoryEvent = Schemas['Event'];

/** The fields an agent can change, in the order the UI shows them (the fields history names). */
export const TICKET_FIELDS = everyValueOf<NonNullable<HistoryEvent['field']>>()([
  'title',
  'description',
  'category',
  'priority',
  'status',
]);
export type TicketField = (typeof TICKET_FIELDS)[number];
export type TicketFields = Pick<Ticket, TicketField>;
export type TicketChanges = Body<'updateTicket'>;

/** A ticket with its version (the strong ETag from GET or PATCH; null if the server sent none). */
export interface VersionedTicket {
  ticket: Ticket;
  etag: string | null;
}

/** What POST /api/tickets/ answered: the ticket, and whether it is the replay of an earlier answer. */
export interface CreatedTicket {
  ticket: Ticket;
  /** `Idempotent-Replayed: true`: this key was already used; nothing new was created. */
  replayed: boolean;
}

/** Who made a change; `unrecorded` for tickets older than history. */
export type HistoryActorKind = Schemas['Actor']['kind'];

export interface HistoryPage {
  events: HistoryEvent[];
  next: string | null;
}

/** The query GET /api/tickets/ takes. */
type TicketQuery = NonNullable<operations['listTickets']['parameters']['query']>;

/** The list's filters; '' is "any". */
export interface TicketFilters {
  category?: TicketQuery['category'] | '';
  priority?: TicketQuery['priority'] | '';
  status?: TicketQuery['status'] | '';
  search?: TicketQuery['search'];
  limit?: TicketQuery['limit'];
}

export interface TicketPage {
  tickets: Ticket[];
  /** Absolute URL of the next page (from the Link header), or null on the last page. */
  next: string | null;
}

export type Stats = Schemas['Stats'];

/**
 * A suggestion of POST /api/tickets/classify/. `note` says why it is not the LLM's;
 * `confidence` (calibrated, 0..1) is absent when the classifier does not say (the LLM):
 * the suggestion is then taken as sure.
 */
export type Classification = Schemas['Suggestion'];

export type Role = Schemas['Role'];
export const ROLES = everyValueOf<Role>()(['agent', 'admin']);
export const ROLE_LABELS: Record<Role, string> = { agent: 'Agent', admin: 'Admin' };

export type Account = Schemas['Account'];
export type NewAccount = Body<'createAccount'>;
export type AccountChanges = Body<'updateAccount'>;

export type ApiToken = Schemas['Token'];
/** The answer to a create: the secret is in it this once only. */
export type NewApiToken = Schemas['IssuedToken'];
export type NewToken = Body<'createToken'>;

export type SetupStatus = Schemas['SetupStatus'];
export type Setup = Body<'setUp'>;

/** Field name -> list of messages, as returned by the API on 400. */
export type FieldErrors = Schemas['FieldErrors'];
/** The other error body: `{"detail": "…"}`. */
export type ErrorDetail = Schemas['Detail'];

export type ApiErrorKind = 'network' | 'http' | 'aborted';

/** The single error type every api function rejects with. */
export class ApiError extends Error {
  readonly kind: ApiErrorKind;
  readonly status: number | null;
  readonly fieldErrors: FieldErrors;
  readonly detail: string | null;
  /** Seconds, from a Retry-After header (429). */
  readonly retryAfter: number | null;

  constructor(init: {
    kind: ApiErrorKind;
    message: string;
    status?: number | null;
    fieldErrors?: FieldErrors;
    detail?: string | null;
    retryAfter?: number | null;
  }) {
    super(init.message);
    this.name = 'ApiError';
    this.kind = init.kind;
    this.status = init.status ?? null;
    this.fieldErrors = init.fieldErrors ?? {};
    this.detail = init.detail ?? null;
    this.retryAfter = init.retryAfter ?? null;
  }

  get isNetwork(): boolean {
    return this.kind === 'network';
  }

  get isAborted(): boolean {
    return this.kind === 'aborted';
  }

  get hasFieldErrors(): boolean {
    return Object.keys(this.fieldErrors).length > 0;
  }
}

/** The axios instance. Exported so tests can install a mock adapter. */
export const http = axios.create({
  headers: { Accept: 'application/json' },
  timeout: 20_000,
});

// ---------------------------------------------------------------------------
// Connectivity: any request that fails without an HTTP response marks the app
// offline; any request that gets an answer marks it online again.
// ---------------------------------------------------------------------------

type ConnectivityListener = (online: boolean) => void;
let online = true;
const listeners = new Set<ConnectivityListener>();

export function isOnline(): boolean {
  return online;
}

export function setOnline(value: boolean): void {
  if (value === online) return;
  online = value;
  for (const listener of [...listeners]) listener(value);
}

export function subscribeConnectivity(listener: ConnectivityListener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

// ---------------------------------------------------------------------------
// Authentication: a 401 from any call but the sign-in endpoints is reported to
// listeners (the session decides whether it means "your session has expired").
// ---------------------------------------------------------------------------

type UnauthorizedListener = (url: string) => void;
const unauthorizedListeners = new Set<UnauthorizedListener>();

export function subscribeUnauthorized(listener: UnauthorizedListener): () => void {
  unauthorizedListeners.add(listener);
  return () => {
    unauthorizedListeners.delete(listener);
  };
}

/** Endpoints whose 401 says nothing about an existing session. */
const NOT_A_SESSION_CHECK = /\/api\/auth\/(login|logout|setup)\/?(\?|$)/;

function reportUnauthorized(error: unknown): void {
  if (!axios.isAxiosError(error) || error.response?.status !== 401) return;
  const url = error.config?.url ?? '';
  if (NOT_A_SESSION_CHECK.test(url)) return;
  for (const listener of [...unauthorizedListeners]) listener(url);
}

/** A request that got no HTTP answer at all (or a gateway in front of the API said so). */
function isNetworkFailure(error: unknown): boolean {
  if (axios.isCancel(error)) return false;
  if (!axios.isAxiosError(error)) return false;
  if (!error.response) return true;
  // The Vite dev proxy / a reverse proxy answers 502/504 when the API is down.
  return error.response.status === 502 || error.response.status === 504;
}

http.interceptors.response.use(
  (response) => {
    setOnline(true);
    return response;
  },
  (error: unknown) => {
    if (isNetworkFailure(error)) setOnline(false);
    else if (axios.isAxiosError(error) && error.response) setOnline(true);
    reportUnauthorized(error);
    return Promise.reject(toApiError(error));
  },
);

/** The key of the `{"detail": "…"}` error body (Detail in the spec). */
const DETAIL: keyof ErrorDetail = 'detail';

/**
 * Reads an error body: FieldErrors (`{"field": ["message"]}`) or Detail, as the spec says,
 * leniently, since a proxy in front of the API may answer anything.
 */
function messageFromBody(data: unknown): { detail: string | null; fieldErrors: FieldErrors } {
  const fieldErrors: FieldErrors = {};
  let detail: string | null = null;
  if (data && typeof data === 'object' && !Array.isArray(data)) {
    for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
      if (key === DETAIL && typeof value === 'string') {
        detail = value;
      } else if (Array.isArray(value)) {
        const messages = value.filter((m): m is string => typeof m === 'string');
        if (messages.length) fieldErrors[key] = messages;
      } else if (typeof value === 'string') {
        fieldErrors[key] = [value];
      }
    }
  } else if (typeof data === 'string' && data.trim() && !data.trim().startsWith('<')) {
    detail = data.trim().slice(0, 300);
  }
  return { detail, fieldErrors };
}

function parseRetryAfter(value: unknown): number | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(String(value));
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** Normalises anything axios throws into an ApiError. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (axios.isCancel(error)) {
    return new ApiError({ kind: 'aborted', message: 'Request cancelled' });
  }
  if (axios.isAxiosError(error)) {
    const err = error as AxiosError;
    if (isNetworkFailure(err)) {
      return new ApiError({
        kind: 'network',
        status: err.response?.status ?? null,
        message: "Can't reach the server.",
      });
    }
    const response = err.response!;
    const { detail, fieldErrors } = messageFromBody(response.data);
    const status = response.status;
    const fallback =
      status === 503
        ? 'The service is temporarily unavailable.'
        : status === 429
          ? 'Too many requests, please wait a moment.'
          : `Request failed (HTTP ${status}).`;
    return new ApiError({
      kind: 'http',
      status,
      detail,
      fieldErrors,
      retryAfter: parseRetryAfter(headerValue(response, 'retry-after')),
      message: detail ?? fallback,
    });
  }
  return new ApiError({
    kind: 'http',
    message: error instanceof Error ? error.message : 'Unexpected error.',
  });
}

function headerValue(response: AxiosResponse, name: string): string | null {
  const headers = response.headers as unknown;
  if (!headers) return null;
  const withGet = headers as { get?: (n: string) => unknown };
  if (typeof withGet.get === 'function') {
    const value = withGet.get(name);
    if (value != null) return String(value);
  }
  const record = headers as Record<string, unknown>;
  for (const [key, value] of Object.entries(record)) {
    if (key.toLowerCase() === name && value != null) return String(value);
  }
  return null;
}

// ---------------------------------------------------------------------------
// RFC 8288 Link header
// ---------------------------------------------------------------------------

/**
 * Returns the target of the rel="next" link in an RFC 8288 Link header, or null.
 * Handles several comma-separated links, quoted or bare rel values, several
 * space-separated relation types and any parameter order.
 */
export function parseNextLink(linkHeader: string | null | undefined): string | null {
  if (!linkHeader) return null;
  const linkPattern = /<([^>]*)>((?:\s*;\s*[^;,"=\s]+\s*(?:=\s*(?:"[^"]*"|[^;,"]*))?)*)/g;
  for (const match of linkHeader.matchAll(linkPattern)) {
    const target = match[1].trim();
    const params = match[2];
    const paramPattern = /;\s*([^=;,\s]+)\s*(?:=\s*(?:"([^"]*)"|([^;,]*)))?/g;
    for (const param of params.matchAll(paramPattern)) {
      if (param[1].toLowerCase() !== 'rel') continue;
      const relValue = (param[2] ?? param[3] ?? '').trim().toLowerCase();
      if (relValue.split(/\s+/).includes('next')) return target || null;
      break; // only the first rel parameter counts (RFC 8288 §3.3)
    }
  }
  return null;
}

/**
 * The API builds absolute next links from its own idea of its host. When that
 * host is not the one this page was loaded from (e.g. behind the Vite dev proxy
 * or a reverse proxy), request the same path and query on our own origin so the
 * call stays same-origin.
 */
function sameOrigin(url: string): string {
  if (typeof window === 'undefined') return url;
  try {
    const parsed = new URL(url, window.location.href);
    if (parsed.origin === window.location.origin) return url;
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    return url;
  }
}

// ---------------------------------------------------------------------------
// Endpoints
// ---------------------------------------------------------------------------

interface RequestOptions {
  signal?: AbortSignal;
}

/**
 * Resolves a Link target to an absolute URL. The contract lets it become relative; a
 * relative reference is resolved against the URL that was requested (itself resolved
 * against the page's location), which for a path like "/api/tickets/?cursor=…" is the
 * same as resolving it against the page's location.
 */
export function resolveLink(target: string, requestUrl: string): string {
  const pageUrl = typeof window === 'undefined' ? 'http://localhost/' : window.location.href;
  try {
    return new URL(target, new URL(requestUrl, pageUrl)).href;
  } catch {
    return target;
  }
}

/**
 * The list the spec promises, or [] when something in between answered otherwise. Typed
 * as the list so that, unlike `Array.isArray(data) ? data : []`, a spec that stops
 * answering a list fails to compile.
 */
function listOrEmpty<T>(data: readonly T[]): T[] {
  return Array.isArray(data) ? [...data] : [];
}

function nextLink(response: AxiosResponse, requestUrl: string): string | null {
  const next = parseNextLink(headerValue(response, 'link'));
  return next ? resolveLink(next, requestUrl) : null;
}

function toPage(response: AxiosResponse<Answer<'listTickets', 200>>, requestUrl: string): TicketPage {
  return {
    tickets: listOrEmpty(response.data),
    next: nextLink(response, requestUrl),
  };
}

function toHistoryPage(response: AxiosResponse<Answer<'ticketHistory', 200>>, requestUrl: string): HistoryPage {
  return {
    events: listOrEmpty(response.data),
    next: nextLink(response, requestUrl),
  };
}

function versioned(response: AxiosResponse<Answer<'getTicket' | 'updateTicket', 200>>): VersionedTicket {
  return { ticket: response.data, etag: headerValue(response, 'etag') };
}

/**
 * The ticket version an ETag names (`"3"` or `W/"3"` -> 3), to match history events;
 * null when the tag is missing or not a number.
 */
export function etagVersion(etag: string | null | undefined): number | null {
  const match = /^(?:W\/)?"?(\d+)"?$/.exec(etag?.trim() ?? '');
  return match ? Number(match[1]) : null;
}

export function ticketQueryParams(filters: TicketFilters): { [Name in keyof TicketQuery]?: string } {
  const params: { [Name in keyof TicketQuery]?: string } = {};
  if (filters.category) params.category = filters.category;
  if (filters.priority) params.priority = filters.priority;
  if (filters.status) params.status = filters.status;
  const search = filters.search?.trim();
  if (search) params.search = search;
  if (filters.limit != null) params.limit = String(filters.limit);
  return params;
}

/** GET /api/tickets/ — first page, newest first. */
export async function listTickets(
  filters: TicketFilters = {},
  options: RequestOptions = {},
): Promise<TicketPage> {
  const response = await http.get<Answer<'listTickets', 200>>('/api/tickets/', {
    params: ticketQueryParams(filters),
    signal: options.signal,
  });
  return toPage(response, '/api/tickets/');
}

/** GET the URL from a previous page's rel="next" link. */
export async function fetchNextPage(
  nextUrl: string,
  options: RequestOptions = {},
): Promise<TicketPage> {
  const response = await http.get<Answer<'listTickets', 200>>(sameOrigin(nextUrl), { signal: options.signal });
  return toPage(response, nextUrl);
}

/**
 * POST /api/tickets/ with an `Idempotency-Key`: a retry of the same submission must send
 * the same key (and body), so the server answers it with the first ticket instead of
 * filing a second one.
 */
export async function createTicket(
  ticket: NewTicket,
  options: RequestOptions & { idempotencyKey: string },
): Promise<CreatedTicket> {
  const response = await http.post<Answer<'createTicket', 201>>('/api/tickets/', ticket, {
    signal: options.signal,
    headers: { 'Idempotency-Key': options.idempotencyKey },
  });
  return {
    ticket: response.data,
    replayed: headerValue(response, 'idempotent-replayed')?.trim().toLowerCase() === 'true',
  };
}

/** GET /api/tickets/{id}/ — the ticket and its ETag. */
export async function getTicket(id: number, options: RequestOptions = {}): Promise<VersionedTicket> {
  const response = await http.get<Answer<'getTicket', 200>>(`/api/tickets/${id}/`, { signal: options.signal });
  return versioned(response);
}

/**
 * PATCH /api/tickets/{id}/ with `If-Match: <the ETag the change is based on>`. The server
 * answers 412 when the ticket changed since (nothing is written). `ifMatch` is null only
 * when the server sent no ETag.
 */
export async function updateTicket(
  id: number,
  changes: TicketChanges,
  options: RequestOptions & { ifMatch: string | null },
): Promise<VersionedTicket> {
  const response = await http.patch<Answer<'updateTicket', 200>>(`/api/tickets/${id}/`, changes, {
    signal: options.signal,
    headers: options.ifMatch ? { 'If-Match': options.ifMatch } : {},
  });
  return versioned(response);
}

/** The query GET /api/tickets/{id}/history/ takes, as sent. */
type HistoryQuery = { [Name in keyof NonNullable<operations['ticketHistory']['parameters']['query']>]?: string };

/** GET /api/tickets/{id}/history/ — the first (oldest) page. */
export async function listHistory(
  id: number,
  params: { limit?: number } = {},
  options: RequestOptions = {},
): Promise<HistoryPage> {
  const url = `/api/tickets/${id}/history/`;
  const query: HistoryQuery = params.limit != null ? { limit: String(params.limit) } : {};
  const response = await http.get<Answer<'ticketHistory', 200>>(url, { params: query, signal: options.signal });
  return toHistoryPage(response, url);
}

/** GET a history page from a previous page's rel="next" link. */
export async function fetchHistoryPage(nextUrl: string, options: RequestOptions = {}): Promise<HistoryPage> {
  const response = await http.get<Answer<'ticketHistory', 200>>(sameOrigin(nextUrl), { signal: options.signal });
  return toHistoryPage(response, nextUrl);
}

/**
 * The history events after `version` (what others changed since someone read that
 * version). History is oldest first, so every page is read; at most `maxPages`.
 */
export async function historySince(
  id: number,
  version: number,
  options: RequestOptions & { maxPages?: number } = {},
): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  const seen = new Set<string>();
  let page = await listHistory(id, { limit: 100 }, options);
  for (let pages = 1; ; pages++) {
    events.push(...page.events.filter((event) => event.version > version));
    if (!page.next || seen.has(page.next) || pages >= (options.maxPages ?? 50)) break;
    seen.add(page.next);
    page = await fetchHistoryPage(page.next, options);
  }
  return events;
}

/** GET /api/tickets/stats/ */
export async function getStats(options: RequestOptions = {}): Promise<Stats> {
  const response = await http.get<Answer<'ticketStats', 200>>('/api/tickets/stats/', { signal: options.signal });
  return response.data;
}

/** POST /api/tickets/classify/ */
export async function classifyTicket(
  description: string,
  options: RequestOptions = {},
): Promise<Classification> {
  const body: Body<'classifyTicket'> = { description };
  const response = await http.post<Answer<'classifyTicket', 200>>('/api/tickets/classify/', body, {
    signal: options.signal,
  });
  return response.data;
}

// ----- auth -----

/**
 * GET /api/auth/me/ — the signed-in account, or null when not signed in (401). The API
 * answers a token for a program's Bearer call; this browser sends its cookie only, and a
 * token is no session of it.
 */
export async function getMe(options: RequestOptions = {}): Promise<Account | null> {
  try {
    const response = await http.get<Answer<'whoAmI', 200>>('/api/auth/me/', { signal: options.signal });
    const me = response.data;
    return me && 'email' in me ? me : null;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

/** POST /api/auth/login/ — sets the session cookie. */
export async function login(email: string, password: string): Promise<Account> {
  const body: Body<'logIn'> = { email, password };
  const response = await http.post<Answer<'logIn', 200>>('/api/auth/login/', body);
  return response.data;
}

/** POST /api/auth/logout/ */
export async function logout(): Promise<void> {
  await http.post('/api/auth/logout/', {});
}

/** GET /api/auth/setup/ */
export async function getSetupStatus(options: RequestOptions = {}): Promise<SetupStatus> {
  const response = await http.get<Answer<'setupStatus', 200>>('/api/auth/setup/', { signal: options.signal });
  return response.data;
}

/** POST /api/auth/setup/ — creates the first admin and signs them in. */
export async function completeSetup(body: Setup): Promise<Account> {
  const response = await http.post<Answer<'setUp', 201>>('/api/auth/setup/', body);
  return response.data;
}

// ----- accounts and tokens (admin) -----

export async function listAccounts(options: RequestOptions = {}): Promise<Account[]> {
  const response = await http.get<Answer<'listAccounts', 200>>('/api/accounts/', { signal: options.signal });
  return listOrEmpty(response.data);
}

export async function createAccount(account: NewAccount): Promise<Account> {
  const response = await http.post<Answer<'createAccount', 201>>('/api/accounts/', account);
  return response.data;
}

export async function updateAccount(id: number, changes: AccountChanges): Promise<Account> {
  const response = await http.patch<Answer<'updateAccount', 200>>(`/api/accounts/${id}/`, changes);
  return response.data;
}

export async function listTokens(options: RequestOptions = {}): Promise<ApiToken[]> {
  const response = await http.get<Answer<'listTokens', 200>>('/api/tokens/', { signal: options.signal });
  return listOrEmpty(response.data);
}

export async function createToken(body: NewToken): Promise<NewApiToken> {
  const response = await http.post<Answer<'createToken', 201>>('/api/tokens/', body);
  return response.data;
}

export async function revokeToken(id: number): Promise<void> {
  await http.delete(`/api/tokens/${id}/`);
}

/** GET /healthz — resolves when the server process answers. */
export async function checkHealth(options: RequestOptions = {}): Promise<void> {
  await http.get('/healthz', { signal: options.signal, timeout: 5_000 });
}

/** The best human message for an error from this module. */
export function errorMessage(error: unknown): string {
  const apiError = toApiError(error);
  if (apiError.isNetwork) return "Can't reach the server.";
  if (apiError.detail) return apiError.detail;
  if (apiError.hasFieldErrors) {
    return Object.entries(apiError.fieldErrors)
      .map(([field, messages]) => `${field}: ${messages.join(' ')}`)
      .join(' ');
  }
  return apiError.message;
}
