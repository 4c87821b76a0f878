import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';

import { api, call } from '../api/client';
import { ApiError, describeError } from '../api/errors';
import { FormError, TextInput } from '../ui/fields';
import { Page } from '../ui/Page';

/**
 * /invitations/accept?token=… (the link a clinic sends): choose a password (or,
 * for an existing Mend account, give its password) and a display name, then sign in.
 */
export function InvitationPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [accepted, setAccepted] = useState<{ isNewUser: boolean } | undefined>();

  if (token === '') {
    return (
      <Page title="Invitation">
        <p role="alert">This invitation link is incomplete. Open the link from your invitation again.</p>
      </Page>
    );
  }
  if (accepted !== undefined) {
    return (
      <Page title="Invitation accepted">
        <p>
          {accepted.isNewUser
            ? 'Your account is ready.'
            : 'Your existing Mend account is now linked to this clinic; its password is unchanged.'}
        </p>
        <Link className="button" to="/sign-in">
          Sign in
        </Link>
      </Page>
    );
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const local: Record<string, string> = {};
    if (password.length < 8) local.password = 'Use at least 8 characters.';
    if (password.length > 128) local.password = 'Use at most 128 characters.';
    if (confirm !== password) local.confirm = 'The two passwords differ.';
    setErrors(local);
    setFormError(undefined);
    if (Object.keys(local).length > 0) return;
    setBusy(true);
    try {
      const answer = await call(
        api.POST('/api/v1/invitations/accept', {
          body: { token, password, ...(displayName.trim() !== '' && { displayName: displayName.trim() }) },
        }),
      );
      setAccepted({ isNewUser: answer.isNewUser });
    } catch (error) {
      if (error instanceof ApiError) {
        if (error.code === 'invalid_or_expired_link')
          setFormError('This invitation link has expired or was already used. Ask your clinic for a new one.');
        else if (error.code === 'weak_password') setErrors({ password: error.message });
        else if (error.code === 'existing_account_password_mismatch')
          setErrors({ password: 'This email already has a Mend account: enter that account’s password.' });
        else {
          setErrors(error.fieldErrors());
          setFormError(describeError(error));
        }
      } else setFormError(describeError(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title="Accept your invitation">
      <div className="card card--narrow">
        <form className="form" onSubmit={(event) => void submit(event)} noValidate>
          <TextInput
            label="Your name as your counselor will see it"
            value={displayName}
            onChange={setDisplayName}
            autoComplete="name"
            maxLength={200}
            error={errors.displayName}
          />
          <TextInput
            label="Choose a password"
            help="8 to 128 characters. If you already have a Mend account, use its password."
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={setPassword}
            error={errors.password}
            required
          />
          <TextInput
            label="Type the password again"
            type="password"
            autoComplete="new-password"
            value={confirm}
            onChange={setConfirm}
            error={errors.confirm}
            required
          />
          <FormError message={formError} />
          <button type="submit" className="button" disabled={busy}>
            {busy ? 'Accepting…' : 'Accept invitation'}
          </button>
        </form>
      </div>
    </Page>
  );
}
