import { Link } from 'wouter';

/** The inbox link in the header. */
export function NotificationBell() {
  return <Link href="/notifications">Notifications</Link>;
}
