/**
 * A fake axios adapter: the HTTP boundary for component tests. Each test
 * registers handlers keyed by "METHOD /path/" and gets a log of the requests.
 */
import {
  AxiosError,
  AxiosHeaders,
  type AxiosAdapter,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
} from 'axios';
import { http } from '../api';

export interface MockRequest {
  method: string;
  /** The URL as requested (may be absolute). */
  url: string;
  path: string;
  /** Query parameters from both the URL and axios params. */
  params: Record<string, string>;
  body: unknown;
  /** Request headers, names in lower case. */
  headers: Record<string, string>;
  signal?: AbortSignal;
}

export type MockReply =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | 'network-error';

export type MockHandler = (request: MockRequest) => MockReply | Promise<MockReply>;

const originalAdapter = http.defaults.adapter;
let handlers: Record<string, MockHandler> = {};
export const requests: MockRequest[] = [];

function toRequest(config: InternalAxiosRequestConfig): MockRequest {
  const url = new URL(config.url ?? '/', 'http://localhost');
  const params: Record<string, string> = {};
  url.searchParams.forEach((value, key) => {
    params[key] = value;
  });
  for (const [key, value] of Object.entries((config.params ?? {}) as Record<string, unknown>)) {
    if (value !== undefined && value !== null) params[key] = String(value);
  }
  let body: unknown = config.data;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      // keep the string
    }
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(AxiosHeaders.from(config.headers ?? {}).toJSON())) {
    if (value != null) headers[name.toLowerCase()] = String(value);
  }
  return {
    method: (config.method ?? 'get').toUpperCase(),
    url: config.url ?? '/',
    path: url.pathname,
    params,
    body,
    headers,
    signal: config.signal as AbortSignal | undefined,
  };
}

const adapter: AxiosAdapter = async (config) => {
  const request = toRequest(config);
  requests.push(request);
  const handler = handlers[`${request.method} ${request.path}`];
  const reply: MockReply = handler
    ? await handler(request)
    : { status: 404, body: { detail: `No mock for ${request.method} ${request.path}` } };
  if (reply === 'network-error') {
    throw new AxiosError('Network Error', AxiosError.ERR_NETWORK, config, {});
  }
  const response: AxiosResponse = {
    data: reply.body ?? null,
    status: reply.status,
    statusText: String(reply.status),
    headers: AxiosHeaders.from(reply.headers ?? {}),
    config,
    request: {},
  };
  if (reply.status >= 200 && reply.status < 300) return response;
  throw new AxiosError(
    `Request failed with status code ${reply.status}`,
    reply.status >= 500 ? AxiosError.ERR_BAD_RESPONSE : AxiosError.ERR_BAD_REQUEST,
    config,
    {},
    response,
  );
};

/** Installs the fake adapter with these handlers (replacing earlier ones). */
export function mockHttp(routes: Record<string, MockHandler>): MockRequest[] {
  handlers = { ...routes };
  http.defaults.adapter = adapter;
  return requests;
}

/** Adds or replaces handlers without clearing the request log. */
export function setRoute(key: string, handler: MockHandler): void {
  handlers[key] = handler;
}

export function requestsTo(method: string, path: string): MockRequest[] {
  return requests.filter((r) => r.method === method && r.path === path);
}

export function resetMockHttp(): void {
  handlers = {};
  requests.length = 0;
  http.defaults.adapter = originalAdapter;
}

/** A promise the test resolves by hand, for in-flight requests. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): MockReply {
  return { status, body, headers };
}
