import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { decodeJwt } from 'jose';
import { commonErrors, type App, type TokenVerifier } from '@timeslot/kernel';
import type { Identity } from '@timeslot/ports';

/** The cookie the board's pages authenticate with once an admin opened it with `?token=`. */
export const queueBoardCookie = 'timeslot_queue_board';

export interface QueueBoardOptions {
  /** The BullMQ queues to show (`BullMqJobQueue.queue(name)` for each of the service's queues). */
  readonly queues: readonly Queue[];
  /** The process's access-token verifier (the one `installAuth` uses). */
  readonly verify: TokenVerifier;
  /** Where the board lives (default `/admin/queues`): a plain path, no trailing slash. */
  readonly basePath?: string;
  /** Show only: no retry, clean, pause, add or obliterate from the board (default false). */
  readonly readOnly?: boolean;
}

const bearerPattern = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/;

/**
 * Bull Board (distributed mode: it reads BullMQ's keys) at `/admin/queues`, for administrators only.
 *
 * A browser sends no Authorization header when it navigates, so a page is opened once as
 * `/admin/queues?token=<access token>`: an admin's token is then kept in an HttpOnly,
 * SameSite=Strict cookie (Secure over https) scoped to the board's path and living as long as the
 * token, and the browser is redirected to the same page without the token in its address. Every
 * request under the board (the page, its static files, its /api calls) must carry an admin's token,
 * as that cookie or as `Authorization: Bearer`: otherwise 401 (none, invalid or expired) or 403
 * (another role), as problem+json. SameSite=Strict is what keeps other sites from making an
 * admin's browser call the board's API (its PUTs retry, clean and obliterate).
 *
 * The page itself is CSP-clean under the gateway's helmet policy: its scripts are same-origin
 * files (the config block is JSON, not script), its inline styles and Google Fonts stylesheet are
 * allowed by helmet's style-src ('unsafe-inline', https:), so nothing is relaxed for it.
 */
export async function registerQueueBoard(app: App, options: QueueBoardOptions): Promise<void> {
  const basePath = options.basePath ?? '/admin/queues';
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(basePath);
  createBullBoard({
    queues: options.queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: options.readOnly ?? false })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Timeslot jobs' } },
  });
  // Bull Board sets its own error handler on its routes, which would answer our 401s, and any
  // Fastify error, as a 500 without problem+json. Rethrowing hands the error to the app's handler.
  serverAdapter.setErrorHandler((error) => {
    throw error;
  });

  await app.register(async (scope) => {
    scope.addHook('onRequest', (request, reply) => guard(request, reply, options.verify, basePath));
    await scope.register(serverAdapter.registerPlugin(), { prefix: basePath });
  });
}

async function guard(request: FastifyRequest, reply: FastifyReply, verify: TokenVerifier, basePath: string): Promise<FastifyReply | undefined> {
  const url = new URL(request.url, 'http://board.invalid');
  const linkToken = request.method === 'GET' || request.method === 'HEAD' ? url.searchParams.get('token') : null;
  if (linkToken !== null) {
    requireAdmin(await verify(linkToken));
    url.searchParams.delete('token');
    void reply.header('set-cookie', sessionCookie(linkToken, basePath, request.protocol === 'https'));
    // 303: the browser follows with a GET, and the token leaves the address bar and history.
    return reply.redirect(`${url.pathname}${url.search}`, 303);
  }
  requireAdmin(await identityOf(request, verify));
  return undefined;
}

/** The caller from the bearer header (already verified when `installAuth` runs), else from the cookie. */
async function identityOf(request: FastifyRequest, verify: TokenVerifier): Promise<Identity | undefined> {
  // Undefined, not null, when the app has no installAuth: then the header is ours to verify.
  const verified = request.identity as Identity | null | undefined;
  if (verified) return verified;
  const header = request.headers.authorization;
  if (verified === undefined && header !== undefined && header !== '') {
    const token = bearerPattern.exec(header)?.[1];
    if (token === undefined) throw commonErrors.invalidToken('The Authorization header must be "Bearer <token>".');
    return verify(token);
  }
  const cookie = cookieValue(request.headers.cookie, queueBoardCookie);
  return cookie === undefined ? undefined : verify(cookie);
}

function requireAdmin(identity: Identity | undefined): void {
  if (identity === undefined) {
    throw commonErrors.unauthenticated('Open the job board as an administrator: /admin/queues?token=<access token>, or send Authorization: Bearer <token>.');
  }
  if (identity.role !== 'admin') throw commonErrors.forbidden('Only administrators may see the job queues.');
}

/** The cookie lives exactly as long as the token in it; the verifier refuses it after that anyway. */
function sessionCookie(token: string, path: string, secure: boolean): string {
  const expiresAt = decodeJwt(token).exp ?? 0;
  const maxAge = Math.max(0, expiresAt - Math.floor(Date.now() / 1000));
  return `${queueBoardCookie}=${token}; Path=${path}; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return undefined;
}
