/*
 * The signed-in session, outside React so the API client can use it. The access token lives in
 * memory only; the refresh token is kept in localStorage so a reload stays signed in. Refresh tokens
 * rotate and a reused one revokes its whole family on the server, so two tabs must never refresh
 * with the same token: every refresh runs under one Web Lock across tabs, and a tab that finds the
 * stored token changed by another tab refreshes with that one instead.
 */

export type Role = 'client' | 'provider' | 'admin';

export interface SessionUser {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly timeZone: string;
  readonly locale: string;
}

export interface Tokens {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** Seconds. */
  readonly expiresIn: number;
  readonly user: SessionUser;
}

interface State {
  readonly accessToken: string | null;
  /** ms since the epoch; refreshed a little before. */
  readonly expiresAt: number;
  readonly user: SessionUser | null;
}

const refreshKey = 'timeslot.refreshToken';
const lockName = 'timeslot-refresh';

let state: State = { accessToken: null, expiresAt: 0, user: null };
const listeners = new Set<() => void>();
let refreshing: Promise<boolean> | null = null;

function storedRefreshToken(): string | null {
  try {
    return localStorage.getItem(refreshKey);
  } catch {
    return null;
  }
}

function storeRefreshToken(token: string | null): void {
  try {
    if (token === null) localStorage.removeItem(refreshKey);
    else localStorage.setItem(refreshKey, token);
  } catch {
    // Private mode without storage: the session then lasts as long as the page.
  }
}

function set(next: State): void {
  state = next;
  for (const listener of listeners) listener();
}

export const session = {
  subscribe: (listener: () => void): (() => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  snapshot: (): State => state,
  user(): SessionUser | null {
    return state.user;
  },
  hasStoredSession(): boolean {
    return storedRefreshToken() !== null;
  },
  /** The access token, refreshed first when it is about to expire; null when signed out. */
  async accessToken(): Promise<string | null> {
    if (state.accessToken !== null && Date.now() < state.expiresAt) return state.accessToken;
    if (storedRefreshToken() === null) return null;
    return (await this.refresh()) ? state.accessToken : null;
  },
  signedIn(tokens: Tokens): void {
    storeRefreshToken(tokens.refreshToken);
    // Refresh 30 s early (or at half-life for very short tokens) so a request never races the expiry.
    const margin = Math.min(30, tokens.expiresIn / 2) * 1000;
    set({ accessToken: tokens.accessToken, expiresAt: Date.now() + tokens.expiresIn * 1000 - margin, user: tokens.user });
  },
  updateUser(user: SessionUser): void {
    set({ ...state, user });
  },
  signedOut(): void {
    storeRefreshToken(null);
    set({ accessToken: null, expiresAt: 0, user: null });
  },
  /** Trade the stored refresh token for new tokens; false (and signed out) when it is refused. */
  refresh(): Promise<boolean> {
    refreshing ??= withLock(async () => {
      const seen = state.accessToken;
      // Another tab may have refreshed while we waited for the lock: its token is the live one.
      const token = storedRefreshToken();
      if (token === null) {
        if (seen !== null) session.signedOut();
        return false;
      }
      const response = await fetch('/api/v1/auth/refresh', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken: token }),
      }).catch(() => null);
      if (response === null || response.status >= 500 || response.status === 429) return false; // keep the session: try later
      if (!response.ok) {
        session.signedOut();
        return false;
      }
      session.signedIn((await response.json()) as Tokens);
      return true;
    }).finally(() => {
      refreshing = null;
    });
    return refreshing;
  },
};

async function withLock<T>(work: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  if (locks === undefined) return work();
  return locks.request(lockName, work);
}
