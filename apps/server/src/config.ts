import { fileURLToPath } from 'node:url';
import { z } from 'zod';
// The config module alone, not the kernel's index: the CLI checks its arguments before loading the server.
import { env } from '@timeslot/kernel/config';

export const serviceNames = ['gateway', 'identity', 'scheduling', 'calendar', 'notifications', 'notifications-worker', 'payments'] as const;
export type ServiceName = (typeof serviceNames)[number];

/** The web app's `vite build` output in this checkout (apps/web/dist), wherever the process starts. */
export const defaultWebRoot = fileURLToPath(new URL('../../web/dist', import.meta.url));

/**
 * Every variable a Timeslot process reads, with its default. The README's configuration table
 * lists the same variables; apps/server/test/docs.test.ts keeps them in step.
 */
export const configSchema = z
  .object({
    TIMESLOT_MODE: z.enum(['embedded', 'distributed']).optional(),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: env.port(8080),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    PUBLIC_URL: z.url().optional(),
    /** The web app served at / by a process running the gateway; `off`: none. Relative to the working directory. */
    WEB_ROOT: z.string().min(1, 'a directory, or off').default(defaultWebRoot),

    DATA_DIR: z.string().min(1).default('data'),
    DATABASE_URL: env.url(['postgres', 'postgresql']).optional(),
    DATABASE_POOL_SIZE: env.int(10, 1),
    REDIS_URL: env.url(['redis', 'rediss']).optional(),
    AMQP_URL: env.url(['amqp', 'amqps']).optional(),
    /** Prefix of Redis keys, BullMQ queues and the RabbitMQ exchange: several installations can share servers. */
    NAMESPACE: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, 'lowercase letters, digits and dashes').default('timeslot'),

    UPSTREAMS: z.string().default(''),
    IDENTITY_URL: z.url().optional(),
    UPSTREAM_TIMEOUT_MS: env.int(10_000, 1),
    UPSTREAM_EJECT_AFTER_FAILURES: env.int(3, 1),
    UPSTREAM_CHECK_INTERVAL_MS: env.int(5000, 0),

    JWT_ISSUER: z.string().min(1).default('timeslot'),
    JWT_AUDIENCE: z.string().min(1).default('timeslot-api'),
    SIGNING_KEYS: z.string().optional(),
    ACCESS_TOKEN_TTL_SECONDS: env.int(900, 60),
    REFRESH_TOKEN_TTL_SECONDS: env.int(30 * 24 * 3600, 300),

    CORS_ORIGINS: env.list([]),
    BODY_LIMIT_BYTES: env.int(1024 * 1024, 1024),
    TRUST_PROXY: z.string().default('false'),
    RATE_LIMIT_IP_PER_SECOND: env.int(100, 1),
    RATE_LIMIT_AUTH_PER_MINUTE: env.int(20, 1),
    RATE_LIMIT_USER_PER_SECOND: env.int(50, 1),
    LOGIN_MAX_FAILURES_PER_ACCOUNT: env.int(10, 1),
    LOGIN_MAX_FAILURES_PER_IP: env.int(50, 1),
    LOGIN_FAILURE_WINDOW_SECONDS: env.int(15 * 60, 1),
    REGISTRATIONS_PER_IP_PER_HOUR: env.int(20, 1),

    BOOKING_HOLD_MINUTES: env.int(10, 1),
    WAITLIST_OFFER_MINUTES: env.int(15, 1),

    MEETING_BASE_URL: z.url().default('https://meet.jit.si/timeslot-'),
    CALENDAR_URL: z.url().optional(),
    CALENDAR_TIMEOUT_MS: env.int(1500, 1),
    CALENDAR_BUSY_TIMEOUT_MS: env.int(500, 1),
    CALENDAR_TOKEN_KEY: z.string().optional(),
    GOOGLE_CLIENT_ID: z.string().min(1).optional(),
    GOOGLE_CLIENT_SECRET: z.string().min(1).optional(),
    GOOGLE_REDIRECT_URL: z.url().optional(),
    GOOGLE_API_URL: z.url().optional(),
    GOOGLE_OAUTH_URL: z.url().optional(),

    EMAIL_FROM: z.string().min(1).default('Timeslot <no-reply@timeslot.invalid>'),
    SMTP_URL: env.url(['smtp', 'smtps']).optional(),
    /** Default: DATA_DIR/mail (see app.ts). */
    MAIL_DIR: z.string().min(1).optional(),
    EMAIL_RATE_PER_MINUTE: env.int(300, 1),
    EMAIL_CONCURRENCY: env.int(4, 1),
    REMINDER_OFFSETS_MINUTES: env
      .list(['1440', '60'])
      .pipe(z.array(z.string().regex(/^[1-9]\d{0,5}$/, 'must be whole minutes, e.g. 1440,60')).max(10, 'at most 10 offsets'))
      .transform((offsets) => offsets.map(Number)),

    // Payments (services/payments). Secrets come from here only; they are never logged or returned.
    PAYMENT_PROVIDER: z.enum(['simulator', 'stripe', 'razorpay']).default('simulator'),
    PAYMENTS_ALLOW_SIMULATOR: env.bool(false),
    PAYMENTS_SIMULATOR_SECRET: z.string().min(32, 'must be at least 32 characters (openssl rand -base64 32)').optional(),
    STRIPE_SECRET_KEY: z.string().min(1).optional(),
    STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
    STRIPE_API_URL: z.url().optional(),
    RAZORPAY_KEY_ID: z.string().min(1).optional(),
    RAZORPAY_KEY_SECRET: z.string().min(1).optional(),
    RAZORPAY_WEBHOOK_SECRET: z.string().min(1).optional(),
    RAZORPAY_API_URL: z.url().optional(),
    REFUND_LATE_SHARE_PERCENT: z.coerce.number().int().min(0).max(100).default(50),
    PAYMENT_GATEWAY_TIMEOUT_MS: env.int(10_000, 1),
    PAYMENTS_URL: z.url().optional(),
    PAYMENTS_TIMEOUT_MS: env.int(2000, 1),
    /** The shared secret services present to each other's internal routes (payments', calendar's). */
    INTERNAL_TOKEN: z.string().min(32, 'must be at least 32 characters (openssl rand -base64 32)').optional(),

    SHUTDOWN_GRACE_MS: env.int(25_000, 0),
    SHUTDOWN_DRAIN_MS: env.int(1_000, 0),
  })
  .loose();

