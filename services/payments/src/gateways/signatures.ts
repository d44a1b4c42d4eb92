import { createHmac, timingSafeEqual } from 'node:crypto';
import { paymentsErrors } from '../errors';

/** Webhooks signed longer ago (or further ahead) than this are refused: a replay window, as Stripe's. */
export const webhookToleranceSeconds = 300;

export function hmacHex(secret: string, text: string | Buffer): string {
  return createHmac('sha256', secret).update(text).digest('hex');
}

/** Constant-time comparison of two hex digests (false for different lengths or non-hex text). */
export function sameHex(expected: string, presented: string): boolean {
  if (!/^[0-9a-f]+$/i.test(presented) || presented.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(presented.toLowerCase(), 'hex'));
}

/** `t=<unix seconds>,v1=<hex hmac of "t.body">` (Stripe's scheme; the simulator uses it too). */
export function signTimestamped(secret: string, rawBody: string | Buffer, unixSeconds: number): string {
  return `t=${unixSeconds},v1=${hmacHex(secret, Buffer.concat([Buffer.from(`${unixSeconds}.`), Buffer.from(rawBody)]))}`;
}

/**
 * Checks a timestamped signature header over the raw body: one of its v1 values must be the HMAC
 * of `${t}.${body}`, and t within the tolerance of now. The signature is checked first, so a
 * forged header learns nothing from the timestamp check.
 */
export function verifyTimestamped(secret: string, header: string | string[] | undefined, rawBody: Buffer, now: Date, toleranceSeconds = webhookToleranceSeconds): void {
  if (typeof header !== 'string' || header.length > 2000) throw paymentsErrors.signatureInvalid();
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && value !== undefined && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && value !== undefined) signatures.push(value);
  }
  if (timestamp === undefined || signatures.length === 0) throw paymentsErrors.signatureInvalid();
  const expected = hmacHex(secret, Buffer.concat([Buffer.from(`${timestamp}.`), rawBody]));
  if (!signatures.some((signature) => sameHex(expected, signature))) throw paymentsErrors.signatureInvalid();
  if (Math.abs(Math.floor(now.getTime() / 1000) - timestamp) > toleranceSeconds) throw paymentsErrors.timestampStale(toleranceSeconds);
}

/** Razorpay's webhook scheme: X-Razorpay-Signature is the hex HMAC of the raw body, no timestamp. */
export function verifyBodySignature(secret: string, header: string | string[] | undefined, rawBody: Buffer): void {
  if (typeof header !== 'string' || !sameHex(hmacHex(secret, rawBody), header.trim())) throw paymentsErrors.signatureInvalid();
}

/** Razorpay's checkout signature (the simulator's too): the hex HMAC of `<gateway order id>|<payment id>`. */
export function checkoutSignature(secret: string, gatewayOrderId: string, gatewayPaymentId: string): string {
  return hmacHex(secret, `${gatewayOrderId}|${gatewayPaymentId}`);
}

/** JSON of a verified body; WEBHOOK_MALFORMED when it is not a JSON object. */
export function parseJsonObject(rawBody: Buffer): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(rawBody.toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Reported below.
  }
  throw paymentsErrors.malformed('the body is not a JSON object');
}
