import { Agent, request } from 'undici';
import { internalTokenHeader, paymentSummarySchema, type PaymentsClient } from '@timeslot/ports';
import type { PaymentsContext } from './context';
import { ensureOrder, orderOfBooking } from './orders/order.service';

/** The payments service of this process, called as functions: no network, no serialisation. */
export function createLocalPaymentsClient(ctx: PaymentsContext): PaymentsClient {
  return {
    ensureOrder: (orderRequest) => ensureOrder(ctx, orderRequest),
    orderOfBooking: (bookingId) => orderOfBooking(ctx, bookingId),
  };
}

export interface HttpPaymentsClientOptions {
  /** The payments service's base URL (PAYMENTS_URL), e.g. http://payments:4004. */
  readonly url: string;
  /** The shared service token (INTERNAL_TOKEN). */
  readonly internalToken: string;
  /** Per call, connection included (PAYMENTS_TIMEOUT_MS). Callers may give up sooner. */
  readonly timeoutMs: number;
}

export interface HttpPaymentsClient extends PaymentsClient {
  close(): Promise<void>;
}

/** The payments service of another process, through its internal routes (undici, kept-alive connections). */
export function createHttpPaymentsClient(options: HttpPaymentsClientOptions): HttpPaymentsClient {
  const base = options.url.replace(/\/+$/, '');
  const dispatcher = new Agent({ connect: { timeout: options.timeoutMs }, keepAliveTimeout: 10_000 });

  async function call(method: 'GET' | 'PUT', path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    const response = await request(`${base}${path}`, {
      method,
      dispatcher,
      headers: { [internalTokenHeader]: options.internalToken, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const text = await response.body.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const code = typeof (json as { code?: unknown } | undefined)?.code === 'string' ? (json as { code: string }).code : '';
    // Only the service's own "no such order" means none: a 404 for the route (internal routes not
    // served there) is a misconfiguration, not an answer.
    if (response.statusCode === 404 && code === 'PAYMENT_NOT_FOUND') return { status: 404, json };
    if (response.statusCode >= 300) throw new Error(`payments service answered ${response.statusCode}${code === '' ? '' : ` ${code}`} to ${method} ${path}`);
    return { status: response.statusCode, json };
  }

  return {
    async ensureOrder(orderRequest) {
      const { status, json } = await call('PUT', `/api/v1/internal/payments/orders/${orderRequest.bookingId}`, orderRequest);
      if (status === 404) throw new Error('payments service answered 404 to an order request');
      return paymentSummarySchema.parse(json);
    },
    async orderOfBooking(bookingId) {
      const { status, json } = await call('GET', `/api/v1/internal/payments/orders/${bookingId}`);
      return status === 404 ? null : paymentSummarySchema.parse(json);
    },
    close: () => dispatcher.close(),
  };
}
