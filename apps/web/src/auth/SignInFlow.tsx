import { useState, type FormEvent } from 'react';

import { api, call } from '../api/client';
import { ApiError, describeError } from '../api/errors';
import type { Schemas } from '../api/types';
import { FormError, TextInput } from '../ui/fields';

type LoginResponse = Schemas['LoginResponse'];

type Step =
  | { readonly kind: 'credentials' }
  | { readonly kind: 'membership'; readonly memberships: Schemas['MembershipChoiceResponse'][] }
  | { readonly kind: 'mfa'; readonly mfaToken: string; readonly useRecovery: boolean }
  | { readonly kind: 'enrol'; readonly mfaToken: string; readonly secret: string; readonly otpauthUri: string }
  | { readonly kind: 'recovery-codes'; readonly codes: readonly string[] };

/**
 * Email and password, then what the API asks for: a clinic (several memberships),
 * a second factor (staff), or first-time enrolment of an authenticator (staff
 * without one: the secret to type into the app, then its code, then the recovery
 * codes shown once). Tokens arrive as HttpOnly cookies (tokenDelivery=cookie).
 */
export function SignInFlow({
  onSignedIn,
  initialEmail = '',
  submitLabel = 'Sign in',
}: {
  readonly onSignedIn: () => void | Promise<void>;
  readonly initialEmail?: string;
  readonly submitLabel?: string;
}) {
  const [step, setStep] = useState<Step>({ kind: 'credentials' });
  const [email, setEmail] = useState(initialEmail);
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const handleAnswer = async (answer: LoginResponse) => {
    if (answer.membershipChoiceRequired) {
      setStep({ kind: 'membership', memberships: answer.memberships ?? [] });
      return;
    }
    if (answer.mfaRequired && answer.mfaToken !== undefined) {
      if (answer.mfaEnrolled === false) {
        const started = await call(api.POST('/api/v1/auth/mfa/enroll/start', { body: { mfaToken: answer.mfaToken } }));
        setStep({ kind: 'enrol', mfaToken: answer.mfaToken, secret: started.secret, otpauthUri: started.otpauthUri });
      } else {
        setStep({ kind: 'mfa', mfaToken: answer.mfaToken, useRecovery: false });
      }
      setCode('');
      return;
    }
    await onSignedIn();
  };

  const run = async (event: FormEvent, action: () => Promise<void>) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (caught) {
      setError(messageFor(caught));
    } finally {
      setBusy(false);
    }
  };

  const login = (membershipId?: string) =>
    call(
      api.POST('/api/v1/auth/login', {
        body: { email, password, tokenDelivery: 'cookie', ...(membershipId !== undefined && { membershipId }) },
      }),
    ).then(handleAnswer);

  switch (step.kind) {
    case 'credentials':
      return (
        <form className="form" onSubmit={(event) => void run(event, () => login())} noValidate>
          <TextInput label="Email" type="email" autoComplete="username" value={email} onChange={setEmail} required />
          <TextInput
            label="Password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={setPassword}
            required
          />
          <FormError message={error} />
          <button type="submit" className="button" disabled={busy} aria-busy={busy}>
            {busy ? 'Signing in…' : submitLabel}
          </button>
        </form>
      );
    case 'membership':
      return (
        <div className="form">
          <p>Your account belongs to more than one clinic. Which one do you want to use?</p>
          <ul className="choice-list">
            {step.memberships.map((membership) => (
              <li key={membership.membershipId}>
                <button
                  type="button"
                  className="button button--secondary"
                  disabled={busy}
                  onClick={(event) => void run(event, () => login(membership.membershipId))}
                >
                  {membership.clinicName}
                </button>
              </li>
            ))}
          </ul>
          <FormError message={error} />
        </div>
      );
    case 'mfa':
      return (
        <form
          className="form"
          noValidate
          onSubmit={(event) =>
            void run(event, async () =>
              handleAnswer(
                await call(
                  api.POST('/api/v1/auth/mfa/verify', {
                    body: { mfaToken: step.mfaToken, code: code.trim(), tokenDelivery: 'cookie' },
                  }),
                ),
              ),
            )
          }
        >
          <p>Staff sign-in needs a second step.</p>
          <TextInput
            label={step.useRecovery ? 'Recovery code' : 'Code from your authenticator app'}
            help={step.useRecovery ? 'One of the recovery codes you saved; each works once.' : '6 digits'}
            value={code}
            onChange={setCode}
            autoComplete="one-time-code"
            inputMode={step.useRecovery ? 'text' : 'numeric'}
            required
          />
          <FormError message={error} />
          <button type="submit" className="button" disabled={busy}>
            {busy ? 'Checking…' : 'Continue'}
          </button>
          <button
            type="button"
            className="button button--link"
            onClick={() => setStep({ ...step, useRecovery: !step.useRecovery })}
          >
            {step.useRecovery ? 'Use the authenticator app instead' : 'Use a recovery code instead'}
          </button>
        </form>
      );
    case 'enrol':
      return (
        <form
          className="form"
          noValidate
          onSubmit={(event) =>
            void run(event, async () => {
              const answer = await call(
                api.POST('/api/v1/auth/mfa/enroll/confirm', {
                  body: { mfaToken: step.mfaToken, code: code.trim(), tokenDelivery: 'cookie' },
                }),
              );
              setStep({ kind: 'recovery-codes', codes: answer.recoveryCodes });
            })
          }
        >
          <p>
            Staff accounts need a second factor. Add Mend to your authenticator app with this key, then type the code
            the app shows.
          </p>
          <p className="secret" aria-label="Authenticator key">
            <code data-testid="mfa-secret">{step.secret}</code>
          </p>
          <p className="muted">
            Or open this link on the phone that has the app: <a href={step.otpauthUri}>add to authenticator</a>
          </p>
          <TextInput
            label="Code from your authenticator app"
            value={code}
            onChange={setCode}
            autoComplete="one-time-code"
            inputMode="numeric"
            required
          />
          <FormError message={error} />
          <button type="submit" className="button" disabled={busy}>
            {busy ? 'Checking…' : 'Turn on and continue'}
          </button>
        </form>
      );
    case 'recovery-codes':
      return (
        <div className="form">
          <p>
            Save these recovery codes somewhere safe. Each one signs you in once if you lose your phone. They are shown
            only now.
          </p>
          <ul className="recovery-codes" aria-label="Recovery codes">
            {step.codes.map((recovery) => (
              <li key={recovery}>
                <code>{recovery}</code>
              </li>
            ))}
          </ul>
          <button type="button" className="button" onClick={() => void onSignedIn()}>
            I have saved them — continue
          </button>
        </div>
      );
  }
}

const SIGN_IN_MESSAGES: Readonly<Record<string, string>> = {
  invalid_credentials: 'That email and password do not match an account.',
  invalid_second_factor: 'That code did not work. Codes change every 30 seconds and each works once; try the next one.',
  invalid_mfa_token: 'The sign-in took too long. Please start again.',
  rate_limited: 'Too many attempts. Please wait a minute and try again.',
};

function messageFor(error: unknown): string {
  if (error instanceof ApiError && error.code !== undefined)
    return SIGN_IN_MESSAGES[error.code] ?? describeError(error);
  return describeError(error);
}
