import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';

import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The web app's Content-Security-Policy: scripts, styles and everything else from
 * this origin only (the Vite build emits external files; there is no inline script
 * or style element), no plugins, no framing, no <base> tricks, forms post here only.
 * React's `style` props are set through the CSSOM, which style-src does not govern.
 */
export const WEB_APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

/** Paths the web app never answers: the API and its documentation, health and the operators' pages (/ops). */
const SERVER_PATHS = /^\/(?:api|health|ops)(?:\/|$)/;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
};

export interface WebAppOptions {
  /** The Vite build output (holds index.html and assets/). */
  readonly root: string;
}

/** The built web app is there (index.html), so the API can serve it. */
export function isWebAppBuilt(root: string): boolean {
  return existsSync(join(root, 'index.html'));
}

/**
 * Serves the single-page app at `/`: hashed files under /assets/ (cached for a
 * year), the few files at the top of the build (favicons), and index.html for
 * every other GET that is not an API, documentation or health path (client-side
 * routes), always with the strict Content-Security-Policy. Unknown /api paths
 * keep their problem+json 404.
 */
export async function serveWebApp(app: NestFastifyApplication, options: WebAppOptions): Promise<void> {
  const indexHtml = readFileSync(join(options.root, 'index.html'));
  const topLevelFiles = new Set(
    readdirSync(options.root).filter(
      (name) =>
        name !== 'index.html' &&
        CONTENT_TYPES[extname(name)] !== undefined &&
        statSync(join(options.root, name)).isFile(),
    ),
  );

  const assets = join(options.root, 'assets');
  if (existsSync(assets)) {
    await app.register(fastifyStatic, {
      root: assets,
      prefix: '/assets/',
      decorateReply: false,
      index: false,
      list: false,
      dotfiles: 'deny',
      cacheControl: false,
      setHeaders: (reply) => {
        void reply.header('cache-control', 'public, max-age=31536000, immutable');
        void reply.header('content-security-policy', WEB_APP_CSP);
      },
    });
  }

  const fastify = app.getHttpAdapter().getInstance();
  const page = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const path = request.url.split('?')[0] ?? '/';
    if (SERVER_PATHS.test(path)) {
      reply.callNotFound();
      return reply;
    }
    void reply.header('content-security-policy', WEB_APP_CSP);
    void reply.header('x-frame-options', 'DENY');
    const name = path.slice(1);
    if (topLevelFiles.has(name)) {
      void reply.header('cache-control', 'public, max-age=3600');
      void reply.type(CONTENT_TYPES[extname(name)] ?? 'application/octet-stream');
      return reply.send(createReadStream(join(options.root, name)));
    }
    // A client-side route: the app decides what to show (and its own "not found" page).
    void reply.header('cache-control', 'no-cache');
    void reply.type('text/html; charset=utf-8');
    return reply.send(indexHtml);
  };
  fastify.get('/', page);
  fastify.get('/*', page);
}
