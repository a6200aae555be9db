// What the browser checks share: Debian's Chromium and its flags, and a static server of a
// built site under its base path (a directory answers with its index.html, a missing address
// with the site's 404.html).

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
// Without the background-networking flags, Chromium tries to reach Google's hosts.
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.json': 'application/json', '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8', '.md': 'text/markdown; charset=utf-8', '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json', '.woff2': 'font/woff2', '.woff': 'font/woff', '.pdf': 'application/pdf',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', '.zip': 'application/zip',
  '.jsonld': 'application/ld+json',
};

// The file of `root` that the URL path serves, or null (outside the base path or the folder).
export function fileFor(root, urlPath, basePath) {
  if (!urlPath.startsWith(basePath)) return null;
  let rel;
  try { rel = decodeURIComponent(urlPath.slice(basePath.length)); } catch { return null; }
  const file = path.resolve(root, '.' + path.sep + rel);
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (stat?.isFile()) return file;
  if (stat?.isDirectory()) {
    const index = path.join(file, 'index.html');
    return fs.statSync(index, { throwIfNoEntry: false })?.isFile() ? index : null;
  }
  return null;
}

// Serves `root` on 127.0.0.1 (a free port) under `basePath`.
export function serve(root, basePath) {
  const server = http.createServer((req, res) => {
    const { pathname } = new URL(req.url, 'http://127.0.0.1');
    const file = fileFor(root, pathname, basePath);
    if (file && file.endsWith(`${path.sep}index.html`) && !pathname.endsWith('/') && !pathname.endsWith('index.html')) {
      res.writeHead(301, { Location: pathname + '/' });
      res.end();
      return;
    }
    const send = (status, f) => {
      res.writeHead(status, { 'Content-Type': TYPES[path.extname(f).toLowerCase()] || 'application/octet-stream' });
      if (req.method === 'HEAD') res.end(); else fs.createReadStream(f).pipe(res);
    };
    if (file) return send(200, file);
    const notFound = path.join(root, '404.html');
    if (fs.existsSync(notFound)) return send(404, notFound);
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('404');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
