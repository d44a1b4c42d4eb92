import { randomUUID } from 'node:crypto';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { createMemoryRateLimitStore } from '@timeslot/adapters/rate-limit/memory';
import { createLogger, createTokenVerifier, type App, type TokenVerifier } from '@timeslot/kernel';
import type { RateLimitStore } from '@timeslot/ports';
import { createGatewayApp, type GatewayOptions } from '../src';

export const issuer = 'https://identity.test';
export const audience = 'timeslot-test';
export const silentLogger = createLogger({ level: 'silent' });

export interface TestKeys {
  readonly verify: TokenVerifier;
  /** A valid access token for `userId` (a fresh uuid by default); claims and times can be overridden. */
  sign(options?: { userId?: string; role?: string; claims?: JWTPayload; audience?: string; expiresAt?: number; issuedAt?: number; key?: 'other' }): Promise<string>;
}

/** A local Ed25519 key set, as identity would publish, and a signer for it. */
export async function createTestKeys(): Promise<TestKeys> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { extractable: true });
  const other = await generateKeyPair('EdDSA');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'EdDSA', use: 'sig' };
  const verify = createTokenVerifier({ issuer, audience, keys: createLocalJWKSet({ keys: [jwk] }) });
  return {
    verify,
    async sign(options = {}) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ role: options.role ?? 'client', ...options.claims })
        .setProtectedHeader({ alg: 'EdDSA', kid: 'test-key' })
        .setIssuer(issuer)
        .setAudience(options.audience ?? audience)
        .setSubject(options.userId ?? randomUUID())
        .setJti(randomUUID())
        .setIssuedAt(options.issuedAt ?? now)
        .setExpirationTime(options.expiresAt ?? now + 300)
        .sign(options.key === 'other' ? other.privateKey : privateKey);
    },
  };
}

/** An unsigned token ("alg": "none") with otherwise valid claims. */
export function unsignedToken(userId = randomUUID()): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ iss: issuer, aud: audience, sub: userId, role: 'admin', jti: 'x', iat: now, exp: now + 300 })}.`;
}

export interface TestGateway {
  readonly app: App;
  readonly store: RateLimitStore;
  close(): Promise<void>;
}

export async function buildGateway(
  keys: TestKeys,
  options: GatewayOptions = {},
  extra: { store?: RateLimitStore; routes?: (app: App) => void | Promise<void> } = {},
): Promise<TestGateway> {
  const store = extra.store ?? createMemoryRateLimitStore();
  const app = await createGatewayApp({ logger: silentLogger, rateLimits: store, verify: keys.verify, options });
  await extra.routes?.(app);
  await app.ready();
  return {
    app,
    store,
    async close() {
      await app.close();
      await store.close();
    },
  };
}

export interface EchoReply {
  readonly server: string;
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string | string[] | undefined>;
  /** The request body as base64, or null when there was none. */
  readonly body: string | null;
}

export interface EchoServer {
  readonly name: string;
  readonly url: string;
  readonly port: number;
  /** Every request it received, in order. */
  readonly received: EchoReply[];
  close(): Promise<void>;
}

/**
 * A tiny upstream that answers every request with what it received. `?status=` sets the status,
 * `?delayMs=` waits first, `?bytes=` answers with that many bytes of octet-stream instead.
 */
export async function startEchoServer(name: string, options: { port?: number; openapi?: object } = {}): Promise<EchoServer> {
  const received: EchoReply[] = [];
  const app: FastifyInstance = Fastify({ forceCloseConnections: true });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  if (options.openapi) app.get('/openapi.json', async () => options.openapi);
  app.all('/*', async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    const echo: EchoReply = {
      server: name,
      method: request.method,
      url: request.url,
      headers: { ...request.headers },
      body: Buffer.isBuffer(request.body) && request.body.length > 0 ? request.body.toString('base64') : null,
    };
    received.push(echo);
    if (query.delayMs) await new Promise((resolve) => setTimeout(resolve, Number(query.delayMs)));
    void reply.header('x-upstream', name).header('set-cookie', ['a=1; Path=/', 'b=2; Path=/']).header('keep-alive', 'timeout=5');
    if (query.bytes) return reply.type('application/octet-stream').send(Buffer.alloc(Number(query.bytes), 7));
    return reply.status(Number(query.status ?? 200)).send(echo);
  });
  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  const port = (app.server.address() as AddressInfo).port;
  return { name, url: `http://127.0.0.1:${port}`, port, received, close: () => app.close() };
}

/** A port nothing listens on (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A TCP server that accepts connections and drops them at once, before any response byte. */
export async function startDroppingServer(): Promise<{ url: string; accepted: () => number; close(): Promise<void> }> {
  let accepted = 0;
  const server = createNetServer((socket) => {
    accepted++;
    socket.once('data', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    accepted: () => accepted,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
