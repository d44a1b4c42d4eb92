import type { IncomingHttpHeaders } from 'node:http';
import type { PaymentGateway } from '@timeslot/ports';
import type { GatewayEventKind } from '../tables';

/*
 * The PaymentProvider port: what the payments service needs of a payment gateway. Three adapters:
 * the built-in simulator (embedded mode and demos), Stripe (payment intents) and Razorpay (orders).
 * Every call that moves money carries an idempotency key derived from our own ids, so a retry after
 * a timeout never charges or refunds twice. Adapters never log or return their secrets.
 */

/** The gateway's side of one of our orders, as the client needs it to pay. */
export interface GatewayOrder {
  readonly gatewayOrderId: string;
  /** A page where the client pays (simulator, hosted checkouts). */
  readonly checkoutUrl: string | null;
  /** What the gateway's client-side checkout needs (Stripe: the intent's secret; Razorpay: the order id). */
  readonly clientSecret: string | null;
}

/** A verified gateway event about one order's payment, normalised. */
export interface GatewayEvent {
  /** The gateway's id of the event: the same id twice is one event. */
  readonly eventId: string;
  readonly kind: GatewayEventKind;
  readonly gatewayOrderId: string;
  readonly gatewayPaymentId: string | null;
  /** Minor units; null when the event does not say (then it is not checked). */
  readonly amount: number | null;
  readonly currency: string | null;
  /** Why a payment failed, as the gateway says it (never a card number or a secret). */
  readonly detail: string | null;
}

/** A verified webhook: an event to act on, or one of a type we do not act on. */
export type WebhookOutcome = { readonly event: GatewayEvent } | { readonly ignored: string };

export interface OrderToPlace {
  readonly id: string;
  readonly bookingId: string;
  readonly amount: number;
  readonly currency: string;
  readonly description: string;
}

export interface RefundToSend {
  readonly refundId: string;
  readonly orderId: string;
  readonly gatewayOrderId: string | null;
  readonly gatewayPaymentId: string;
  readonly amount: number;
  readonly currency: string;
}

export interface PlacedOrder {
  readonly id: string;
  readonly gatewayOrderId: string;
  readonly amount: number;
  readonly currency: string;
}

export interface PaymentProvider {
  readonly name: PaymentGateway;
  /** Make the gateway's order for ours (idempotency key: `order-<our id>`). */
  createOrder(order: OrderToPlace): Promise<GatewayOrder>;
  /** The booking is gone unpaid: stop the order being paid where the gateway can (best effort). */
  cancelOrder(order: PlacedOrder): Promise<void>;
  /** Send money back (idempotency key: `refund-<our refund id>`); resolves with the gateway's refund id. */
  refund(refund: RefundToSend): Promise<{ readonly gatewayRefundId: string }>;
  /**
   * Verify a webhook over the exact bytes received and read it. Throws WEBHOOK_SIGNATURE_INVALID,
   * WEBHOOK_TIMESTAMP_STALE or WEBHOOK_MALFORMED; never trusts a byte before the signature checks.
   */
  parseWebhook(rawBody: Buffer, headers: IncomingHttpHeaders, now: Date): WebhookOutcome;
  /**
   * The checkout callback the client's browser relays after paying: verified (a signature over
   * the order and payment ids, or by asking the gateway), then read like a webhook.
   */
  verifyCallback(order: PlacedOrder, callback: { readonly gatewayPaymentId: string; readonly signature?: string | undefined }): Promise<GatewayEvent>;
  close?(): Promise<void>;
}