export type Config = z.infer<typeof configSchema>;
export type Mode = 'embedded' | 'distributed';

/** Distributed processes need their servers and must not run on a default secret. */
export function checkDistributed(config: Config, services: readonly ServiceName[]): string[] {
  const problems: string[] = [];
  const needsDb = services.some((s) => s !== 'gateway');
  if (needsDb && config.DATABASE_URL === undefined) problems.push('DATABASE_URL: required in distributed mode');
  if (config.REDIS_URL === undefined) problems.push('REDIS_URL: required in distributed mode');
  if (config.AMQP_URL === undefined && needsDb) problems.push('AMQP_URL: required in distributed mode');
  if (services.includes('identity') && config.SIGNING_KEYS === undefined) {
    problems.push('SIGNING_KEYS: required in distributed mode (make one with `timeslot keys generate`)');
  }
  if (services.includes('calendar') && config.CALENDAR_TOKEN_KEY === undefined) {
    problems.push('CALENDAR_TOKEN_KEY: required in distributed mode with the calendar service (openssl rand -base64 32)');
  }
  problems.push(...checkGoogle(config));
  if (config.CALENDAR_URL !== undefined && config.INTERNAL_TOKEN === undefined) {
    problems.push('INTERNAL_TOKEN: required with CALENDAR_URL (the calendar service refuses calls without it)');
  }
  problems.push(...checkPayments(config, services));
  if (!services.includes('identity') && config.IDENTITY_URL === undefined) {
    problems.push('IDENTITY_URL: required without a local identity service (access tokens are verified with its JWKS)');
  }
  return problems;
}

/** Google Calendar needs its client id and secret together (either mode). */
export function checkGoogle(config: Config): string[] {
  if ((config.GOOGLE_CLIENT_ID === undefined) === (config.GOOGLE_CLIENT_SECRET === undefined)) return [];
  return ['GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET: set both to connect Google Calendars, or neither'];
}

/**
 * Distributed payments: the simulator takes "payments" with a button, so a production install
 * that forgot to configure a real gateway would give paid bookings away; it runs only when
 * PAYMENTS_ALLOW_SIMULATOR says so (staging, demos, tests), with a secret every replica shares.
 */
export function checkPayments(config: Config, services: readonly ServiceName[]): string[] {
  const problems: string[] = [];
  if (services.includes('payments') && config.PAYMENT_PROVIDER === 'simulator') {
    if (!config.PAYMENTS_ALLOW_SIMULATOR) {
      problems.push('PAYMENT_PROVIDER: the simulator takes no real money; set a real gateway, or PAYMENTS_ALLOW_SIMULATOR=true for a demo or staging install');
    }
    if (config.PAYMENTS_SIMULATOR_SECRET === undefined) problems.push('PAYMENTS_SIMULATOR_SECRET: required in distributed mode with the simulator (shared by every payments replica)');
  }
  if (services.includes('payments')) problems.push(...checkGateway(config));
  if (config.PAYMENTS_URL !== undefined && config.INTERNAL_TOKEN === undefined) {
    problems.push('INTERNAL_TOKEN: required with PAYMENTS_URL (the payments service refuses calls without it)');
  }
  return problems;
}

/** The chosen payment gateway's keys, in either mode. */
export function checkGateway(config: Config): string[] {
  const missing = (names: readonly (keyof Config)[]) =>
    names.filter((name) => config[name] === undefined).map((name) => `${name}: required with PAYMENT_PROVIDER=${config.PAYMENT_PROVIDER}`);
  switch (config.PAYMENT_PROVIDER) {
    case 'simulator':
      return [];
    case 'stripe':
      return missing(['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET']);
    case 'razorpay':
      return missing(['RAZORPAY_KEY_ID', 'RAZORPAY_KEY_SECRET', 'RAZORPAY_WEBHOOK_SECRET']);
  }
}

/** TRUST_PROXY: "false", "true", or a comma-separated list of addresses/CIDRs. */
export function parseTrustProxy(value: string): boolean | string[] {
  if (value === 'false' || value === '') return false;
  if (value === 'true') return true;
  return value.split(',').map((s) => s.trim());
}
