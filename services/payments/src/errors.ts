import { appErrorFactory } from '@timeslot/kernel';

/**
 * Every code the payments service returns besides the common ones, with its HTTP status.
 * docs/errors.md lists the same codes (a test keeps them in step).
 */
export const paymentsErrorCodes = {
  PAYMENT_NOT_FOUND: 404,
  PAYMENT_NOT_PAYABLE: 409,
  PAYMENT_NOT_REFUNDABLE: 409,
  PAYMENT_NOT_COMPLETED: 409,
  REFUND_EXCEEDS_REFUNDABLE: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  CHECKOUT_LINK_INVALID: 404,
  CALLBACK_SIGNATURE_INVALID: 400,
  WEBHOOK_GATEWAY_UNKNOWN: 404,
  WEBHOOK_SIGNATURE_INVALID: 400,
  WEBHOOK_TIMESTAMP_STALE: 400,
  WEBHOOK_MALFORMED: 400,
  WEBHOOK_ORDER_UNKNOWN: 400,
  WEBHOOK_AMOUNT_MISMATCH: 400,
  PAYMENT_GATEWAY_UNAVAILABLE: 503,
} as const;

export type PaymentsErrorCode = keyof typeof paymentsErrorCodes;

const paymentsError = appErrorFactory(paymentsErrorCodes);

export const paymentsErrors = {
  notFound: () => paymentsError('PAYMENT_NOT_FOUND', 'No such payment.'),
  notPayable: (status: string) => paymentsError('PAYMENT_NOT_PAYABLE', `This payment is ${status}: it cannot be paid now.`),
  notCompleted: (gatewayStatus: string) => paymentsError('PAYMENT_NOT_COMPLETED', `The payment gateway has not taken this payment (${gatewayStatus}): complete the checkout first.`),
  notRefundable: (status: string) => paymentsError('PAYMENT_NOT_REFUNDABLE', `This payment is ${status}: only captured money can be refunded.`),
  refundExceeds: (refundable: number, currency: string) =>
    paymentsError('REFUND_EXCEEDS_REFUNDABLE', `At most ${refundable} (minor units of ${currency}) can still be refunded.`),
  idempotencyKeyReused: () => paymentsError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with a different request.'),
  checkoutLinkInvalid: () => paymentsError('CHECKOUT_LINK_INVALID', 'This checkout link is unknown or was tampered with.'),
  callbackSignatureInvalid: () => paymentsError('CALLBACK_SIGNATURE_INVALID', 'The payment confirmation is not signed by the payment gateway.'),
  gatewayUnknown: (name: string) => paymentsError('WEBHOOK_GATEWAY_UNKNOWN', `This server takes no webhooks from "${name}".`),
  signatureInvalid: () => paymentsError('WEBHOOK_SIGNATURE_INVALID', 'The webhook signature does not match its body.'),
  timestampStale: (toleranceSeconds: number) =>
    paymentsError('WEBHOOK_TIMESTAMP_STALE', `The webhook's signed timestamp is more than ${toleranceSeconds} seconds away from now.`),
  malformed: (what: string) => paymentsError('WEBHOOK_MALFORMED', `The webhook could not be read: ${what}.`),
  orderUnknown: () => paymentsError('WEBHOOK_ORDER_UNKNOWN', 'The webhook names an order this server does not know.'),
  amountMismatch: () => paymentsError('WEBHOOK_AMOUNT_MISMATCH', 'The webhook’s amount or currency differs from the order’s.'),
  gatewayUnavailable: (cause?: unknown) =>
    // Shown as is: it says the gateway failed, never what it answered or with which key.
    paymentsError('PAYMENT_GATEWAY_UNAVAILABLE', 'The payment gateway did not answer; try again shortly.', {
      expose: true,
      headers: { 'retry-after': '5' },
      ...(cause === undefined ? {} : { cause }),
    }),
} as const;
