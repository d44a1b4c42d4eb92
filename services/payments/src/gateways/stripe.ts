import Stripe from 'stripe';
import { paymentsErrors } from '../errors';
import type { GatewayEvent, PaymentProvider, WebhookOutcome } from './gateway';
import { parseJsonObject, verifyTimestamped } from './signatures';

/*
 * Stripe, through its official client: one PaymentIntent per order (the client confirms it with
 * Stripe.js and the intent's client secret), automatic capture, refunds against the intent.
 * Webhooks are verified over the raw body with Stripe's scheme (Stripe-Signature: t=…,v1=…, the
 * HMAC-SHA256 of `${t}.${body}` with the endpoint's secret, 300 s tolerance). Idempotency keys:
 * `order-<our order id>`, `cancel-<our order id>`, `refund-<our refund id>`.
 */

export interface StripeSettings {
  /** STRIPE_SECRET_KEY. */
  readonly secretKey: string;
  /** STRIPE_WEBHOOK_SECRET (whsec_…). */
  readonly webhookSecret: string;
  /** STRIPE_API_URL: another API origin (tests point it at a local fake). */
  readonly apiUrl?: string | undefined;
  readonly timeoutMs: number;
}

const kinds: Record<string, GatewayEvent['kind']> = {
  'payment_intent.succeeded': 'captured',
  'payment_intent.amount_capturable_updated': 'authorized',
  'payment_intent.payment_failed': 'failed',
};

interface IntentLike {
  id?: unknown;
  amount?: unknown;
  amount_received?: unknown;
  currency?: unknown;
  status?: unknown;
  last_payment_error?: { message?: unknown } | null;
}

function eventOf(eventId: string, kind: GatewayEvent['kind'], intent: IntentLike): GatewayEvent {
  if (typeof intent.id !== 'string' || typeof intent.currency !== 'string' || !Number.isSafeInteger(intent.amount)) {
    throw paymentsErrors.malformed('the payment intent lacks its id, amount or currency');
  }
  const received = Number.isSafeInteger(intent.amount_received) && (intent.amount_received as number) > 0 ? (intent.amount_received as number) : (intent.amount as number);
  const message = intent.last_payment_error?.message;
  return {
    eventId,
    kind,
    gatewayOrderId: intent.id,
    // Refunds name the intent, so the intent is the payment.
    gatewayPaymentId: intent.id,
    amount: kind === 'captured' ? received : (intent.amount as number),
    currency: intent.currency.toUpperCase(),
    detail: typeof message === 'string' ? message.slice(0, 200) : null,
  };
}

export function createStripeGateway(settings: StripeSettings): PaymentProvider {
  const api = settings.apiUrl === undefined ? undefined : new URL(settings.apiUrl);
  const stripe = new Stripe(settings.secretKey, {
    timeout: settings.timeoutMs,
    // Our own retries (the sweep, with the same idempotency keys) take over after one.
    maxNetworkRetries: 1,
    telemetry: false,
    ...(api === undefined ? {} : { host: api.hostname, port: api.port === '' ? (api.protocol === 'https:' ? 443 : 80) : Number(api.port), protocol: api.protocol === 'http:' ? 'http' : 'https' }),
  });

  return {
    name: 'stripe',

    async createOrder(order) {
      const intent = await stripe.paymentIntents.create(
        {
          amount: order.amount,
          currency: order.currency.toLowerCase(),
          description: order.description,
          metadata: { orderId: order.id, bookingId: order.bookingId },
          automatic_payment_methods: { enabled: true },
        },
        { idempotencyKey: `order-${order.id}` },
      );
      return { gatewayOrderId: intent.id, checkoutUrl: null, clientSecret: intent.client_secret };
    },

    async cancelOrder(order) {
      try {
        await stripe.paymentIntents.cancel(order.gatewayOrderId, {}, { idempotencyKey: `cancel-${order.id}` });
      } catch (error) {
        // Already succeeded or cancelled: nothing to stop (a late payment is refunded instead).
        if ((error as { code?: unknown }).code !== 'payment_intent_unexpected_state') throw error;
      }
    },

    async refund(refund) {
      const created = await stripe.refunds.create(
        { payment_intent: refund.gatewayPaymentId, amount: refund.amount, metadata: { refundId: refund.refundId, orderId: refund.orderId } },
        { idempotencyKey: `refund-${refund.refundId}` },
      );
      if (created.status === 'failed' || created.status === 'canceled') throw new Error(`Stripe refused the refund (${created.status})`);
      return { gatewayRefundId: created.id };
    },

    parseWebhook(rawBody, headers, now): WebhookOutcome {
      verifyTimestamped(settings.webhookSecret, headers['stripe-signature'], rawBody, now);
      const event = parseJsonObject(rawBody);
      if (typeof event.id !== 'string' || typeof event.type !== 'string') throw paymentsErrors.malformed('id and type are required');
      const kind = kinds[event.type];
      if (kind === undefined) return { ignored: event.type };
      const object = (event.data as { object?: unknown } | undefined)?.object;
      if (typeof object !== 'object' || object === null) throw paymentsErrors.malformed('data.object is required');
      return { event: eventOf(event.id, kind, object) };
    },

    async verifyCallback(order, callback) {
      // Stripe.js confirms the intent in the browser; its outcome is read from Stripe itself.
      if (callback.gatewayPaymentId !== order.gatewayOrderId) throw paymentsErrors.callbackSignatureInvalid();
      const intent = await stripe.paymentIntents.retrieve(order.gatewayOrderId);
      const kind = intent.status === 'succeeded' ? 'captured' : intent.status === 'requires_capture' ? 'authorized' : undefined;
      if (kind === undefined) throw paymentsErrors.notCompleted(intent.status);
      return eventOf(`callback_${intent.id}_${intent.status}`, kind, intent);
    },
  };
}
