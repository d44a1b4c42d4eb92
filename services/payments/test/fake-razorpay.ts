import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * A local stand-in for api.razorpay.com, speaking the slice of its REST API the payments service
 * uses, in Razorpay's shapes: HTTP Basic auth with the key pair, JSON bodies, entities with
 * `entity` fields, collections `{ entity: 'collection', count, items }` and
 * `{ error: { code, description } }` errors. Its Checkout side (`pay`) returns what the browser
 * would get (payment id, order id and the HMAC of `order|payment` with the key secret), and its
 * webhooks carry X-Razorpay-Signature (HMAC of the raw body with the webhook secret) and
 * X-Razorpay-Event-Id, as Razorpay sends them.
 */

export interface FakeOrder {
  id: string;
  entity: 'order';
  amount: number;
  amount_paid: number;
  amount_due: number;
  currency: string;
  receipt: string | null;
  status: 'created' | 'attempted' | 'paid';
  notes: Record<string, string>;
  created_at: number;
}

export interface FakePayment {
  id: string;
  entity: 'payment';
  amount: number;
  currency: string;
  status: 'authorized' | 'captured' | 'failed' | 'refunded';
  order_id: string;
  amount_refunded: number;
  error_description: string | null;
}

export interface FakeRazorpayRefund {
  id: string;
  entity: 'refund';
  amount: number;
  currency: string;
  payment_id: string;
  receipt: string | null;
  status: 'processed';
  notes: Record<string, string>;
}

export class FakeRazorpay {
  readonly orders = new Map<string, FakeOrder>();
  readonly payments = new Map<string, FakePayment>();
  readonly refunds = new Map<string, FakeRazorpayRefund>();
  readonly requests: { method: string; path: string; body: unknown }[] = [];
  webhookUrl: string | undefined;
  private server: Server | undefined;
  private port = 0;

  constructor(
    readonly keyId: string,
    readonly keySecret: string,
    readonly webhookSecret: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = createServer((request, response) => {
      void this.handle(request, response);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private send(response: ServerResponse, status: number, body: unknown): void {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(request.url ?? '/', this.url);
    const body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    this.requests.push({ method: request.method ?? '', path: url.pathname, body });
    const expected = `Basic ${Buffer.from(`${this.keyId}:${this.keySecret}`).toString('base64')}`;
    if (request.headers.authorization !== expected) {
      this.send(response, 401, { error: { code: 'BAD_REQUEST_ERROR', description: 'The api key provided is invalid' } });
      return;
    }
    const [status, answer] = this.route(request.method ?? '', url, body);
    this.send(response, status, answer);
  }

  private route(method: string, url: URL, body: Record<string, unknown>): [number, unknown] {
    const path = url.pathname;
    const notFound: [number, unknown] = [400, { error: { code: 'BAD_REQUEST_ERROR', description: 'The id provided does not exist' } }];
    if (path === '/v1/orders' && method === 'POST') {
      const amount = Number(body.amount);
      const order: FakeOrder = {
        id: `order_${randomBytes(7).toString('hex')}`,
        entity: 'order',
        amount,
        amount_paid: 0,
        amount_due: amount,
        currency: String(body.currency),
        receipt: typeof body.receipt === 'string' ? body.receipt : null,
        status: 'created',
        notes: (body.notes ?? {}) as Record<string, string>,
        created_at: Math.floor(Date.now() / 1000),
      };
      this.orders.set(order.id, order);
      return [200, order];
    }
    if (path === '/v1/orders' && method === 'GET') {
      const receipt = url.searchParams.get('receipt');
      const items = [...this.orders.values()].filter((order) => receipt === null || order.receipt === receipt).slice(0, Number(url.searchParams.get('count') ?? 10));
      return [200, { entity: 'collection', count: items.length, items }];
    }
    const payment = /^\/v1\/payments\/([^/]+)(\/refunds?)?$/.exec(path);
    if (payment !== null) {
      const found = this.payments.get(payment[1] ?? '');
      if (found === undefined) return notFound;
      if (method === 'GET' && payment[2] === undefined) return [200, found];
      if (method === 'GET' && payment[2] === '/refunds') {
        const items = [...this.refunds.values()].filter((refund) => refund.payment_id === found.id);
        return [200, { entity: 'collection', count: items.length, items }];
      }
      if (method === 'POST' && payment[2] === '/refund') {
        const amount = body.amount === undefined ? found.amount - found.amount_refunded : Number(body.amount);
        if (found.status !== 'captured' || found.amount_refunded + amount > found.amount) {
          return [400, { error: { code: 'BAD_REQUEST_ERROR', description: 'The refund amount provided is greater than amount captured' } }];
        }
        const refund: FakeRazorpayRefund = {
          id: `rfnd_${randomBytes(7).toString('hex')}`,
          entity: 'refund',
          amount,
          currency: found.currency,
          payment_id: found.id,
          receipt: typeof body.receipt === 'string' ? body.receipt : null,
          status: 'processed',
          notes: (body.notes ?? {}) as Record<string, string>,
        };
        found.amount_refunded += amount;
        this.refunds.set(refund.id, refund);
        return [200, refund];
      }
    }
    return [404, { error: { code: 'BAD_REQUEST_ERROR', description: 'The requested URL was not found on the server.' } }];
  }

  /**
   * The client pays in Checkout: a captured payment for the order, the callback the browser gets,
   * and (unless told not to) the payment.captured webhook.
   */
  async pay(orderId: string, options: { sendWebhook?: boolean } = {}): Promise<{ paymentId: string; signature: string; webhookStatus?: number }> {
    const order = this.orders.get(orderId);
    if (order === undefined) throw new Error(`no order ${orderId}`);
    const payment: FakePayment = { id: `pay_${randomBytes(7).toString('hex')}`, entity: 'payment', amount: order.amount, currency: order.currency, status: 'captured', order_id: order.id, amount_refunded: 0, error_description: null };
    this.payments.set(payment.id, payment);
    order.status = 'paid';
    order.amount_paid = order.amount;
    order.amount_due = 0;
    const signature = createHmac('sha256', this.keySecret).update(`${order.id}|${payment.id}`).digest('hex');
    if (options.sendWebhook === false) return { paymentId: payment.id, signature };
    return { paymentId: payment.id, signature, webhookStatus: await this.sendWebhook('payment.captured', payment) };
  }

  /** A webhook as Razorpay posts it; resolves with our endpoint's status. */
  async sendWebhook(event: string, payment: FakePayment, options: { eventId?: string; secret?: string } = {}): Promise<number> {
    if (this.webhookUrl === undefined) throw new Error('no webhook URL');
    const body = JSON.stringify({ entity: 'event', account_id: 'acc_fake', event, contains: ['payment'], payload: { payment: { entity: payment } }, created_at: Math.floor(Date.now() / 1000) });
    const signature = createHmac('sha256', options.secret ?? this.webhookSecret).update(body).digest('hex');
    const response = await fetch(this.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-razorpay-signature': signature, 'x-razorpay-event-id': options.eventId ?? `evt_${randomBytes(7).toString('hex')}` },
      body,
    });
    await response.arrayBuffer();
    return response.status;
  }
}
