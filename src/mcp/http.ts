// The request policy of the Streamable HTTP server (`fluxdoctor mcp --http`), against DNS rebinding
// and cross-site requests from a browser (the MCP transport spec: servers MUST validate Origin):
// - Origin: a request that carries one (every browser request does) is served only when the origin
//   is in the --allow-origin list (default: none). Requests without Origin (agents, curl, the SDK
//   client under Node) are served as before.
// - Host: on a loopback bind, the Host header must name a loopback host (localhost, 127.0.0.1, [::1]
//   or the bound address): a rebound DNS name that points at 127.0.0.1 carries its own name.
// The SDK's transport options for this (allowedOrigins/allowedHosts) are deprecated and treat an
// empty list as "no check", so the policy lives here, in the shape of its hostHeaderValidation.

import type { IncomingHttpHeaders } from 'node:http';
import { cleanLine } from '../render/sanitize.js';

export interface HttpPolicy {
  /** Origins (scheme://host[:port]) whose browser requests are served. */
  allowOrigins: string[];
  /** The server listens on a loopback address: check Host. */
  loopback: boolean;
  /** The address it listens on (a loopback address is an allowed Host too). */
  listenHost: string;
}

/** Hosts a request to a loopback bind may name. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** `https://App.example.com:443/` → `https://app.example.com`; undefined when it is not an origin. */
export function normalizeOrigin(value: string): string | undefined {
  const v = value.trim();
  if (v === 'null') return 'null';
  try {
    const u = new URL(v);
    if (u.origin === 'null') return undefined;
    return u.origin;
  } catch {
    return undefined;
  }
}

/** One --allow-origin value, checked at start: an origin, without path, query or credentials. */
export function parseAllowOrigin(value: string): string {
  const o = normalizeOrigin(value);
  let clean = false;
  try {
    const u = new URL(value.trim());
    clean = (u.pathname === '/' || u.pathname === '') && !u.search && !u.hash && !u.username && !u.password;
  } catch {}
  if (!o || o === 'null' || !clean)
    throw new Error(`--allow-origin '${cleanLine(value, 200)}' is not an origin such as https://app.example.com`);
  return o;
}

/** The hostname of a Host header value (port-agnostic; IPv6 keeps its brackets), or undefined. */
export function hostOf(hostHeader: string): string | undefined {
  try {
    const u = new URL(`http://${hostHeader}`);
    if (u.username || u.password || (u.pathname !== '/' && u.pathname !== '')) return undefined;
    return u.hostname.replace(/\.$/, '');
  } catch {
    return undefined;
  }
}

export interface Refusal {
  status: 403;
  message: string;
}

const single = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(',') : v);

/** Why this request is refused (403), or undefined when it may go on. */
export function refuseRequest(headers: IncomingHttpHeaders, policy: HttpPolicy): Refusal | undefined {
  if (policy.loopback) {
    const raw = single(headers.host);
    const host = raw === undefined ? undefined : hostOf(raw);
    const bound = policy.listenHost.includes(':') ? `[${policy.listenHost}]` : policy.listenHost;
    if (!host || !(LOOPBACK_HOSTS.has(host) || host === bound))
      return {
        status: 403,
        message: `forbidden host: ${raw === undefined ? 'no Host header' : `'${cleanLine(raw, 200)}'`} (a server on a loopback address answers only to localhost, 127.0.0.1 and [::1])`,
      };
  }
  const origin = single(headers.origin);
  if (origin !== undefined) {
    const o = normalizeOrigin(origin);
    if (!o || !policy.allowOrigins.includes(o))
      return {
        status: 403,
        message: `forbidden origin: '${cleanLine(origin, 200)}' is not allowed (start the server with --allow-origin ORIGIN to serve a browser client from it)`,
      };
  }
  return undefined;
}

/** CORS headers for an allowed browser origin (none without Origin). */
export function corsHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const origin = single(headers.origin);
  const o = origin === undefined ? undefined : normalizeOrigin(origin);
  if (!o) return {};
  return {
    'access-control-allow-origin': o,
    vary: 'Origin',
    'access-control-expose-headers': 'mcp-session-id, mcp-protocol-version',
  };
}

/** The answer to a CORS preflight of an allowed origin. */
export const PREFLIGHT_HEADERS: Record<string, string> = {
  'access-control-allow-methods': 'POST',
  'access-control-allow-headers':
    'authorization, content-type, accept, mcp-protocol-version, mcp-session-id, last-event-id',
  'access-control-max-age': '600',
};
