import { randomUUID } from 'node:crypto';
import { commonErrors, type Logger } from '@timeslot/kernel';
import { events, makeEvent, type Database, type Db, type Role } from '@timeslot/ports';
import { z } from 'zod';
import type { AttemptLimits } from './attempt-limits';
import type { LoginInput, RegisterInput, Session } from './auth.schemas';
import { identityErrors } from './errors';
import type { HashQueue } from './hash-queue';
import type { EventOutbox } from '@timeslot/adapters';
import { hashPassword, needsRehash, verifyPassword } from './passwords';
import type { RefreshTokenRepository } from './refresh-token.repository';
import type { UserRow } from './tables';
import { hashRefreshToken, newRefreshToken, type AccessTokenIssuer } from './tokens';
import { eventSource, toUser } from './user.model';
import type { UserRepository } from './user.repository';
import { emailField, nameField, passwordField, type User } from './user.schemas';

export interface AuthServiceDeps {
  readonly database: Database;
  readonly users: UserRepository;
  readonly refreshTokens: RefreshTokenRepository;
  readonly limits: AttemptLimits;
  readonly outbox: EventOutbox;
  readonly issueAccessToken: AccessTokenIssuer;
  readonly refreshTokenTtlSeconds: number;
  /** Verified against when the email is unknown (see createDummyHash). */
  readonly dummyHash: string;
  /** Every hash and verification waits its turn here (bounded by the cores; 503 when full). */
  readonly hashes: HashQueue;
  readonly logger: Logger;
}

/** Who is asking, as far as the domain cares. */
export interface RequestContext {
  readonly ip: string;
  readonly requestId?: string | undefined;
}

export interface NewAdmin {
  readonly email: string;
  readonly password: string;
  readonly name: string;
}

/** What create-admin accepts; the CLI checks its input with it before opening anything. */
export const newAdminSchema = z.object({ email: emailField, password: passwordField, name: nameField });

interface NewAccount {
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly timeZone: string;
  readonly locale: string;
  readonly passwordHash: string;
}

type RefreshOutcome =
  | { readonly kind: 'invalid' }
  | { readonly kind: 'disabled' }
  | { readonly kind: 'reused'; readonly userId: string; readonly familyId: string; readonly revoked: number }
  | { readonly kind: 'rotated'; readonly user: UserRow; readonly refreshToken: string };

