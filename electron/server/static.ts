/** Serves the built renderer: files from one folder, SPA fallback to index.html. */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

export function contentTypeFor(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Flowsight is not built yet</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>Flowsight's interface is not built yet</h1>
<p>The server is running, but <code>dist/renderer/</code> does not exist. Run <code>npm run build</code>, then reload this page.</p>
</body></html>
`;

async function fileAt(path: string): Promise<{ size: number; mtime: Date } | null> {
  try {
    const s = await stat(path);
    return s.isFile() ? { size: s.size, mtime: s.mtime } : null;
  } catch {
    return null;
  }
}

function send(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  headers: Record<string, string | number>,
  body: string,
): void {
  const buf = Buffer.from(body, 'utf8');
  res.writeHead(status, { ...headers, 'Content-Length': buf.length });
  res.end(req.method === 'HEAD' ? undefined : buf);
}

/**
 * Answer a GET/HEAD for `pathname` from `rootDir`. Paths that name no file and have no extension
 * get index.html (client-side routes); a missing asset (`/assets/x.js`) is a 404, never HTML.
 */
export async function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  rootDir: string,
  pathname: string,
): Promise<void> {
  const root = resolve(rootDir);
  const index = join(root, 'index.html');
  const indexInfo = await fileAt(index);
  if (!indexInfo) {
    send(req, res, 503, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }, NOT_BUILT_PAGE);
    return;
  }

  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    send(req, res, 400, { 'Content-Type': 'text/plain; charset=utf-8' }, 'Bad request: the path is not valid URL encoding.\n');
    return;
  }
  if (decoded.includes('\0')) {
    send(req, res, 400, { 'Content-Type': 'text/plain; charset=utf-8' }, 'Bad request.\n');
    return;
  }

  let target = resolve(root, '.' + (decoded.startsWith('/') ? decoded : '/' + decoded));
  if (target !== root && !target.startsWith(root + sep)) {
    send(req, res, 404, { 'Content-Type': 'text/plain; charset=utf-8' }, 'Not found.\n');
    return;
  }
  if (target === root) target = index;

  let info = await fileAt(target);
  if (!info) {
    const lastSegment = decoded.split('/').pop() ?? '';
    if (lastSegment.includes('.')) {
      send(req, res, 404, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }, 'Not found.\n');
      return;
    }
    target = index;
    info = indexInfo;
  }

  const isIndex = target === index;
  // Vite puts content-hashed files under assets/: cache them for good; never cache index.html
  const hashed = !isIndex && target.startsWith(join(root, 'assets') + sep);
  res.writeHead(200, {
    'Content-Type': contentTypeFor(target),
    'Content-Length': info.size,
    'Last-Modified': info.mtime.toUTCString(),
    'Cache-Control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(target);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
