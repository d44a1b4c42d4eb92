import { randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { z } from 'zod';
import { commonErrors, type App } from '@timeslot/kernel';
import type { IdentityService } from '@timeslot/identity';

/**
 * `timeslot create-admin` while the embedded server runs: the CLI may not open the data directory
 * (the server holds it), so it asks the server. The server writes a secret, new at each start, into the
 * data directory's lock file (mode 0600, so only the user who runs it can read it); the endpoint
 * answers only requests from this machine that present it. To anyone else it does not exist
 * (404, the same answer as any unknown route), and it is left out of the OpenAPI document.
 */
export const localAdminPath = '/_local/admins';
export const localSecretHeader = 'x-timeslot-local-secret';

export function createLocalSecret(): string {
  return randomBytes(32).toString('base64url');
}

const body = z.object({ email: z.string(), password: z.string(), name: z.string() }).strict();

function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
  return plain === '::1' || (isIP(plain) === 4 && plain.startsWith('127.'));
}

function secretMatches(given: string | string[] | undefined, secret: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function registerLocalAdmin(app: App, identity: IdentityService, secret: string): void {
  app.post(
    localAdminPath,
    {
      schema: { hide: true },
      // Checked before the body is parsed or validated: an outsider learns nothing, not even the shape.
      onRequest: async (request) => {
        if (!isLoopback(request.socket.remoteAddress) || !secretMatches(request.headers[localSecretHeader], secret)) {
          throw commonErrors.routeNotFound(request.method);
        }
      },
    },
    async (request, reply) => {
      const parsed = body.safeParse(request.body);
      if (!parsed.success) throw commonErrors.validation(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
      const admin = await identity.createAdmin(parsed.data);
      request.log.info({ userId: admin.id }, 'administrator created through the local admin endpoint');
      return reply.status(201).send({ id: admin.id, email: admin.email });
    },
  );
}
