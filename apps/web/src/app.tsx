import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { Link, Redirect, Route, Switch, useLocation, useSearchParams } from 'wouter';
import { useAuth, useViewer } from './auth/auth';
import type { Role } from './auth/session';
import { NotificationBell } from './components/NotificationBell';
import { Button, Empty, ErrorMessage, Loading, PageTitle } from './components/ui';
import { knownTimeZones } from './lib/format';
import { FindProviders } from './pages/client/FindProviders';

/*
 * The page map. The client booking path (find a provider, the provider's page) is in the first
 * download; every other page is its own chunk, fetched when first visited.
 */
const ProviderPage = lazy(() => import('./pages/client/ProviderPage').then((m) => ({ default: m.ProviderPage })));
const MyBookings = lazy(() => import('./pages/client/MyBookings').then((m) => ({ default: m.MyBookings })));
const BookingDetail = lazy(() => import('./pages/client/BookingDetail').then((m) => ({ default: m.BookingDetail })));
const Waitlist = lazy(() => import('./pages/client/Waitlist').then((m) => ({ default: m.Waitlist })));
const Login = lazy(() => import('./pages/auth/Login').then((m) => ({ default: m.Login })));
const Register = lazy(() => import('./pages/auth/Register').then((m) => ({ default: m.Register })));
const Account = lazy(() => import('./pages/auth/Account').then((m) => ({ default: m.Account })));
const Inbox = lazy(() => import('./pages/notifications/Inbox').then((m) => ({ default: m.Inbox })));
const ProviderDashboard = lazy(() => import('./pages/provider/Dashboard').then((m) => ({ default: m.Dashboard })));
const ProviderProfile = lazy(() => import('./pages/provider/Profile').then((m) => ({ default: m.Profile })));
const ProviderServices = lazy(() => import('./pages/provider/Services').then((m) => ({ default: m.Services })));
const ProviderAvailability = lazy(() => import('./pages/provider/Availability').then((m) => ({ default: m.Availability })));
const ProviderCalendar = lazy(() => import('./pages/provider/CalendarSettings').then((m) => ({ default: m.CalendarSettings })));
const Admin = lazy(() => import('./pages/admin/Admin').then((m) => ({ default: m.Admin })));

/** Signed-in users of the given roles only; others are sent to sign in (and back afterwards). */
function RequireRole({ roles, children }: { readonly roles: readonly Role[]; readonly children: ReactNode }) {
  const { user, ready } = useAuth();
  const [location] = useLocation();
  const [params] = useSearchParams();
  if (!ready) return <Loading />;
  if (user === null) {
    const query = params.toString();
    return <Redirect to={`/login?next=${encodeURIComponent(location + (query === '' ? '' : `?${query}`))}`} replace />;
  }
  if (!roles.includes(user.role)) {
    return (
      <>
        <PageTitle>Not available</PageTitle>
        <ErrorMessage>This page is for {roles.join(' or ')} accounts; you are signed in as a {user.role}.</ErrorMessage>
      </>
    );
  }
  return <>{children}</>;
}

function guarded(roles: readonly Role[], Page: ComponentType) {
  return function Guarded() {
    return (
      <RequireRole roles={roles}>
        <Page />
      </RequireRole>
    );
  };
}

const anyone: readonly Role[] = ['client', 'provider', 'admin'];
const routes = {
  myBookings: guarded(anyone, MyBookings),
  booking: guarded(anyone, BookingDetail),
  waitlist: guarded(anyone, Waitlist),
  account: guarded(anyone, Account),
  inbox: guarded(anyone, Inbox),
  providerDashboard: guarded(['provider'], ProviderDashboard),
  providerProfile: guarded(['provider'], ProviderProfile),
  providerServices: guarded(['provider'], ProviderServices),
  providerAvailability: guarded(['provider'], ProviderAvailability),
  providerCalendar: guarded(['provider'], ProviderCalendar),
  admin: guarded(['admin'], Admin),
};

function NavLink({ href, children }: { readonly href: string; readonly children: ReactNode }) {
  const [location] = useLocation();
  const current = href === '/' ? location === '/' : location === href || location.startsWith(`${href}/`);
  return (
    <Link href={href} aria-current={current ? 'page' : undefined}>
      {children}
    </Link>
  );
}

function Header() {
  const { user, logout } = useAuth();
  const [, navigate] = useLocation();
  return (
    <header className="header">
      <Link href="/" className="brand">
        Timeslot
      </Link>
      <nav aria-label="Main" className="nav">
        <NavLink href="/">Find a provider</NavLink>
        {user === null ? (
          <>
            <NavLink href="/login">Sign in</NavLink>
            <NavLink href="/register">Create account</NavLink>
          </>
        ) : (
          <>
            {user.role === 'provider' ? <NavLink href="/provider">Workspace</NavLink> : null}
            {user.role === 'admin' ? <NavLink href="/admin">Admin</NavLink> : null}
            <NavLink href="/bookings">My bookings</NavLink>
            <NavLink href="/waitlist">Waitlist</NavLink>
            <NotificationBell />
            <NavLink href="/account">Account</NavLink>
            <Button
              variant="link"
              onClick={() => {
                void logout().then(() => navigate('/'));
              }}
            >
              Sign out
            </Button>
          </>
        )}
      </nav>
    </header>
  );
}

/** The viewer's zone, changeable on every page: all times follow it. */
function ZonePicker() {
  const viewer = useViewer();
  return (
    <label>
      Times shown in{' '}
      <select value={viewer.timeZone} onChange={(event) => viewer.setTimeZone(event.target.value)}>
        {knownTimeZones().map((zone) => (
          <option key={zone} value={zone}>
            {zone}
          </option>
        ))}
      </select>
    </label>
  );
}

function NotFound() {
  return (
    <>
      <PageTitle>Page not found</PageTitle>
      <Empty>
        There is nothing at this address. <Link href="/">Find a provider</Link> instead.
      </Empty>
    </>
  );
}

export function App() {
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Header />
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <Switch>
            <Route path="/" component={FindProviders} />
            <Route path="/providers/:id" component={ProviderPage} />
            <Route path="/login" component={Login} />
            <Route path="/register" component={Register} />
            <Route path="/bookings" component={routes.myBookings} />
            <Route path="/bookings/:id" component={routes.booking} />
            <Route path="/waitlist" component={routes.waitlist} />
            <Route path="/notifications" component={routes.inbox} />
            <Route path="/account" component={routes.account} />
            <Route path="/provider" component={routes.providerDashboard} />
            <Route path="/provider/profile" component={routes.providerProfile} />
            <Route path="/provider/services" component={routes.providerServices} />
            <Route path="/provider/availability" component={routes.providerAvailability} />
            <Route path="/provider/calendar" component={routes.providerCalendar} />
            <Route path="/admin" component={routes.admin} />
            <Route component={NotFound} />
          </Switch>
        </Suspense>
      </main>
      <footer className="footer">
        <ZonePicker />
        <a href="/docs">API documentation</a>
      </footer>
    </>
  );
}
