import { setTimeout as sleep } from 'node:timers/promises';
import { commonErrors, type Logger } from '@timeslot/kernel';
import { accountStatusCacheKey, events, makeEvent, type AccountStatus, type Cache, type Database, type Db } from '@timeslot/ports';
import type { EventOutbox } from '@timeslot/adapters';
import { identityErrors } from './errors';
import type { RefreshTokenRepository } from './refresh-token.repository';
import type { UserRow } from './tables';
import { eventSource, toAdminUser } from './user.model';
import type { UserRepository } from './user.repository';
import { encodeUserCursor, type AdminUser, type AdminUserPage, type ListUsersQuery } from './user.schemas';
import { userCacheKey } from './user.service';

export interface AccountServiceDeps {
  readonly database: Database;
  readonly users: UserRepository;
  readonly refreshTokens: RefreshTokenRepository;
  readonly cache: Cache;
  readonly outbox: EventOutbox;
  readonly logger: Logger;
  /**
   * How long an account-status entry lives in the shared cache: at least one access-token
   * lifetime plus the verifiers' clock tolerance, after which no token it concerns is valid.
   */
  readonly statusTtlMs: number;
}

/** Who asks, for the audit trail. */
export interface AdminContext {
  readonly adminId: string;
  readonly requestId?: string | undefined;
}

/**
 * Disabling and re-enabling accounts and listing them (administrators only), and signing a user
 * out everywhere (the user). The database row is the truth; the
 * account-status entry in the shared cache is how every other process learns of it within
 * seconds (see createAccountStatusCheck in the kernel). The entry is written inside the
 * transaction, while the user's row is locked, so of two concurrent changes the cache ends the way
 * the database does; if it cannot be written, nothing changes and the caller gets 503.
 */
