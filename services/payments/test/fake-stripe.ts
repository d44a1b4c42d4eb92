import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

/*
 * A local stand-in for api.stripe.com, speaking the slice of its REST API the payments service
 * uses, in Stripe's shapes: form-encoded requests with bracketed keys (metadata[orderId]=…),
 * Bearer secret-key auth, Idempotency-Key replay (the same key with other parameters is refused as
 * Stripe refuses it), JSON objects and `{ error: { type, code, message } }` errors. It signs its
 * webhooks with the official client's own `webhooks.generateTestHeaderString`, so our verifier is
 * checked against Stripe's scheme, not against itself. Tests can take it down and bring it back
 * on the same port.
 */

export interface FakeIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_received: number;
  currency: string;
  status: 'requires_payment_method' | 'requires_capture' | 'succeeded' | 'canceled';
  client_secret: string;
  description: string | null;
  metadata: Record<string, string>;
  last_payment_error: { message: string } | null;
}

export interface FakeRefund {
  id: string;
  object: 'refund';
  amount: number;
  currency: string;
  payment_intent: string;
  status: 'succeeded';
  metadata: Record<string, string>;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly idempotencyKey: string | undefined;
  readonly params: Record<string, unknown>;
}

/** Form fields as Stripe reads them: `a[b]=c` → { a: { b: 'c' } } (one level is all we send). */
function parseForm(text: string): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const nested = /^([^[]+)\[([^\]]+)\]$/.exec(key);
    if (nested === null) {
      result[key] = value;
    } else {
      const [, outer = '', inner = ''] = nested;
      const bag = (result[outer] ??= {}) as Record<string, unknown>;
      bag[inner] = value;
    }
  }
  return result;
}

export class FakeStripe {
  readonly intents = new Map<string, FakeIntent>();
  readonly refunds = new Map<string, FakeRefund>();
  readonly requests: RecordedRequest[] = [];
  /** Where webhooks go (our endpoint); set once the app listens. */
  webhookUrl: string | undefined;
  /** The clock webhooks are signed with (tests run ours in 2030). */
  now: () => number = Date.now;
  private readonly idempotent = new Map<string, { hash: string; status: number; body: unknown }>();
  private server: Server | undefined;
  private port = 0;
  private readonly signer = new Stripe('sk_test_signer_only');

