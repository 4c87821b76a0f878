import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';

import { api, call } from '../api/client';
import { ApiError, describeError } from '../api/errors';
import { FormError, TextInput } from '../ui/fields';
import { Page } from '../ui/Page';

/** /password-reset?token=… (a link a clinic admin issued): set a new password. */
export function PasswordResetPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | undefined>();
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  if (done) {
    return (
      <Page title="Password changed">
        <p>Your password is set. Every other sign-in of yours has ended.</p>
        <Link className="button" to="/sign-in">
          Sign in
        </Link>
      </Page>
    );
  }
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (password.length < 8) {
      setError('Use at least 8 characters.');
      return;
    }
    setBusy(true);
    setError(undefined);
    setFormError(undefined);
    try {
      await call(api.POST('/api/v1/auth/password-reset', { body: { token, newPassword: password } }));
      setDone(true);
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'weak_password') setError(caught.message);
      else if (caught instanceof ApiError && caught.code === 'invalid_or_expired_link')
        setFormError('This link has expired or was already used. Ask your clinic for a new one.');
      else setFormError(describeError(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Page title="Set a new password">
      <div className="card card--narrow">
        <form className="form" onSubmit={(event) => void submit(event)} noValidate>
          <TextInput
            label="New password"
            help="8 to 128 characters"
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={setPassword}
            error={error}
            required
          />
          <FormError message={formError} />
          <button type="submit" className="button" disabled={busy || token === ''}>
            Set password
          </button>
        </form>
      </div>
    </Page>
  );
}
