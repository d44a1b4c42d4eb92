import { bigint, integer, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { paymentGateways, paymentStatuses } from '@timeslot/ports';

/**
 * Drizzle definitions of the tables migrations/0001_init.sql creates, for typed queries only: the
 * SQL file is the source of truth (checks, indexes). The schema name is a parameter so a test can
 * isolate itself in a uniquely named schema.
 */

export const bookingStatuses = ['pending_payment', 'confirmed', 'expired', 'cancelled', 'completed', 'no_show'] as const;
export const refundReasons = ['cancellation', 'late_payment', 'manual'] as const;
export type RefundReason = (typeof refundReasons)[number];
export const refundStatuses = ['pending', 'succeeded', 'failed'] as const;
export const gatewayEventKinds = ['authorized', 'captured', 'failed'] as const;
export type GatewayEventKind = (typeof gatewayEventKinds)[number];

const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
};

export function paymentsTables(schemaName: string) {
  const schema = pgSchema(schemaName);

  const orders = schema.table('orders', {
    id: uuid('id').primaryKey(),
    bookingId: uuid('booking_id').notNull(),
    clientId: uuid('client_id').notNull(),
    providerId: uuid('provider_id').notNull(),
    providerUserId: uuid('provider_user_id'),
    serviceId: uuid('service_id').notNull(),
    description: text('description').notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    status: text('status', { enum: paymentStatuses }).notNull(),
    refundedAmount: bigint('refunded_amount', { mode: 'number' }).notNull().default(0),
    gateway: text('gateway', { enum: paymentGateways }).notNull(),
    gatewayOrderId: text('gateway_order_id'),
    gatewayPaymentId: text('gateway_payment_id'),
    checkoutUrl: text('checkout_url'),
    clientSecret: text('client_secret'),
    bookingStatus: text('booking_status', { enum: bookingStatuses }).notNull().default('pending_payment'),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    holdExpiresAt: timestamp('hold_expires_at', { withTimezone: true }),
    cancellationWindowMinutes: integer('cancellation_window_minutes').notNull().default(0),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    ...timestamps,
  });

  const transitions = schema.table('transitions', {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    orderId: uuid('order_id').notNull(),
    fromStatus: text('from_status', { enum: paymentStatuses }),
    toStatus: text('to_status', { enum: paymentStatuses }).notNull(),
    gatewayRef: text('gateway_ref'),
    amount: bigint('amount', { mode: 'number' }),
    reason: text('reason').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  });

  const refunds = schema.table('refunds', {
    id: uuid('id').primaryKey(),
    orderId: uuid('order_id').notNull(),
    gatewayPaymentId: text('gateway_payment_id').notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    reason: text('reason', { enum: refundReasons }).notNull(),
    status: text('status', { enum: refundStatuses }).notNull(),
    gatewayRefundId: text('gateway_refund_id'),
    requestedBy: uuid('requested_by'),
    idempotencyKey: text('idempotency_key'),
    requestHash: text('request_hash'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    ...timestamps,
  });

  const gatewayEvents = schema.table('gateway_events', {
    id: uuid('id').primaryKey(),
    gateway: text('gateway', { enum: paymentGateways }).notNull(),
    eventId: text('event_id').notNull(),
    orderId: uuid('order_id').notNull(),
    kind: text('kind', { enum: gatewayEventKinds }).notNull(),
    gatewayPaymentId: text('gateway_payment_id'),
    amount: bigint('amount', { mode: 'number' }),
    currency: text('currency'),
    source: text('source', { enum: ['webhook', 'callback'] }).notNull(),
    detail: text('detail'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp('processed_at', { withTimezone: true }),
    outcome: text('outcome'),
  });

  return { schemaName, orders, transitions, refunds, gatewayEvents };
}

export type PaymentsTables = ReturnType<typeof paymentsTables>;
export type OrderRow = PaymentsTables['orders']['$inferSelect'];
export type TransitionRow = PaymentsTables['transitions']['$inferSelect'];
export type RefundRow = PaymentsTables['refunds']['$inferSelect'];
export type GatewayEventRow = PaymentsTables['gatewayEvents']['$inferSelect'];