  constructor(
    readonly secretKey: string,
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

  /** Down: connections are refused until start() again (same port). */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private send(response: ServerResponse, status: number, body: unknown): void {
    response.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${randomBytes(6).toString('hex')}` });
    response.end(JSON.stringify(body));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(request.url ?? '/', this.url);
    const params = request.method === 'GET' ? Object.fromEntries(url.searchParams) : parseForm(text);
    const key = typeof request.headers['idempotency-key'] === 'string' ? request.headers['idempotency-key'] : undefined;
    this.requests.push({ method: request.method ?? '', path: url.pathname, idempotencyKey: key, params });
    if (request.headers.authorization !== `Bearer ${this.secretKey}`) {
      this.send(response, 401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided.' } });
      return;
    }
    if (key !== undefined && request.method === 'POST') {
      const hash = createHash('sha256').update(`${url.pathname}|${text}`).digest('hex');
      const earlier = this.idempotent.get(key);
      if (earlier !== undefined) {
        if (earlier.hash !== hash) {
          this.send(response, 400, { error: { type: 'idempotency_error', message: 'Keys for idempotent requests can only be used with the same parameters they were first used with.' } });
        } else {
          this.send(response, earlier.status, earlier.body);
        }
        return;
      }
      const [status, body] = this.route(request.method, url.pathname, params);
      this.idempotent.set(key, { hash, status, body });
      this.send(response, status, body);
      return;
    }
    const [status, body] = this.route(request.method ?? '', url.pathname, params);
    this.send(response, status, body);
  }

  private route(method: string, path: string, params: Record<string, unknown>): [number, unknown] {
    const notFound: [number, unknown] = [404, { error: { type: 'invalid_request_error', code: 'resource_missing', message: 'No such object.' } }];
    if (method === 'POST' && path === '/v1/payment_intents') {
      const id = `pi_${randomBytes(12).toString('hex')}`;
      const intent: FakeIntent = {
        id,
        object: 'payment_intent',
        amount: Number(params.amount),
        amount_received: 0,
        currency: String(params.currency),
        status: 'requires_payment_method',
        client_secret: `${id}_secret_${randomBytes(12).toString('hex')}`,
        description: typeof params.description === 'string' ? params.description : null,
        metadata: (params.metadata ?? {}) as Record<string, string>,
        last_payment_error: null,
      };
      this.intents.set(id, intent);
      return [200, intent];
    }
    const intentPath = /^\/v1\/payment_intents\/([^/]+)(\/cancel)?$/.exec(path);
    if (intentPath !== null) {
      const intent = this.intents.get(intentPath[1] ?? '');
      if (intent === undefined) return notFound;
      if (method === 'GET') return [200, intent];
      if (method === 'POST' && intentPath[2] === '/cancel') {
        if (intent.status === 'succeeded' || intent.status === 'canceled') {
          return [400, { error: { type: 'invalid_request_error', code: 'payment_intent_unexpected_state', message: `This PaymentIntent's status is ${intent.status}.` } }];
        }
        intent.status = 'canceled';
        return [200, intent];
      }
    }
    if (method === 'POST' && path === '/v1/refunds') {
      const intent = this.intents.get(String(params.payment_intent));
      if (intent === undefined) return notFound;
      const amount = params.amount === undefined ? intent.amount_received : Number(params.amount);
      const refunded = [...this.refunds.values()].filter((r) => r.payment_intent === intent.id).reduce((sum, r) => sum + r.amount, 0);
      if (intent.status !== 'succeeded' || refunded + amount > intent.amount_received) {
        return [400, { error: { type: 'invalid_request_error', code: 'charge_already_refunded', message: 'Refund amount exceeds what was charged.' } }];
      }
      const refund: FakeRefund = { id: `re_${randomBytes(12).toString('hex')}`, object: 'refund', amount, currency: intent.currency, payment_intent: intent.id, status: 'succeeded', metadata: (params.metadata ?? {}) as Record<string, string> };
      this.refunds.set(refund.id, refund);
      return [200, refund];
    }
    return notFound;
  }

  /** The client paid: the intent succeeds and its webhook is sent (signed the way Stripe signs it). */
  async succeed(intentId: string, options: { sendWebhook?: boolean } = {}): Promise<number | undefined> {
    const intent = this.intents.get(intentId);
    if (intent === undefined) throw new Error(`no intent ${intentId}`);
    intent.status = 'succeeded';
    intent.amount_received = intent.amount;
    return options.sendWebhook === false ? undefined : this.sendWebhook('payment_intent.succeeded', intent);
  }

  async fail(intentId: string): Promise<number> {
    const intent = this.intents.get(intentId);
    if (intent === undefined) throw new Error(`no intent ${intentId}`);
    intent.last_payment_error = { message: 'Your card was declined.' };
    return this.sendWebhook('payment_intent.payment_failed', intent);
  }

  /** An event as Stripe posts it; resolves with our endpoint's status. */
  async sendWebhook(type: string, object: unknown, options: { eventId?: string; timestamp?: number } = {}): Promise<number> {
    if (this.webhookUrl === undefined) throw new Error('no webhook URL');
    const payload = this.eventBody(type, object, options.eventId);
    const header = this.signer.webhooks.generateTestHeaderString({ payload, secret: this.webhookSecret, timestamp: options.timestamp ?? Math.floor(this.now() / 1000) });
    const response = await fetch(this.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': header }, body: payload });
    await response.arrayBuffer();
    return response.status;
  }

  eventBody(type: string, object: unknown, eventId = `evt_${randomBytes(12).toString('hex')}`): string {
    return JSON.stringify({ id: eventId, object: 'event', api_version: '2025-01-27.acacia', created: Math.floor(this.now() / 1000), type, data: { object } }, null, 2);
  }

  /** Requests of one method and path, oldest first. */
  calls(method: string, path: string | RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)));
  }
}
