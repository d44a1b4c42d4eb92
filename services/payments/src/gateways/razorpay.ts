import Razorpay from 'razorpay';
import { paymentsErrors } from '../errors';
import type { GatewayEvent, PaymentProvider, WebhookOutcome } from './gateway';
import { checkoutSignature, parseJsonObject, sameHex, verifyBodySignature } from './signatures';

/*
 * Razorpay, through its official client: one Razorpay order per order (receipt = our order id,
 * automatic capture); the browser's Checkout returns razorpay_payment_id and razorpay_signature,
 * the HMAC-SHA256 of `<order id>|<payment id>` with the key secret; webhooks carry
 * X-Razorpay-Signature, the HMAC-SHA256 of the raw body with the webhook secret. Razorpay takes no
 * idempotency key, so we dedupe ourselves: an order is looked up by its receipt before one is
 * made, and a refund (receipt = our refund id) among the payment's refunds before one is sent.
 */

export interface RazorpaySettings {
  /** RAZORPAY_KEY_ID (public: the browser's Checkout needs it too). */
  readonly keyId: string;
  /** RAZORPAY_KEY_SECRET. */
  readonly keySecret: string;
  /** RAZORPAY_WEBHOOK_SECRET. */
  readonly webhookSecret: string;
  /** RAZORPAY_API_URL: another API origin (tests point it at a local fake). */
  readonly apiUrl?: string | undefined;
  readonly timeoutMs: number;
}

interface PaymentEntity {
  id?: unknown;
  order_id?: unknown;
  amount?: unknown;
  currency?: unknown;
  status?: unknown;
  error_description?: unknown;
}

const kinds: Record<string, GatewayEvent['kind']> = {
  'payment.authorized': 'authorized',
  'payment.captured': 'captured',
  'order.paid': 'captured',
  'payment.failed': 'failed',
};

function eventOf(eventId: string, kind: GatewayEvent['kind'], payment: PaymentEntity): GatewayEvent {
  if (typeof payment.id !== 'string' || typeof payment.order_id !== 'string' || !Number.isSafeInteger(payment.amount) || typeof payment.currency !== 'string') {
    throw paymentsErrors.malformed('the payment lacks its id, order_id, amount or currency');
  }
  return {
    eventId,
    kind,
    gatewayOrderId: payment.order_id,
    gatewayPaymentId: payment.id,
    amount: payment.amount as number,
    currency: payment.currency.toUpperCase(),
    detail: typeof payment.error_description === 'string' ? payment.error_description.slice(0, 200) : null,
  };
}

interface Collection<T> {
  readonly items?: readonly T[];
}

export function createRazorpayGateway(settings: RazorpaySettings): PaymentProvider {
  const razorpay = new Razorpay({ key_id: settings.keyId, key_secret: settings.keySecret });
  // The client hard-codes api.razorpay.com and sets no timeout; both live on its axios instance.
  const http = (razorpay as unknown as { api: { rq: { defaults: { baseURL?: string; timeout?: number } } } }).api.rq;
  if (settings.apiUrl !== undefined) http.defaults.baseURL = settings.apiUrl.replace(/\/+$/, '');
  http.defaults.timeout = settings.timeoutMs;

  return {
    name: 'razorpay',

    async createOrder(order) {
      // A retry after a timeout finds the order the first attempt made (Razorpay has no idempotency keys).
      const existing = (await razorpay.orders.all({ receipt: order.id, count: 1 })) as Collection<{ id: string; receipt?: string }>;
      const found = existing.items?.find((item) => item.receipt === order.id);
      const made =
        found ??
        ((await razorpay.orders.create({
          amount: order.amount,
          currency: order.currency,
          receipt: order.id,
          notes: { orderId: order.id, bookingId: order.bookingId },
          payment_capture: true,
        })));
      return { gatewayOrderId: made.id, checkoutUrl: null, clientSecret: made.id };
    },

    async cancelOrder() {
      // Razorpay orders cannot be cancelled; a payment that still lands is refunded.
    },

    async refund(refund) {
      const refunds = (await razorpay.payments.fetchMultipleRefund(refund.gatewayPaymentId, { count: 100 })) as Collection<{ id: string; receipt?: string | null }>;
      const sent = refunds.items?.find((item) => item.receipt === refund.refundId);
      if (sent !== undefined) return { gatewayRefundId: sent.id };
      const created = (await razorpay.payments.refund(refund.gatewayPaymentId, {
        amount: refund.amount,
        receipt: refund.refundId,
        notes: { refundId: refund.refundId, orderId: refund.orderId },
      })) as { id: string; status?: string };
      if (created.status === 'failed') throw new Error('Razorpay refused the refund (failed)');
      return { gatewayRefundId: created.id };
    },

    parseWebhook(rawBody, headers): WebhookOutcome {
      // No timestamp is signed: replays are caught by the event id, stored once.
      verifyBodySignature(settings.webhookSecret, headers['x-razorpay-signature'], rawBody);
      const body = parseJsonObject(rawBody);
      if (typeof body.event !== 'string') throw paymentsErrors.malformed('event is required');
      const kind = kinds[body.event];
      if (kind === undefined) return { ignored: body.event };
      const entity = (body.payload as { payment?: { entity?: unknown } } | undefined)?.payment?.entity;
      if (typeof entity !== 'object' || entity === null) throw paymentsErrors.malformed('payload.payment.entity is required');
      const payment: PaymentEntity = entity;
      const header = headers['x-razorpay-event-id'];
      const eventId = typeof header === 'string' && header.length > 0 ? header : `${body.event}:${String(payment.id)}`;
      return { event: eventOf(eventId, kind, payment) };
    },

    async verifyCallback(order, callback) {
      const expected = checkoutSignature(settings.keySecret, order.gatewayOrderId, callback.gatewayPaymentId);
      if (callback.signature === undefined || !sameHex(expected, callback.signature)) throw paymentsErrors.callbackSignatureInvalid();
      // The signature proves a payment for this order; its state and amount come from Razorpay.
      const payment = (await razorpay.payments.fetch(callback.gatewayPaymentId)) as PaymentEntity;
      if (payment.order_id !== order.gatewayOrderId) throw paymentsErrors.callbackSignatureInvalid();
      const kind = payment.status === 'captured' ? 'captured' : payment.status === 'authorized' ? 'authorized' : payment.status === 'failed' ? 'failed' : undefined;
      if (kind === undefined) throw paymentsErrors.notCompleted(String(payment.status));
      return eventOf(`callback_${callback.gatewayPaymentId}_${String(payment.status)}`, kind, payment);
    },
  };
}
