// Who may talk to the browser-mode server: requests must name our host (no DNS rebinding), come from
// our own page if they come from a browser at all, and carry this run's token.

import { randomBytes, timingSafeEqual } from 'node:crypto';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export function sameToken(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The Host header values this server answers to. */
export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function allowedOrigins(port: number): string[] {
  return allowedHosts(port).map((host) => `http://${host}`);
}

export interface UpgradeRequest {
  /** Path and query of the request line, e.g. "/api?token=...". */
  url: string;
  host: string | undefined;
  origin: string | undefined;
}

/** Undefined when the WebSocket upgrade may proceed, else the one-line reason it is refused. */
export function refuseUpgrade(request: UpgradeRequest, port: number, token: string): string | undefined {
  if (request.host === undefined || !allowedHosts(port).includes(request.host)) return `wrong Host header ${JSON.stringify(request.host ?? '')}`;
  // Browsers always send Origin on WebSocket upgrades; other clients (scripts holding the token) may omit it.
  if (request.origin !== undefined && !allowedOrigins(port).includes(request.origin)) return `origin ${JSON.stringify(request.origin)} is not this monitor's page`;
  let url: URL;
  try {
    url = new URL(request.url, 'http://127.0.0.1');
  } catch {
    return 'malformed request URL';
  }
  if (url.pathname !== '/api') return `no WebSocket endpoint at ${url.pathname}`;
  if (!sameToken(url.searchParams.get('token'), token)) return 'missing or wrong token';
  return undefined;
}
