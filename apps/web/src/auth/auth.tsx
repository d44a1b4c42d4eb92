import { createContext, useCallback, useContext, useEffect, useMemo, useState, useSyncExternalStore, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, data } from '../api/client';
import { browserLocale, browserTimeZone, type Viewer } from '../lib/format';
import { session, type SessionUser, type Tokens } from './session';

export interface RegisterInput {
  readonly email: string;
  readonly password: string;
  readonly name: string;
  readonly role: 'client' | 'provider';
}

interface AuthValue {
  readonly user: SessionUser | null;
  /** False until a stored session has been restored (or found gone) after a reload. */
  readonly ready: boolean;
  readonly login: (email: string, password: string) => Promise<SessionUser>;
  readonly register: (input: RegisterInput) => Promise<SessionUser>;
  readonly logout: () => Promise<void>;
  /** Revokes every session of the account, on every device. */
  readonly logoutEverywhere: () => Promise<void>;
  readonly updateUser: (user: SessionUser) => void;
}

const AuthContext = createContext<AuthValue | null>(null);

export function AuthProvider({ children }: { readonly children: ReactNode }) {
  const snapshot = useSyncExternalStore(session.subscribe, session.snapshot);
  const [ready, setReady] = useState(() => !session.hasStoredSession());
  const queryClient = useQueryClient();

  useEffect(() => {
    if (ready) return;
    void session.refresh().finally(() => setReady(true));
  }, [ready]);

  // Another tab signed out (or in as someone else): follow it.
  useEffect(() => {
    const onStorage = (event: StorageEvent) => {
      if (event.key === 'timeslot.refreshToken' && event.newValue === null && session.user() !== null) session.signedOut();
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, []);

  const signedIn = useCallback(
    (tokens: Tokens) => {
      queryClient.clear();
      session.signedIn(tokens);
      return tokens.user;
    },
    [queryClient],
  );

  const value = useMemo<AuthValue>(
    () => ({
      user: snapshot.user,
      ready,
      async login(email, password) {
        return signedIn(data(await api.POST('/api/v1/auth/login', { body: { email, password } })));
      },
      async register(input) {
        const locale = browserLocale();
        return signedIn(data(await api.POST('/api/v1/auth/register', { body: { ...input, timeZone: browserTimeZone(), locale } })));
      },
      async logout() {
        const refreshToken = localStorage.getItem('timeslot.refreshToken');
        if (refreshToken !== null) await api.POST('/api/v1/auth/logout', { body: { refreshToken } }).catch(() => undefined);
        session.signedOut();
        queryClient.clear();
      },
      async logoutEverywhere() {
        data(await api.POST('/api/v1/auth/logout-all'));
        session.signedOut();
        queryClient.clear();
      },
      updateUser(user) {
        session.updateUser(user);
      },
    }),
    [snapshot.user, ready, signedIn, queryClient],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (value === null) throw new Error('useAuth outside AuthProvider');
  return value;
}

const zoneKey = 'timeslot.timeZone';
const zoneListeners = new Set<() => void>();
const zoneStore = {
  subscribe: (listener: () => void) => {
    zoneListeners.add(listener);
    return () => zoneListeners.delete(listener);
  },
  get: (): string | null => localStorage.getItem(zoneKey),
  set: (zone: string) => {
    localStorage.setItem(zoneKey, zone);
    for (const listener of zoneListeners) listener();
  },
};

/**
 * Who is looking, for formatting: the time zone chosen on this device, else the account's, else the
 * browser's; the account's locale, else the browser's. Changing the zone re-renders every user.
 */
export function useViewer(): Viewer & { readonly setTimeZone: (zone: string) => void } {
  const { user } = useAuth();
  const override = useSyncExternalStore(zoneStore.subscribe, zoneStore.get);
  return useMemo(
    () => ({
      timeZone: override ?? user?.timeZone ?? browserTimeZone(),
      locale: user?.locale ?? browserLocale(),
      setTimeZone: zoneStore.set,
    }),
    [override, user?.timeZone, user?.locale],
  );
}
