import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import type { Logger } from '@timeslot/kernel';
import { paymentsErrors } from '../errors';
import type { GatewayEvent, PaymentProvider, PlacedOrder, WebhookOutcome } from './gateway';
import { checkoutSignature, hmacHex, parseJsonObject, sameHex, signTimestamped, verifyTimestamped } from './signatures';

/*
 * The built-in payment gateway for embedded mode and demos. It moves no money: its checkout page
 * (served by the payments service, see simulator.routes.ts) lets the client pay or fail, and it
 * then does what a real gateway does: sends a signed webhook to our webhook endpoint over HTTP
 * (Stripe's timestamped scheme) and hands the browser a Razorpay-style callback signature for
 * POST /payments/:id/verify. So the paid flow runs end to end with nothing configured.
 */

export const simulatorSignatureHeader = 'x-simulator-signature';

export interface SimulatorSettings {
  /** Signs checkout links, webhooks and callbacks; shared by every replica (random per process when embedded). */
  readonly secret: string;
  /** The public base URL of this server, for absolute checkout links (relative ones without it). */
  readonly publicUrl: () => string | undefined;
  /** Where the simulator posts its webhooks: this server's own address, once it listens. */
  readonly webhookBaseUrl: () => string | undefined;
  readonly logger: Logger;
}

export interface SimulatedPayment {
  readonly gatewayPaymentId: string;
  /** The Razorpay-style signature a checkout page hands the browser for POST /verify (paid only). */
  readonly signature: string | null;
  /** Whether our webhook endpoint acknowledged the webhook. */
  readonly delivered: boolean;
}

export interface SimulatorGateway extends PaymentProvider {
  readonly name: 'simulator';
  /** The capability in a checkout link: only whoever got the order's checkout URL can pay it. */
  checkoutToken(orderId: string): string;
  checkoutTokenValid(orderId: string, token: string): boolean;
  /** The client pressed pay (or fail): the webhook goes out, signed, as a gateway would send it. */
  complete(order: PlacedOrder, outcome: 'pay' | 'fail', now: Date): Promise<SimulatedPayment>;
}

export const checkoutPath = (orderId: string) => `/api/v1/payments/simulator/checkout/${orderId}`;

export function createSimulatorGateway(settings: SimulatorSettings): SimulatorGateway {
  const { secret } = settings;
  const checkoutToken = (orderId: string) => hmacHex(secret, `checkout|${orderId}`);

  async function deliver(body: string, now: Date): Promise<boolean> {
    const base = settings.webhookBaseUrl();
    if (base === undefined) {
      settings.logger.warn('simulator: this server does not listen yet; webhook not sent (POST /verify still confirms)');
      return false;
    }
    const url = `${base.replace(/\/+$/, '')}/api/v1/payments/webhooks/simulator`;
    // A real gateway retries for days; three quick tries are enough for a demo on one machine,
    // and the callback (POST /verify) covers the rest.
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        const signed = signTimestamped(secret, body, Math.floor(now.getTime() / 1000));
        const response = await request(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [simulatorSignatureHeader]: signed },
          body,
          signal: AbortSignal.timeout(5000),
        });
        await response.body.dump();
        if (response.statusCode < 300) return true;
        settings.logger.warn({ status: response.statusCode, attempt }, 'simulator: our webhook endpoint refused the webhook');
        if (response.statusCode < 500) return false;
      } catch (error) {
        settings.logger.warn({ err: error, attempt }, 'simulator: webhook delivery failed');
      }
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
    return false;
  }

  return {
    name: 'simulator',
    checkoutToken,
    checkoutTokenValid: (orderId, token) => sameHex(checkoutToken(orderId), token),

    async createOrder(order) {
      const base = settings.publicUrl()?.replace(/\/+$/, '') ?? '';
      return {
        gatewayOrderId: `sim_order_${order.id.replaceAll('-', '')}`,
        checkoutUrl: `${base}${checkoutPath(order.id)}?token=${checkoutToken(order.id)}`,
        clientSecret: null,
      };
    },

    async cancelOrder() {
      // Nothing to stop: the checkout page refuses orders that are no longer payable.
    },

    async refund(refund) {
      return { gatewayRefundId: `sim_refund_${refund.refundId.replaceAll('-', '')}` };
    },

    parseWebhook(rawBody, headers, now): WebhookOutcome {
      verifyTimestamped(secret, headers[simulatorSignatureHeader], rawBody, now);
      const body = parseJsonObject(rawBody);
      const data = body.data as Record<string, unknown> | undefined;
      if (typeof body.id !== 'string' || typeof body.type !== 'string' || typeof data !== 'object' || data === null) throw paymentsErrors.malformed('id, type and data are required');
      const kind = body.type === 'payment.captured' ? 'captured' : body.type === 'payment.failed' ? 'failed' : body.type === 'payment.authorized' ? 'authorized' : undefined;
      if (kind === undefined) return { ignored: body.type };
      if (typeof data.order_id !== 'string' || typeof data.payment_id !== 'string' || !Number.isSafeInteger(data.amount) || typeof data.currency !== 'string') {
        throw paymentsErrors.malformed('data needs order_id, payment_id, an integer amount and currency');
      }
      return {
        event: {
          eventId: body.id,
          kind,
          gatewayOrderId: data.order_id,
          gatewayPaymentId: data.payment_id,
          amount: data.amount as number,
          currency: data.currency,
          detail: typeof data.reason === 'string' ? data.reason.slice(0, 200) : null,
        },
      };
    },

    async verifyCallback(order, callback): Promise<GatewayEvent> {
      const expected = checkoutSignature(secret, order.gatewayOrderId, callback.gatewayPaymentId);
      if (callback.signature === undefined || !sameHex(expected, callback.signature)) throw paymentsErrors.callbackSignatureInvalid();
      // Only a paid checkout hands out a signature: it stands for the order's full amount.
      return {
        eventId: `callback_${callback.gatewayPaymentId}`,
        kind: 'captured',
        gatewayOrderId: order.gatewayOrderId,
        gatewayPaymentId: callback.gatewayPaymentId,
        amount: order.amount,
        currency: order.currency,
        detail: null,
      };
    },

    async complete(order, outcome, now) {
      // One payment per order when it succeeds (pressing pay twice is the same payment, sent
      // again); every failed attempt is its own.
      const gatewayPaymentId = outcome === 'pay' ? `pay_sim_${order.id.replaceAll('-', '')}` : `pay_sim_failed_${randomUUID().replaceAll('-', '')}`;
      const body = JSON.stringify({
        id: `evt_sim_${randomUUID().replaceAll('-', '')}`,
        type: outcome === 'pay' ? 'payment.captured' : 'payment.failed',
        created: Math.floor(now.getTime() / 1000),
        data: {
          order_id: order.gatewayOrderId,
          payment_id: gatewayPaymentId,
          amount: order.amount,
          currency: order.currency,
          ...(outcome === 'fail' ? { reason: 'The simulated card was declined.' } : {}),
        },
      });
      const delivered = await deliver(body, now);
      return { gatewayPaymentId, signature: outcome === 'pay' ? checkoutSignature(secret, order.gatewayOrderId, gatewayPaymentId) : null, delivered };
    },
  };
}
