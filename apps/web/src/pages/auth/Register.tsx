import { useState, type FormEvent } from 'react';
import { Link, useLocation, useSearchParams } from 'wouter';
import { fieldErrors } from '../../api/problem';
import { useAuth } from '../../auth/auth';
import { Button, ErrorMessage, PageTitle, TextField } from '../../components/ui';
import { landingPath } from './Login';

export function Register() {
  const { register } = useAuth();
  const [, navigate] = useLocation();
  const [params] = useSearchParams();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<'client' | 'provider'>(params.get('as') === 'provider' ? 'provider' : 'client');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const fields = fieldErrors(error);
  const tooShort = password !== '' && password.length < 8;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const user = await register({ name, email, password, role });
      navigate(role === 'provider' ? '/provider/profile' : landingPath(user, params.get('next')), { replace: true });
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  }

  return (
    <>
      <PageTitle>Create an account</PageTitle>
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        <ErrorMessage error={error ?? undefined} />
        <TextField label="Your name" autoComplete="name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} error={fields.name} />
        <TextField label="Email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} error={fields.email} />
        <TextField
          label="Password"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          maxLength={128}
          hint="At least 8 characters."
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fields.password ?? (tooShort ? 'Use at least 8 characters.' : undefined)}
        />
        <fieldset className="field">
          <legend>I want to</legend>
          <label>
            <input type="radio" name="role" value="client" checked={role === 'client'} onChange={() => setRole('client')} /> book time with someone
          </label>
          <label>
            <input type="radio" name="role" value="provider" checked={role === 'provider'} onChange={() => setRole('provider')} /> offer my time (provider)
          </label>
        </fieldset>
        <div className="actions">
          <Button type="submit" busy={busy} disabled={tooShort}>
            Create account
          </Button>
          <span>
            Have an account? <Link href="/login">Sign in</Link>
          </span>
        </div>
      </form>
    </>
  );
}