export function createAuthService(deps: AuthServiceDeps) {
  const { database, users, refreshTokens, limits, outbox, logger } = deps;

  /** Insert the account and its user.registered event together; EMAIL_TAKEN when the address is in use. */
  async function insertAccount(tx: Db, account: NewAccount, requestId: string | undefined): Promise<UserRow> {
    const row = await users.insert(tx, { id: randomUUID(), ...account });
    if (row === undefined) throw identityErrors.emailTaken();
    const data = { userId: row.id, email: row.email, name: row.name, role: row.role, timeZone: row.timeZone, locale: row.locale };
    await outbox.append(tx, [makeEvent(events.userRegistered, data, { source: eventSource, requestId })]);
    return row;
  }

  async function insertRefreshToken(db: Db, userId: string, familyId: string): Promise<string> {
    const token = newRefreshToken();
    await refreshTokens.insert(db, {
      id: randomUUID(),
      tokenHash: hashRefreshToken(token),
      userId,
      familyId,
      expiresAt: new Date(Date.now() + deps.refreshTokenTtlSeconds * 1000),
    });
    return token;
  }

  async function session(user: UserRow, refreshToken: string): Promise<Session> {
    const access = await deps.issueAccessToken(user);
    return { user: toUser(user), accessToken: access.token, refreshToken, expiresIn: access.expiresIn };
  }

  return {
    async register(input: RegisterInput, context: RequestContext): Promise<Session> {
      await limits.hitRegistration(context.ip);
      // Hashing happens before the transaction so no lock is held for its ~30 ms.
      const passwordHash = await deps.hashes.run(() => hashPassword(input.password));
      const { user, refreshToken } = await database.db.transaction(async (tx) => {
        const account = {
          email: input.email,
          name: input.name,
          role: input.role,
          timeZone: input.timeZone ?? 'UTC',
          locale: input.locale ?? 'en',
          passwordHash,
        };
        const row = await insertAccount(tx, account, context.requestId);
        return { user: row, refreshToken: await insertRefreshToken(tx, row.id, randomUUID()) };
      });
      outbox.notify();
      logger.info({ userId: user.id, role: user.role, requestId: context.requestId }, 'user registered');
      return session(user, refreshToken);
    },

    /**
     * Unknown email and wrong password take the same path (a dummy hash is verified for the
     * former) and fail with the same error, so neither the answer nor its timing tells them apart.
     * The attempt is counted before the hash (see createAttemptLimits) and given back unless it
     * failed. A disabled account is refused only after its password verified: to anyone who does
     * not know the password it looks like any other account, and its owner learns why.
     */
    async login(input: LoginInput, context: RequestContext): Promise<Session> {
      const attempt = await limits.reserveLogin(input.email, context.ip);
      let failed = false;
      let user: UserRow | undefined;
      try {
        user = await users.findByEmail(database.db, input.email);
        const stored = user?.passwordHash ?? deps.dummyHash;
        failed = !(await deps.hashes.run(() => verifyPassword(stored, input.password))) || user === undefined;
      } finally {
        // A failure keeps its unit of both budgets; anything else (success, an outage) gives it back.
        if (!failed) await attempt.release();
      }
      if (failed || user === undefined) throw identityErrors.invalidCredentials();
      if (user.disabledAt !== null) throw identityErrors.accountDisabled();
      if (needsRehash(user.passwordHash)) {
        // The only moment the plain password is at hand: upgrade hashes made with older parameters.
        await users.setPasswordHash(database.db, user.id, await deps.hashes.run(() => hashPassword(input.password)));
      }
      const refreshToken = await insertRefreshToken(database.db, user.id, randomUUID());
      return session(user, refreshToken);
    },

    /**
     * Rotate: the presented token becomes used and a new one of the same family is issued. The row
     * is locked for the transaction, so of two concurrent refreshes with one token the second
     * finds it used, which is exactly what a replayed stolen token looks like: the whole family
     * (the thief's and the owner's sessions) is revoked.
     */
    async refresh(refreshToken: string, context: RequestContext): Promise<Session> {
      const tokenHash = hashRefreshToken(refreshToken);
      const now = new Date();
      const outcome = await database.db.transaction(async (tx): Promise<RefreshOutcome> => {
        const row = await refreshTokens.findByHashForUpdate(tx, tokenHash);
        if (row === undefined) return { kind: 'invalid' };
        // Disabling revoked the account's tokens; its owner is told why rather than "invalid".
        const user = await users.findById(tx, row.userId);
        if (user !== undefined && user.disabledAt !== null) return { kind: 'disabled' };
        if (row.revokedAt !== null) return { kind: 'invalid' };
        if (row.usedAt !== null) {
          const revoked = await refreshTokens.revokeFamily(tx, row.familyId, now);
          return { kind: 'reused', userId: row.userId, familyId: row.familyId, revoked };
        }
        if (row.expiresAt <= now || user === undefined) return { kind: 'invalid' };
        await refreshTokens.markUsed(tx, row.id, now);
        return { kind: 'rotated', user, refreshToken: await insertRefreshToken(tx, user.id, row.familyId) };
      });
      switch (outcome.kind) {
        case 'invalid':
          throw identityErrors.invalidRefreshToken();
        case 'disabled':
          throw identityErrors.accountDisabled();
        case 'reused':
          // The revocation has committed; only now is the caller told.
          logger.warn(
            { userId: outcome.userId, familyId: outcome.familyId, revoked: outcome.revoked, requestId: context.requestId },
            'refresh token reused: family revoked',
          );
          throw identityErrors.refreshTokenReused();
        case 'rotated':
          return session(outcome.user, outcome.refreshToken);
      }
    },

    /** Revokes the token's family. Unknown tokens succeed too: the answer reveals nothing. */
    async logout(refreshToken: string): Promise<void> {
      await refreshTokens.revokeFamilyOfToken(database.db, hashRefreshToken(refreshToken), new Date());
    },

    /**
     * For the operator command `timeslot create-admin`. Running it twice is harmless (the existing
     * administrator is returned unchanged); an address held by a non-admin is refused, because
     * silently promoting someone else's account would be a privilege escalation.
     */
    async createAdmin(input: NewAdmin): Promise<User> {
      const parsed = newAdminSchema.safeParse(input);
      if (!parsed.success) {
        throw commonErrors.validation(parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })));
      }
      const { email, password, name } = parsed.data;
      const existing = await users.findByEmail(database.db, email);
      if (existing !== undefined) {
        if (existing.role === 'admin') return toUser(existing);
        throw identityErrors.emailTaken();
      }
      const passwordHash = await deps.hashes.run(() => hashPassword(password));
      const account = { email, name, role: 'admin' as const, timeZone: 'UTC', locale: 'en', passwordHash };
      const row = await database.db.transaction((tx) => insertAccount(tx, account, undefined));
      outbox.notify();
      logger.info({ userId: row.id }, 'administrator created');
      return toUser(row);
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