export function createAccountService(deps: AccountServiceDeps) {
  const { database, users, refreshTokens, cache, outbox, logger } = deps;

  async function share(userId: string, status: AccountStatus): Promise<void> {
    try {
      await cache.set(accountStatusCacheKey(userId), status, deps.statusTtlMs);
    } catch (error) {
      throw commonErrors.unavailable('The account status could not be shared with the other services; nothing was changed. Try again.', error);
    }
  }

  // The entry that refuses the access tokens issued until `disabledAt` (a disabling, or a sign-out
  // everywhere: users.tokens_valid_after). A token's iat has whole seconds: one issued in the second
  // of the disabling may predate it, so that whole second is refused too. (Only a sign-in after
  // re-enabling within that same second would lose its token to this; the user signs in again.
  // logoutAll waits that second out instead.)
  const enabledAfter = (disabledAt: Date): Extract<AccountStatus, { state: 'enabled' }> => ({ state: 'enabled', notBefore: Math.floor(disabledAt.getTime() / 1000) + 1 });

  async function lockedUser(tx: Db, userId: string): Promise<UserRow> {
    const row = await users.findByIdForUpdate(tx, userId);
    if (row === undefined) throw identityErrors.userNotFound();
    return row;
  }

  async function changed(userId: string, row: UserRow): Promise<AdminUser> {
    // After the commit: the profile cache must not keep serving the account as it was.
    await cache.delete(userCacheKey(userId));
    outbox.notify();
    return toAdminUser(row);
  }

  return {
    /**
     * Disables the account: login and refresh refuse it, every refresh token of it is revoked, and
     * every process refuses its access tokens. Disabling a disabled account changes nothing (it
     * re-writes the cache entry, so repeating a call that met a cache outage completes it).
     */
    async disable(userId: string, reason: string | undefined, context: AdminContext): Promise<AdminUser> {
      if (userId === context.adminId) throw identityErrors.cannotDisableSelf();
      const { row, revoked } = await database.db.transaction(async (tx) => {
        const current = await lockedUser(tx, userId);
        if (current.disabledAt !== null) {
          await share(userId, { state: 'disabled' });
          return { row: current, revoked: 0 };
        }
        const at = new Date();
        const updated = (await users.setDisabled(tx, userId, at, reason ?? null)) ?? current;
        const count = await refreshTokens.revokeAllForUser(tx, userId, at);
        const data = { userId, disabledBy: context.adminId, reason: reason ?? null, disabledAt: at.toISOString() };
        await outbox.append(tx, [makeEvent(events.userDisabled, data, { source: eventSource, requestId: context.requestId })]);
        await share(userId, { state: 'disabled' });
        return { row: updated, revoked: count };
      });
      logger.info({ userId, adminId: context.adminId, reason, revoked, requestId: context.requestId }, 'account disabled');
      return changed(userId, row);
    },

    /** Re-enables the account; its tokens from before stay refused. Enabling an enabled account changes nothing. */
    async enable(userId: string, context: AdminContext): Promise<AdminUser> {
      const row = await database.db.transaction(async (tx) => {
        const current = await lockedUser(tx, userId);
        if (current.disabledAt === null) return current;
        const updated = (await users.setEnabled(tx, userId, current.disabledAt)) ?? current;
        await outbox.append(tx, [makeEvent(events.userEnabled, { userId, enabledBy: context.adminId }, { source: eventSource, requestId: context.requestId })]);
        await share(userId, enabledAfter(current.disabledAt));
        return updated;
      });
      logger.info({ userId, adminId: context.adminId, requestId: context.requestId }, 'account enabled');
      return changed(userId, row);
    },

    /** Accounts newest first, in keyset pages; `q`, `role` and `status` narrow them. Not cached. */
    async list(query: ListUsersQuery): Promise<AdminUserPage> {
      // One row more than asked tells whether another page exists without a count.
      const rows = await users.list(database.db, { q: query.q, role: query.role, status: query.status, after: query.cursor, limit: query.limit + 1 });
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        items: page.map((found) => toAdminUser(found.row)),
        nextCursor: rows.length > query.limit && last !== undefined ? encodeUserCursor({ createdAt: last.position, id: last.row.id }) : null,
      };
    },

    /**
     * Signs the user out everywhere: every refresh token of theirs is revoked and every process
     * refuses the access tokens issued before (401 TOKEN_REVOKED), through the same account-status
     * entry re-enabling writes. `tokens_valid_after` keeps the instant, so the entry is re-written
     * from the database after a cache loss (see `reseed`). 503 and nothing changed when the entry
     * cannot be written.
     *
     * The second of the call: tokens carry a whole-second iat and the verifier refuses
     * iat < notBefore, so a token issued earlier in this second is refused only with
     * notBefore = that second + 1, which would refuse a sign-in later in the same second too. So the
     * answer waits (under a second, after the commit, holding no lock) until that second has begun
     * on this clock: every token issued before the call is refused, every one issued after the answer
     * is accepted. (Milliseconds would need a finer iat than the one every verifier of our tokens
     * reads.) A replica whose clock lags this one's could still stamp a sign-in in the instant after
     * the answer with the refused second; NTP keeps that window to milliseconds, and the user signs in again.
     */
    async logoutAll(userId: string, context: { readonly requestId?: string | undefined }): Promise<void> {
      const { notBefore, revoked } = await database.db.transaction(async (tx) => {
        const current = await users.findByIdForUpdate(tx, userId);
        // As for GET /users/me: a token outliving its account, or one a cache outage let through.
        if (current === undefined) throw identityErrors.accountNotFound();
        if (current.disabledAt !== null) throw identityErrors.accountDisabled();
        const at = new Date();
        const updated = await users.setTokensValidAfter(tx, userId, at);
        const count = await refreshTokens.revokeAllForUser(tx, userId, at);
        const status = enabledAfter(updated?.tokensValidAfter ?? at);
        await share(userId, status);
        return { notBefore: status.notBefore, revoked: count };
      });
      logger.info({ userId, revoked, requestId: context.requestId }, 'signed out everywhere');
      const waitMs = notBefore * 1000 - Date.now();
      if (waitMs > 0) await sleep(waitMs);
    },

    /**
     * Writes the cache entry of every account disabled, re-enabled or signed out everywhere within
     * one entry lifetime, from the database: after a cache restart (or a lost write) every process learns them again.
     * The rows are share-locked meanwhile, so a concurrent change cannot be overwritten by what
     * this read before it.
     */
    async reseed(): Promise<number> {
      const since = new Date(Date.now() - deps.statusTtlMs);
      return database.db.transaction(async (tx) => {
        const rows = await users.statusChangedSinceForShare(tx, since);
        for (const row of rows) {
          if (row.disabledAt !== null) await share(row.id, { state: 'disabled' });
          else if (row.tokensValidAfter !== null) await share(row.id, enabledAfter(row.tokensValidAfter));
        }
        return rows.length;
      });
    },
  };
}

export type AccountService = ReturnType<typeof createAccountService>;
