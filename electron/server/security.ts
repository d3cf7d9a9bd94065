/**
 * Request guards of the server face: same-origin checks against DNS rebinding and cross-site
 * requests, and the headers every response carries.
 */
import { isIP } from 'node:net';

/** The renderer's content security policy when served over HTTP. */
export const SERVER_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:*; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': SERVER_CSP,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** True for names that always mean this machine: localhost, 127.0.0.0/8, ::1. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(h);
  return false;
}

/** Split a Host header value ("127.0.0.1:7411", "[::1]:7411", "localhost") into name and port. */
export function parseHostHeader(value: string): { hostname: string; port: string } | null {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]\s/]+)(?::(\d{1,5}))?$/.exec(value.trim());
  if (!m) return null;
  return { hostname: m[1]!, port: m[2] ?? '' };
}

export interface GuardInput {
  host: string | undefined;
  origin: string | undefined;
  /** true when the server listens on a loopback address only */
  loopbackOnly: boolean;
}

/**
 * Decide whether a request may reach the API or the WebSocket. Returns null when allowed,
 * otherwise the reason (for the 403 body).
 *
 * - Bound to loopback, the Host header must name a loopback host: a page on evil.example whose
 *   name was rebound to 127.0.0.1 still sends `Host: evil.example:<port>` and is refused.
 * - A browser's Origin (sent on cross-origin requests and on every WebSocket handshake) must be
 *   exactly this server's origin as the browser sees it (`http://<Host>`), so another site or
 *   another local web app cannot drive the API. The port is compared through the Host header,
 *   which keeps SSH port forwards (`ssh -L 9000:127.0.0.1:7411`) working.
 */
export function checkRequestOrigin({ host, origin, loopbackOnly }: GuardInput): string | null {
  if (host === undefined || host === '') return 'the request has no Host header';
  const parsed = parseHostHeader(host);
  if (!parsed) return 'the Host header is malformed';
  if (loopbackOnly && !isLoopbackHost(parsed.hostname)) {
    return `the Host header "${host}" does not name this machine (possible DNS rebinding)`;
  }
  if (origin !== undefined && origin !== '') {
    let o: URL;
    try {
      o = new URL(origin);
    } catch {
      return `the Origin header "${origin}" is malformed`;
    }
    const expected = `http://${host.trim().toLowerCase()}`;
    const actual = `${o.protocol}//${o.host}`.toLowerCase();
    // URL drops default ports; compare the same way on both sides
    const expectedNorm = (() => {
      try {
        const e = new URL(expected);
        return `${e.protocol}//${e.host}`.toLowerCase();
      } catch {
        return expected;
      }
    })();
    if (actual !== expectedNorm) return `requests from ${origin} are not allowed`;
  }
  return null;
}
