import { z } from 'zod';
import { problemSchema, type App } from '@timeslot/kernel';
import { publicJwks, type SigningKeys } from './signing-keys';

const jwksSchema = z
  .object({
    keys: z.array(
      z.object({
        kty: z.string(),
        crv: z.string(),
        x: z.string(),
        kid: z.string(),
        alg: z.string(),
        use: z.literal('sig'),
      }),
    ),
  })
  .describe('The public keys that verify access tokens (RFC 7517 JWK set).');

export function registerJwksRoutes(app: App, keys: SigningKeys): void {
  const body = publicJwks(keys);
  app.get(
    '/.well-known/jwks.json',
    {
      schema: {
        tags: ['auth'],
        summary: 'Public keys for verifying access tokens',
        // 401 only for a request that sends a bad bearer token: every route refuses one.
        response: { 200: jwksSchema, 401: problemSchema },
      },
    },
    async (_request, reply) => {
      // Verifiers cache it; five minutes bounds how long a newly added key can go unseen.
      return reply.header('cache-control', 'public, max-age=300').send(body);
    },
  );
}
