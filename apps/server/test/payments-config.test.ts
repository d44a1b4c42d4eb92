import { describe, expect, it } from 'vitest';
import { checkDistributed, configSchema } from '../src/config';

/** Distributed processes with payments: what they refuse to start with, and why it is listed. */
const base = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
  REDIS_URL: 'redis://127.0.0.1:6379',
  AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
  IDENTITY_URL: 'http://identity.internal:4001',
};

const problems = (env: Record<string, string>) => checkDistributed(configSchema.parse({ ...base, ...env }), ['payments']);

describe('distributed payments configuration', () => {
  it('refuses the simulator unless explicitly allowed, and then wants a shared secret', () => {
    expect(problems({}).join('\n')).toMatch(/PAYMENT_PROVIDER: the simulator takes no real money[\s\S]*PAYMENTS_SIMULATOR_SECRET/);
    expect(problems({ PAYMENTS_ALLOW_SIMULATOR: 'true' })).toEqual([expect.stringContaining('PAYMENTS_SIMULATOR_SECRET')]);
    expect(problems({ PAYMENTS_ALLOW_SIMULATOR: 'true', PAYMENTS_SIMULATOR_SECRET: 'x'.repeat(32) })).toEqual([]);
  });

  it('names every key a real gateway still needs', () => {
    expect(problems({ PAYMENT_PROVIDER: 'stripe', STRIPE_SECRET_KEY: 'sk_live_x' })).toEqual(['STRIPE_WEBHOOK_SECRET: required with PAYMENT_PROVIDER=stripe']);
    expect(problems({ PAYMENT_PROVIDER: 'razorpay' })).toEqual([
      'RAZORPAY_KEY_ID: required with PAYMENT_PROVIDER=razorpay',
      'RAZORPAY_KEY_SECRET: required with PAYMENT_PROVIDER=razorpay',
      'RAZORPAY_WEBHOOK_SECRET: required with PAYMENT_PROVIDER=razorpay',
    ]);
    expect(problems({ PAYMENT_PROVIDER: 'stripe', STRIPE_SECRET_KEY: 'sk_live_x', STRIPE_WEBHOOK_SECRET: 'whsec_x' })).toEqual([]);
  });

  it('wants INTERNAL_TOKEN with PAYMENTS_URL, and a late refund share between 0 and 100', () => {
    const scheduling = checkDistributed(configSchema.parse({ ...base, PAYMENTS_URL: 'http://payments.internal:4004' }), ['scheduling']);
    expect(scheduling).toEqual([expect.stringContaining('INTERNAL_TOKEN: required with PAYMENTS_URL')]);
    expect(configSchema.safeParse({ REFUND_LATE_SHARE_PERCENT: '101' }).success).toBe(false);
    expect(configSchema.safeParse({ REFUND_LATE_SHARE_PERCENT: '12.5' }).success).toBe(false);
  });
});
