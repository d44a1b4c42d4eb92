import { statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import fastifyStatic, { type SetHeadersResponse } from '@fastify/static';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { commonErrors, type App, type Logger } from '@timeslot/kernel';
import { looseCanonicalPath } from './rate-limit';

/**
 * Paths the API owns: never a file of the web app, never its index.html. Matched as path prefixes
 * (the path itself or anything below it) on the request's path folded as the rate limiter folds it
 * (decoded, dot segments resolved, slashes collapsed, lower-cased), so no spelling of an API path
 * gets the web app instead of the API's 404.
 */
export const reservedPrefixes = ['/api', '/docs', '/healthz', '/readyz', '/metrics', '/admin/queues', '/.well-known', '/dev/mail'] as const;
/** Reserved as exact paths only. */
export const reservedPaths = ['/openapi.json'] as const;

/** Vite's hashed output: a file's name changes with its content, so a copy is good forever. */
const assetsDirectory = 'assets';
const immutable = 'public, max-age=31536000, immutable';
// Stored, but revalidated on every use (ETag / Last-Modified): a new build shows on the next load.
const revalidate = 'no-cache';

export const buildCommand = 'npm run build -w @timeslot/web';

const notBuiltPage = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Timeslot</title></head>
<body>
<h1>Timeslot</h1>
<p>The web app is not built. Build it with <code>${buildCommand}</code>, then reload this page.</p>
<p>The API is running: see its documentation at <a href="/docs">/docs</a> (the OpenAPI document is <a href="/openapi.json">/openapi.json</a>).</p>
</body>
</html>
`;

export function isReservedPath(requestPath: string): boolean {
  const folded = looseCanonicalPath(requestPath);
  if ((reservedPaths as readonly string[]).includes(folded)) return true;
  return reservedPrefixes.some((prefix) => folded === prefix || folded.startsWith(`${prefix}/`));
}

/**
 * Whether an Accept header lets the answer be text/html: the most specific range that matches
 * text/html (text/html, then text/*, then *\/*) decides by its q. No Accept header accepts anything.
 */
export function acceptsHtml(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  const specificity: Record<string, number> = { 'text/html': 3, 'text/*': 2, '*/*': 1 };
  let best: { specificity: number; q: number } | undefined;
  for (const range of accept.split(',')) {
    const [type = '', ...parameters] = range.split(';').map((part) => part.trim().toLowerCase());
    const rank = specificity[type];
    if (rank === undefined || (best !== undefined && best.specificity >= rank)) continue;
    const q = parameters.find((parameter) => parameter.startsWith('q='));
    best = { specificity: rank, q: q === undefined ? 1 : Number(q.slice(2)) };
  }
  return best !== undefined && best.q > 0;
}

/**
 * The path's segments, decoded; undefined for a path no page or file lives at: bad
 * percent-encoding, a "." or ".." segment, or a slash, backslash or control character hidden in an
 * escape (every traversal spelling). Empty segments (a trailing slash) are kept.
 */
function pathSegments(urlPath: string): string[] | undefined {
  if (!urlPath.startsWith('/')) return undefined;
  const segments: string[] = [];
  for (const raw of urlPath.slice(1).split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    // eslint-disable-next-line no-control-regex
    if (segment === '.' || segment === '..' || /[/\\\u0000-\u001f\u007f]/.test(segment)) return undefined;
    segments.push(segment);
  }
  return segments;
}

/** A segment a file is looked up by: not empty, not a dot file, nothing send would read as URL syntax. */
function isFileName(segment: string): boolean {
  return segment !== '' && !segment.startsWith('.') && !/[?#]/.test(segment);
}

/**
 * What an API path nothing else matched gets: the kernel's 404, as without this catch-all. But for
 * a segment longer than the router's maxParamLength, find-my-way would have answered 400 ("A path
 * segment is too long.", through the kernel's frameworkErrors) when a parametric route was there;
 * with a wildcard at the root it backtracks to the wildcard instead, so that 400 is given here (for
 * any over-long segment under an API path: a 404 before when no parametric route was there).
 */
function apiPathError(urlPath: string, method: string, maxParamLength: number): Error {
  const tooLong = urlPath.split('/').some((raw) => {
    try {
      return decodeURIComponent(raw).length > maxParamLength;
    } catch {
      return raw.length > maxParamLength;
    }
  });
  return tooLong ? commonErrors.badRequest('A path segment is too long.') : commonErrors.routeNotFound(method);
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

export interface WebOptions {
  readonly root: string;
  readonly logger: Logger;
}

/**
 * The web app's built files at `/`, with index.html for the client-side routes (see
 * GatewayOptions.web). One GET/HEAD catch-all route: the router prefers every static, parametric
 * and more specific wildcard route (services in embedded mode, proxied prefixes in distributed
 * mode, /docs, /healthz…) to it, so it only answers paths nothing else claims; under the API's
 * reserved paths it answers the kernel's 404 as if it were not there.
 */
export async function registerWebApp(app: App, options: WebOptions): Promise<void> {
  const root = path.resolve(options.root);
  const index = path.join(root, 'index.html');
  if (!isFileSync(index)) {
    options.logger.warn(
      { webRoot: root },
      `The web app is not built: ${root} has no index.html. Build it with \`${buildCommand}\`; until then / shows how.`,
    );
  }

  const maxParamLength = app.initialConfig.maxParamLength ?? 100;
  const cacheControl = (response: SetHeadersResponse, file: string) => {
    const relative = path.relative(root, file);
    response.setHeader('cache-control', relative.startsWith(assetsDirectory + path.sep) ? immutable : revalidate);
  };

  // Encapsulated: reply.sendFile exists only here, and Swagger UI and Bull Board register their own copy.
  await app.register(async (scope) => {
    // No `root` and no route of the plugin's own (serve: false): it never stats a missing root at
    // start, and every lookup below passes `root` explicitly.
    await scope.register(fastifyStatic, {
      serve: false,
      // Set once the file is found (setHeaders runs only then): a 404 must not be cached for a year.
      cacheControl: false,
      setHeaders: cacheControl,
      dotfiles: 'ignore',
      index: false,
    });

    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      const urlPath = request.url.split('?', 1)[0] ?? '';
      if (isReservedPath(urlPath)) throw apiPathError(urlPath, request.method, maxParamLength);
      const segments = pathSegments(urlPath);
      if (segments === undefined) throw commonErrors.routeNotFound(request.method);
      if (segments.every(isFileName)) {
        const file = path.join(root, ...segments);
        if (file.startsWith(root + path.sep) && (await isFile(file))) return reply.sendFile(segments.join('/'), root);
      }
      // A missing hashed file is a stale or mistyped reference, never a page.
      if (segments[0] === assetsDirectory) throw commonErrors.routeNotFound(request.method);
      varyOnAccept(reply);
      if (!acceptsHtml(request.headers.accept)) throw commonErrors.routeNotFound(request.method);
      if (await isFile(index)) return reply.sendFile('index.html', root);
      return reply.header('cache-control', revalidate).type('text/html; charset=utf-8').send(notBuiltPage);
    };
    scope.route({ method: ['GET', 'HEAD'], url: '/*', schema: { hide: true }, handler });
  });
}

function isFileSync(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The answer at a client route depends on Accept (the page, or a 404): shared caches must key on it. */
function varyOnAccept(reply: FastifyReply): void {
  const vary = reply.getHeader('vary');
  void reply.header('vary', vary === undefined ? 'Accept' : `${String(vary)}, Accept`);
}
