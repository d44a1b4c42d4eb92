import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { createRemoteJWKSet } from 'jose';
import {
  ConfigError,
  createAccountStatusCheck,
  createHttpServer,
  createTokenVerifier,
  installAuth,
  type App,
  type Logger,
  type TokenVerifier,
  type ServiceModule,
} from '@timeslot/kernel';
import { createGatewayApp, parseRouteTable, registerProxy } from '@timeslot/gateway';
import {
  createIdentityService,
  generateSigningKeysJson,
  identityPrefixes,
  loadOrCreateSigningKeys,
  signingKeysFromJwks,
  type IdentityService,
} from '@timeslot/identity';
import { createNotificationsService, emailQueue, notificationsPrefixes } from '@timeslot/notifications';
import { createSchedulingService, holdQueue, schedulingPrefixes, waitlistQueue } from '@timeslot/scheduling';
import {
  calendarPrefixes,
  createCalendarService,
  createHttpCalendarClient,
  loadOrCreateTokenKey,
  parseTokenKey,
  type GoogleSettings,
  type HttpCalendarClient,
} from '@timeslot/calendar';
import type { CalendarClient } from '@timeslot/ports';

import { createHttpPaymentsClient, createPaymentsService, paymentsPrefixes, type GatewaySettings, type HttpPaymentsClient } from '@timeslot/payments';
import type { PaymentsClient } from '@timeslot/ports';
import { checkGateway, checkGoogle, parseTrustProxy, type Config, type Mode, type ServiceName } from './config';
import { createInfrastructure, type Infrastructure } from './infrastructure';

export interface Timeslot {
  readonly app: App;
  readonly mode: Mode;
  readonly services: readonly ServiceName[];
  readonly modules: readonly ServiceModule[];
  /** The local identity service, when this process runs it (for `create-admin`). */
  readonly identity: IdentityService | undefined;
  readonly infrastructure: Infrastructure;
  /** Apply every local service's migrations. */
  migrate(): Promise<void>;
  /** Listen, then start background work (relays, consumers, workers). Returns the base URL. */
  listen(): Promise<string>;
  /** Stop accepting, finish in-flight requests, stop background work, close connections. */
  stop(): Promise<void>;
}

/** The path prefixes of each service, known without building it: the gateway's route table needs them. */
const servicePrefixes: Record<Exclude<ServiceName, 'gateway'>, readonly string[]> = {
  identity: identityPrefixes,
  scheduling: schedulingPrefixes,
  calendar: calendarPrefixes,
  notifications: notificationsPrefixes,
  // Email and reminder workers serve no API (only /healthz, /readyz and /metrics).
  'notifications-worker': [],
  payments: paymentsPrefixes,
};

