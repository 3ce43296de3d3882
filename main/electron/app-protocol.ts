/**
 * The app:// protocol: serves the built renderer (out/renderer) to the window, and nothing else.
 *
 * Answers 404 for another host or a missing file, 400 for a path that does not decode (a malformed
 * percent-escape, a NUL byte), 403 for a path that would leave the renderer folder however it is
 * spelled (`..`, `%2e%2e`, `%2f`, backslashes), and sets the Content-Security-Policy, `nosniff` and the
 * MIME type of every file it serves. Kept free of Electron imports: the shell registers it with
 * `protocol.handle`, tests call it with plain Requests.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { APP_HOST, CONTENT_SECURITY_POLICY } from './security';

/** The types the renderer build produces; anything else is served as bytes (and `nosniff`). */
const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export function mimeTypeOf(file: string): string {
  return MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

function plain(status: number, text: string): Response {
  return new Response(text, {
    status,
    headers: {
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
    },
  });
}

export type ReadFile = (file: string) => Promise<Buffer>;

/** The handler for `protocol.handle('app', …)`, serving files from `rendererDir`. */
export function createAppProtocolHandler(
  rendererDir: string,
  read: ReadFile = (file) => readFile(file),
): (request: Request) => Promise<Response> {
  const root = path.resolve(rendererDir);
  return async (request) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return plain(400, 'Bad request');
    }
    if (url.host !== APP_HOST) return plain(404, 'Not found');
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed');
    let decoded: string;
    try {
      decoded = decodeURIComponent(url.pathname);
    } catch {
      return plain(400, 'Bad request: malformed percent-escape in the path');
    }
    if (decoded.includes('\0')) return plain(400, 'Bad request: NUL in the path');
    // Both separators count, on every platform: `..\` must not climb on Windows nor be a name elsewhere.
    const segments = decoded.split(/[/\\]+/).filter((s) => s !== '' && s !== '.');
    if (segments.includes('..')) return plain(403, 'Forbidden');
    const file = path.join(root, ...(segments.length === 0 ? ['index.html'] : segments));
    // Never serve outside the renderer folder (a drive letter or UNC prefix that survived the split).
    if (!file.startsWith(root + path.sep)) return plain(403, 'Forbidden');
    let body: Buffer;
    try {
      body = await read(file);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return plain(404, 'Not found');
      return plain(500, 'Could not read the file');
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: {
        'Content-Type': mimeTypeOf(file),
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
      },
    });
  };
}
