/** Per-kind delivery choices (email, in-app, off). */
export function NotificationPreferences() {
  return null;
}