/** Google Calendar, when its client is configured; the callback defaults to this server's public address. */
function googleSettings(config: Config): GoogleSettings | undefined {
  const problems = checkGoogle(config);
  if (problems.length > 0) throw new Error(problems.join('; '));
  if (config.GOOGLE_CLIENT_ID === undefined || config.GOOGLE_CLIENT_SECRET === undefined) return undefined;
  const publicUrl = config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`;
  return {
    clientId: config.GOOGLE_CLIENT_ID,
    clientSecret: config.GOOGLE_CLIENT_SECRET,
    redirectUrl: config.GOOGLE_REDIRECT_URL ?? new URL('/api/v1/calendar/google/callback', publicUrl).href,
    apiUrl: config.GOOGLE_API_URL,
    oauthUrl: config.GOOGLE_OAUTH_URL,
    timeoutMs: 10_000,
  };
}

/** Every job queue of the installation: the admin API and the metrics show them all. */
const allQueues = [emailQueue, holdQueue, waitlistQueue];

/**
 * The payment gateway of a payments process. The simulator signs with PAYMENTS_SIMULATOR_SECRET,
 * or (embedded, one process) a random secret per start; it posts its webhooks to this process's
 * own address, and its checkout links are absolute under PUBLIC_URL (or that address).
 */
function gatewaySettings(config: Config, listening: () => string | undefined): GatewaySettings {
  const problems = checkGateway(config);
  if (problems.length > 0) throw new ConfigError(problems);
  const timeoutMs = config.PAYMENT_GATEWAY_TIMEOUT_MS;
  switch (config.PAYMENT_PROVIDER) {
    case 'simulator':
      return {
        kind: 'simulator',
        secret: config.PAYMENTS_SIMULATOR_SECRET ?? randomBytes(32).toString('base64url'),
        publicUrl: () => config.PUBLIC_URL ?? listening(),
        webhookBaseUrl: listening,
      };
    case 'stripe':
      return { kind: 'stripe', secretKey: config.STRIPE_SECRET_KEY ?? '', webhookSecret: config.STRIPE_WEBHOOK_SECRET ?? '', apiUrl: config.STRIPE_API_URL, timeoutMs };
    case 'razorpay':
      return {
        kind: 'razorpay',
        keyId: config.RAZORPAY_KEY_ID ?? '',
        keySecret: config.RAZORPAY_KEY_SECRET ?? '',
        webhookSecret: config.RAZORPAY_WEBHOOK_SECRET ?? '',
        apiUrl: config.RAZORPAY_API_URL,
        timeoutMs,
      };
  }
}

export interface BuildOptions {
  readonly config: Config;
  readonly mode: Mode;
  readonly services: readonly ServiceName[];
  readonly logger: Logger;
  /**
   * A one-shot command (migrate, create-admin) that serves no requests: only the database, and
   * throwaway signing keys when none are configured (no token it could sign leaves the process).
   */
  readonly databaseOnly?: boolean;
  /** Recorded in the embedded data directory's lock. */
  readonly command?: string;
}

/**
 * The composition root: the only place that knows the run mode. It picks the adapters, builds
 * the local services, and mounts them on one HTTP app — the gateway's when this process runs the
 * gateway, a plain service app otherwise. Services the process does not run are proxied by the
 * gateway (distributed mode only).
 */
export async function buildTimeslot(options: BuildOptions): Promise<Timeslot> {
  const { config, mode, services, logger } = options;
  const local = services.filter((s) => s !== 'gateway');
  const infrastructure = await createInfrastructure(
    mode,
    config,
    { database: local.length > 0, databaseOnly: options.databaseOnly, command: options.command },
    logger,
  );
  const modules: ServiceModule[] = [];
  let identity: IdentityService | undefined;
  let keyResolver: Parameters<typeof createTokenVerifier>[0]['keys'] | undefined;

  if (local.includes('identity')) {
    const database = infrastructure.database;
    if (database === undefined) throw new Error('identity needs a database');
    const signingKeys =
      mode === 'embedded'
        ? await loadOrCreateSigningKeys(path.resolve(config.DATA_DIR, 'keys', 'identity-signing-keys.json'))
        : options.databaseOnly === true && config.SIGNING_KEYS === undefined
          ? signingKeysFromJwks(await generateSigningKeysJson())
          : signingKeysFromJwks(config.SIGNING_KEYS ?? '');
    identity = await createIdentityService({
      database,
      cache: infrastructure.cache,
      rateLimits: infrastructure.attemptLimits,
      bus: infrastructure.bus,
      logger: logger.child({ service: 'identity' }),
      options: {
        issuer: config.JWT_ISSUER,
        audience: config.JWT_AUDIENCE,
        signingKeys,
        accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
        refreshTokenTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
        loginLimits: {
          perAccount: { max: config.LOGIN_MAX_FAILURES_PER_ACCOUNT, windowMs: config.LOGIN_FAILURE_WINDOW_SECONDS * 1000 },
          perIp: { max: config.LOGIN_MAX_FAILURES_PER_IP, windowMs: config.LOGIN_FAILURE_WINDOW_SECONDS * 1000 },
        },
        registrationLimit: { max: config.REGISTRATIONS_PER_IP_PER_HOUR, windowMs: 3600_000 },
      },
    });
    keyResolver = identity.keyResolver;
    modules.push(identity);
  }

  // Built before scheduling, which calls it: in-process when both run here (a function call, no
  // network), over HTTP when CALENDAR_URL names another process, not at all otherwise.
  let calendarClient: CalendarClient | undefined;
  let remoteCalendar: HttpCalendarClient | undefined;
  if (local.includes('calendar')) {
    const database = infrastructure.database;
    if (database === undefined) throw new Error('calendar needs a database');
    const tokenKey =
      config.CALENDAR_TOKEN_KEY !== undefined
        ? parseTokenKey(config.CALENDAR_TOKEN_KEY)
        : mode === 'embedded'
          ? await loadOrCreateTokenKey(path.resolve(config.DATA_DIR, 'keys', 'calendar-token-key'))
          : options.databaseOnly === true
            ? randomBytes(32)
            : undefined;
    if (tokenKey === undefined) throw new Error('CALENDAR_TOKEN_KEY is required in distributed mode');
    const calendar = await createCalendarService({
      database,
      bus: infrastructure.bus,
      logger: logger.child({ service: 'calendar' }),
      options: {
        tokenKey,
        meetingBaseUrl: config.MEETING_BASE_URL,
        google: googleSettings(config),
        // Never on the gateway's public app: other services reach calendar on its own address.
        ...(services.includes('gateway') || config.INTERNAL_TOKEN === undefined ? {} : { internalToken: config.INTERNAL_TOKEN }),
      },
    });
    modules.push(calendar);
    calendarClient = calendar.client;
  } else if (local.includes('scheduling') && config.CALENDAR_URL !== undefined) {
    if (config.INTERNAL_TOKEN === undefined) throw new Error('INTERNAL_TOKEN is required with CALENDAR_URL');
    remoteCalendar = createHttpCalendarClient({ url: config.CALENDAR_URL, internalToken: config.INTERNAL_TOKEN, timeoutMs: config.CALENDAR_TIMEOUT_MS });
    calendarClient = remoteCalendar;
  }

  // Built before scheduling, which calls it: in-process when both run here, over HTTP when
  // PAYMENTS_URL names another process, not at all otherwise (paid bookings are then only held).
  const listening: { address?: string } = {};
  let paymentsClient: PaymentsClient | undefined;
  let remotePayments: HttpPaymentsClient | undefined;
  if (local.includes('payments')) {
    const database = infrastructure.database;
    if (database === undefined) throw new Error('payments needs a database');
    const payments = await createPaymentsService({
      database,
      bus: infrastructure.bus,
      logger: logger.child({ service: 'payments' }),
      gateway: gatewaySettings(config, () => listening.address),
      options: {
        lateRefundSharePercent: config.REFUND_LATE_SHARE_PERCENT,
        gatewayTimeoutMs: config.PAYMENT_GATEWAY_TIMEOUT_MS,
        // Never on the gateway's public app: other services reach payments on its own address.
        ...(services.includes('gateway') || config.INTERNAL_TOKEN === undefined ? {} : { internalToken: config.INTERNAL_TOKEN }),
      },
    });
    modules.push(payments);
    paymentsClient = payments.client;
  } else if (local.includes('scheduling') && config.PAYMENTS_URL !== undefined) {
    if (config.INTERNAL_TOKEN === undefined) throw new Error('INTERNAL_TOKEN is required with PAYMENTS_URL');
    remotePayments = createHttpPaymentsClient({ url: config.PAYMENTS_URL, internalToken: config.INTERNAL_TOKEN, timeoutMs: config.PAYMENTS_TIMEOUT_MS });
    paymentsClient = remotePayments;
  }

  if (local.includes('scheduling')) {
    const database = infrastructure.database;
    if (database === undefined) throw new Error('scheduling needs a database');
    modules.push(
      await createSchedulingService({
        database,
        cache: infrastructure.cache,
        bus: infrastructure.bus,
        jobs: infrastructure.jobs,
        logger: logger.child({ service: 'scheduling' }),
        ...(calendarClient === undefined ? {} : { calendar: calendarClient }),
        ...(paymentsClient === undefined ? {} : { payments: paymentsClient }),
        options: {
          holdMinutes: config.BOOKING_HOLD_MINUTES,
          waitlistOfferMinutes: config.WAITLIST_OFFER_MINUTES,
          meetingTimeoutMs: config.CALENDAR_TIMEOUT_MS,
          busyTimesTimeoutMs: config.CALENDAR_BUSY_TIMEOUT_MS,
          paymentTimeoutMs: config.PAYMENTS_TIMEOUT_MS,
        },
      }),
    );
  }

  let verifyToken: TokenVerifier = () => Promise.reject(new Error('tokens are not verified yet'));
  // One module for both roles: the API (inbox, event consumer) and the email workers scale apart.
  const notificationsRoles = { api: local.includes('notifications'), worker: local.includes('notifications-worker') };
  if (notificationsRoles.api || notificationsRoles.worker) {
    const database = infrastructure.database;
    if (database === undefined) throw new Error('notifications needs a database');
    modules.push(
      await createNotificationsService({
        database,
        cache: infrastructure.cache,
        bus: infrastructure.bus,
        jobs: infrastructure.jobs,
        logger: logger.child({ service: 'notifications' }),
        roles: notificationsRoles,
        queues: allQueues,
        // The verifier is made below, once identity's keys are known; the board only calls it per request.
        ...(infrastructure.bullQueues === undefined ? {} : { board: { queues: infrastructure.bullQueues(allQueues), verify: (token: string) => verifyToken(token) } }),
        devMail: mode === 'embedded' && config.SMTP_URL === undefined,
        options: {
          ...(config.PUBLIC_URL === undefined ? {} : { publicUrl: config.PUBLIC_URL }),
          emailFrom: config.EMAIL_FROM,
          ...(config.SMTP_URL === undefined ? {} : { smtpUrl: config.SMTP_URL }),
          mailDir: config.MAIL_DIR ?? path.resolve(config.DATA_DIR, 'mail'),
          emailRatePerMinute: config.EMAIL_RATE_PER_MINUTE,
          emailConcurrency: config.EMAIL_CONCURRENCY,
          reminderOffsetsMinutes: config.REMINDER_OFFSETS_MINUTES,
        },
      }),
    );
  }

  if (keyResolver === undefined && options.databaseOnly === true) {
    keyResolver = () => Promise.reject(new Error('this process verifies no tokens'));
  }
  if (keyResolver === undefined) {
    if (config.IDENTITY_URL === undefined) throw new Error('IDENTITY_URL is required without a local identity service');
    keyResolver = createRemoteJWKSet(new URL('/.well-known/jwks.json', config.IDENTITY_URL), {
      cacheMaxAge: 10 * 60_000,
      cooldownDuration: 30_000,
    });
  }
  // Every process (gateway or service) refuses the tokens of accounts identity has disabled.
  const accountStatus = createAccountStatusCheck({ cache: infrastructure.cache, logger: logger.child({ component: 'auth' }) });
  const verify: TokenVerifier = createTokenVerifier({ issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, keys: keyResolver, accountStatus });
  verifyToken = verify;
  const trustProxy = parseTrustProxy(config.TRUST_PROXY);

  let app: App;
  if (services.includes('gateway')) {
    app = await createGatewayApp({
      logger,
      rateLimits: infrastructure.rateLimits,
      verify,
      readiness: infrastructure.readiness,
      options: {
        corsOrigins: config.CORS_ORIGINS,
        ...(config.WEB_ROOT === 'off' ? {} : { web: { root: path.resolve(config.WEB_ROOT) } }),
        bodyLimit: config.BODY_LIMIT_BYTES,
        trustProxy,
        rateLimits: {
          ip: { max: config.RATE_LIMIT_IP_PER_SECOND, windowMs: 1000 },
          auth: { max: config.RATE_LIMIT_AUTH_PER_MINUTE, windowMs: 60_000, routes: ['/api/v1/auth/login', '/api/v1/auth/register', '/api/v1/auth/refresh'] },
          user: { max: config.RATE_LIMIT_USER_PER_SECOND, windowMs: 1000 },
        },
      },
    });
  } else {
    app = await createHttpServer({
      service: local.join('+'),
      logger,
      readiness: infrastructure.readiness,
      bodyLimit: config.BODY_LIMIT_BYTES,
      trustProxy,
    });
    installAuth(app, verify);
  }

  for (const module of modules) await app.register(module.routes);

  if (services.includes('gateway') && mode === 'distributed') {
    const table = parseRouteTable(config.UPSTREAMS, servicePrefixes);
    const remote = table.filter((entry) => !(local as readonly string[]).includes(entry.service));
    if (remote.length > 0) {
      await registerProxy(app, {
        routes: remote,
        timeoutMs: config.UPSTREAM_TIMEOUT_MS,
        health: { ejectAfterFailures: config.UPSTREAM_EJECT_AFTER_FAILURES, checkIntervalMs: config.UPSTREAM_CHECK_INTERVAL_MS },
        logger,
      });
    }
  }

  return {
    app,
    mode,
    services,
    modules,
    identity,
    infrastructure,
    async migrate() {
      for (const module of modules) await module.migrate();
    },
    async listen() {
      const address = await app.listen({ host: config.HOST, port: config.PORT });
      listening.address = address;
      for (const module of modules) await module.start();
      return address;
    },
    async stop() {
      await app.close();
      for (const module of modules) await module.stop();
      await remoteCalendar?.close();
      await remotePayments?.close();
      await infrastructure.close();
    },
  };
}
