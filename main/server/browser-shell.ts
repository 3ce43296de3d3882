/**
 * Browser shell: serves the same renderer and the same contract over HTTP, on 127.0.0.1 only, at a
 * random port, behind a random per-run access token. Requests with a foreign Host (DNS rebinding),
 * a foreign Origin (cross-site requests) or without the token are refused.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { escapeForTerminal } from '../../shared/text/text-safety';
import { CONTENT_SECURITY_POLICY } from '../electron/security';
import { dispatch, type Handlers } from '../transport/dispatch';

// The same policy as the Electron shell's app:// pages.
const CSP = CONTENT_SECURITY_POLICY;

const MAX_BODY_BYTES = 1024 * 1024;
const COOKIE_PREFIX = 'tc_session_';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export interface BrowserShellOptions {
  handlers: Handlers;
  /** Built renderer folder (out/renderer). */
  staticDir: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Fixed token for tests; a random 256-bit one by default. */
  token?: string;
  /** Check every answer against the contract's result schemas (development, tests). */
  checkResults?: boolean;
  /** Log line sink (never receives the token or call arguments). */
  log?: (line: string) => void;
}

export interface BrowserShell {
  /** The URL to open, with the access token in it. */
  url: string;
  origin: string;
  port: number;
  stop(): Promise<void>;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieToken(req: IncomingMessage, name: string): string | null {
  const header = req.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
}

/** The headers every answer carries, pages and files included. */
function securityHeaders(type: string): Record<string, string> {
  return {
    'Content-Type': type,
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

function send(
  res: ServerResponse,
  status: number,
  body: string,
  type = 'text/plain; charset=utf-8',
  extra: Record<string, string> = {},
): void {
  res.writeHead(status, { ...securityHeaders(type), ...extra });
  res.end(body);
}

/** A contract-shaped error answer (the renderer's transport reads `{ ok: false, error }`). */
function sendError(res: ServerResponse, status: number, message: string, extra: Record<string, string> = {}): void {
  send(res, status, JSON.stringify({ ok: false, error: { code: 'validation', message } }), 'application/json', extra);
}

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** `decodeURIComponent`, or null for a malformed percent-escape (`%zz`, a lone `%`). */
function decodePath(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/** `application/json`, any parameters (charset): the media type must match exactly, not by prefix. */
function isJson(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';
}

/**
 * Fetch Metadata (`Sec-Fetch-Site`), as a browser sends it. `same-origin`: the console's own page.
 * `none`: the operator opened the address (the printed URL, a bookmark, a reload), a top-level
 * navigation, so only for a page or file, never a call. `same-site` (a page of another port on
 * 127.0.0.1: cookies are not kept apart by port) and `cross-site`: refused. No header: a client that
 * is not a browser (it must hold the token), or a browser without Fetch Metadata, which the Origin
 * check, the exact JSON media type and the SameSite=Strict cookie stop instead. Any other value is
 * not one a browser sends: refused. docs/security.md, "Browser shell".
 */
function fetchSiteRefusal(site: string | string[] | undefined, method: string, pathname: string): string | null {
  if (site === undefined || site === 'same-origin') return null;
  if (site === 'none')
    return pathname.startsWith('/api/') || (method !== 'GET' && method !== 'HEAD')
      ? 'Forbidden: a call from outside the console page (Sec-Fetch-Site: none)'
      : null;
  if (site === 'same-site') return 'Forbidden: request from another site on this host (Sec-Fetch-Site: same-site)';
  if (site === 'cross-site') return 'Forbidden: cross-site request';
  return 'Forbidden: unknown Sec-Fetch-Site';
}

/** What a 5xx is logged with: the error's kind and code, never its message (it may quote a secret). */
function errorKind(err: unknown): string {
  if (!(err instanceof Error)) return typeof err;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? `${err.name} ${code}` : err.name;
}

/** Start the browser shell; resolves once it listens. */
export async function startBrowserShell(options: BrowserShellOptions): Promise<BrowserShell> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const sink = options.log ?? (() => {});
  // A call name or path is the client's text: escaped, so `%0a` cannot forge a second log line.
  const log = (line: string) => sink(escapeForTerminal(line));
  const staticDir = path.resolve(options.staticDir);
  let origin = '';
  let hostHeader = '';
  // Cookies are per host, not per port: name it after the port so no other local server's page shares it.
  let cookieName = '';

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      // Path only: the query may carry the access token.
      const where = (req.url ?? '/').split('?')[0]!.slice(0, 200);
      log(`500 ${req.method ?? '?'} ${where}: ${errorKind(err)}`);
      if (res.headersSent) res.destroy();
      else send(res, 500, 'Internal error');
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // DNS-rebinding defence: a page on evil.example resolving to 127.0.0.1 still sends its own Host.
    if (req.headers.host !== hostHeader)
      return send(res, 421, 'Misdirected request: this console answers only to ' + hostHeader);
    const reqOrigin = req.headers.origin;
    if (reqOrigin !== undefined && reqOrigin !== origin) return send(res, 403, 'Forbidden: foreign origin');
    const url = new URL(req.url ?? '/', origin);
    const refused = fetchSiteRefusal(req.headers['sec-fetch-site'], req.method ?? 'GET', url.pathname);
    if (refused !== null) return send(res, 403, refused);
    const queryToken = url.searchParams.get('token');
    if (req.method === 'GET' && queryToken !== null) {
      if (!safeEqual(queryToken, token)) return send(res, 401, 'Unauthorized: wrong access token');
      // Trade the token in the URL for a cookie, and drop it from the address bar and history.
      return send(res, 303, '', 'text/plain', {
        Location: '/',
        'Set-Cookie': `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/`,
      });
    }
    const bearer = req.headers.authorization?.startsWith('Bearer ') ? req.headers.authorization.slice(7) : null;
    const presented = bearer ?? cookieToken(req, cookieName);
    if (presented === null || !safeEqual(presented, token)) {
      return send(res, 401, 'Unauthorized: open the URL printed by `tenantctl serve` (it carries the access token).');
    }

    if (url.pathname.startsWith('/api/call/')) {
      if (req.method !== 'POST') return send(res, 405, 'Method not allowed', 'text/plain', { Allow: 'POST' });
      if (!isJson(req.headers['content-type'])) return send(res, 415, 'Expected application/json');
      const name = decodePath(url.pathname.slice('/api/call/'.length));
      if (name === null) return sendError(res, 400, 'The call name has a malformed percent-escape.');
      let args: unknown;
      try {
        const body = await readBody(req);
        args = body.length ? JSON.parse(body) : {};
      } catch (err) {
        if (err instanceof BodyTooLarge) {
          // Stop reading; the connection closes after this answer.
          req.resume();
          return sendError(res, 413, `The request body is over the ${MAX_BODY_BYTES / 1024 / 1024} MiB limit.`, {
            Connection: 'close',
          });
        }
        return sendError(res, 400, 'The request body is not valid JSON.');
      }
      const response = await dispatch(options.handlers, name, args, {
        onError: (call, error) => log(`call ${call.slice(0, 100)} failed: ${error.code}`),
        checkResults: options.checkResults === true,
      });
      return send(res, 200, JSON.stringify(response), 'application/json');
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed');
    return serveStatic(url.pathname, res);
  }

  async function serveStatic(pathname: string, res: ServerResponse): Promise<void> {
    const decoded = decodePath(pathname);
    if (decoded === null) return send(res, 400, 'Bad request: malformed percent-escape in the path');
    const relative = path.normalize(decoded).replace(/^([/\\])+/, '');
    let file = path.join(staticDir, relative);
    if (file !== staticDir && !file.startsWith(staticDir + path.sep)) return send(res, 403, 'Forbidden');
    const info = await stat(file).catch(() => null);
    if (!info || info.isDirectory()) {
      // Only client-side routes (no file extension, outside /assets) fall back to the app's page: a
      // missing bundle or image answered with HTML would hide the real failure.
      const isAsset = decoded.startsWith('/assets/') || path.extname(decoded) !== '';
      if (isAsset && !info) return send(res, 404, 'Not found');
      file = path.join(staticDir, 'index.html');
    }
    const body = await readFile(file).catch(() => null);
    if (!body) return send(res, 404, 'Not found (is the renderer built? run `npm run build`)');
    res.writeHead(200, securityHeaders(TYPES[path.extname(file)] ?? 'application/octet-stream'));
    res.end(body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  hostHeader = `127.0.0.1:${port}`;
  cookieName = `${COOKIE_PREFIX}${port}`;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
