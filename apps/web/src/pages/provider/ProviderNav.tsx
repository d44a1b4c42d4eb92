import type { ReactNode } from 'react';
import { Link, useLocation } from 'wouter';
import { Empty, ErrorMessage, Loading, PageTitle } from '../../components/ui';
import type { Provider } from './types';
import { useMyProvider } from './useMyProvider';
import './provider.css';

const sections = [
  { href: '/provider', label: 'Workspace' },
  { href: '/provider/profile', label: 'Profile' },
  { href: '/provider/services', label: 'Services' },
  { href: '/provider/availability', label: 'Availability' },
  { href: '/provider/calendar', label: 'Calendar feed' },
] as const;

/** The provider workspace's own navigation, on every provider page. */
export function ProviderNav() {
  const [location] = useLocation();
  return (
    <nav aria-label="Provider" className="provider-nav">
      <ul>
        {sections.map((section) => (
          <li key={section.href}>
            <Link href={section.href} aria-current={location === section.href ? 'page' : undefined}>
              {section.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/**
 * A provider page that needs the profile (services, availability, feed): the navigation and title,
 * then loading, error, "create your profile first", or the page itself.
 */
export function WithProfile({ title, children }: { readonly title: string; readonly children: (provider: Provider) => ReactNode }) {
  const me = useMyProvider();
  let body: ReactNode;
  if (me.isPending) body = <Loading />;
  else if (me.isError) body = <ErrorMessage error={me.error} />;
  else if (me.data === null) body = <NoProfileYet />;
  else body = children(me.data);
  return (
    <>
      <ProviderNav />
      <PageTitle>{title}</PageTitle>
      {body}
    </>
  );
}

export function NoProfileYet() {
  return (
    <Empty>
      You have no provider profile yet. <Link href="/provider/profile">Create your profile</Link> first: clients find and book you through it.
    </Empty>
  );
}
