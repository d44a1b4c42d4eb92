import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemSchema, type App } from '@timeslot/kernel';
import type { PaymentsContext } from '../context';
import { receiveWebhook } from './gateway-event.service';

/**
 * The exact bytes of a webhook body, kept out of sight: signatures are computed over the raw
 * bytes (re-serialised JSON would differ), and an object with no enumerable fields is not walked
 * byte by byte by the kernel's NUL-character check (which has nothing to do with bytes nobody
 * parses before the signature verifies).
 */
class RawBody {
  readonly #bytes: Buffer;
  constructor(bytes: Buffer) {
    this.#bytes = bytes;
  }
  get bytes(): Buffer {
    return this.#bytes;
  }
}

const gatewayParams = z.object({ gateway: z.string().min(1).max(40).describe('simulator, stripe or razorpay: the gateway this server uses.') }).strict();

const answerSchema = z.object({
  received: z.literal(true),
  duplicate: z.boolean().describe('This event id was received before: nothing more happens.'),
  ignored: z.boolean().describe('An event type payments does not act on.'),
});

/**
 * POST /api/v1/payments/webhooks/:gateway: no bearer token (gateways have none); the signature
 * over the raw body is the authentication. Only this route's scope reads bodies as raw bytes.
 */
export async function registerWebhookRoutes(app: App, ctx: PaymentsContext): Promise<void> {
  await app.register(async (instance) => {
    const scope = instance.withTypeProvider<ZodTypeProvider>();
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, new RawBody(body as Buffer)));
    scope.post(
      '/api/v1/payments/webhooks/:gateway',
      {
        schema: {
          operationId: 'receivePaymentWebhook',
          tags: ['payments'],
          summary: 'A payment gateway’s webhook: verified over its raw body (Stripe-Signature, X-Razorpay-Signature, the simulator’s), stored once per event id, applied after the answer',
          params: gatewayParams,
          response: { 200: answerSchema, 400: problemSchema, 404: problemSchema },
        },
      },
      async (request) => {
        const raw = request.body instanceof RawBody ? request.body.bytes : Buffer.alloc(0);
        return receiveWebhook(ctx, request.params.gateway, raw, request.headers);
      },
    );
  });
}
