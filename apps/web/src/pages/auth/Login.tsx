import { useState, type FormEvent } from 'react';
import { Link, useLocation, useSearchParams } from 'wouter';
import { useAuth } from '../../auth/auth';
import type { SessionUser } from '../../auth/session';
import { Button, ErrorMessage, PageTitle, TextField } from '../../components/ui';

/** Where a person lands after signing in: back where they were sent from, else their home. */
export function landingPath(user: SessionUser, next: string | null): string {
  // Only paths of this site: never an absolute or protocol-relative URL from the query string.
  if (next !== null && next.startsWith('/') && !next.startsWith('//')) return next;
  if (user.role === 'provider') return '/provider';
  if (user.role === 'admin') return '/admin';
  return '/';
}

export function Login() {
  const { login } = useAuth();
  const [, navigate] = useLocation();
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const user = await login(email, password);
      navigate(landingPath(user, params.get('next')), { replace: true });
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  }

  return (
    <>
      <PageTitle>Sign in</PageTitle>
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        <ErrorMessage error={error ?? undefined} />
        <TextField label="Email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <TextField label="Password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        <div className="actions">
          <Button type="submit" busy={busy}>
            Sign in
          </Button>
          <span>
            New here? <Link href={`/register${params.toString() === '' ? '' : `?${params.toString()}`}`}>Create an account</Link>
          </span>
        </div>
      </form>
    </>
  );
}
