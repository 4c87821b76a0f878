import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';

import { api, call } from '../api/client';
import { ApiError, describeError } from '../api/errors';
import { FormError, TextInput } from '../ui/fields';
import { formatInstant } from '../ui/format';
import { Page } from '../ui/Page';
import { QueryView } from '../ui/Status';
import { CasePicker, participantName, useChosenCase } from './case-context';
import { portalKeys, useMyTimezone, type CaseView } from './portal-data';

const KIND_LABELS = {
  no_secrets: 'No secrets',
  limited_secrets: 'Limited secrets',
  custom: 'Our own agreement',
} as const;

/**
 * The case's secrets policy (what your counselor will and will not keep between
 * you and your partner): read it and sign it with your typed name. Individual
 * channels open only once every partner has signed.
 */
export function SecretsPolicyPage() {
  const chosen = useChosenCase();
  return (
    <Page title="Privacy agreement">
      <CasePicker chosen={chosen} />
      {chosen.current !== undefined && <Policy key={chosen.current.id} caseView={chosen.current} />}
    </Page>
  );
}

export function useSecretsPolicy(caseId: string | undefined) {
  return useQuery({
    queryKey: portalKeys.secretsPolicy(caseId ?? ''),
    queryFn: () =>
      call(api.GET('/api/v1/cases/{caseId}/secrets-policy', { params: { path: { caseId: caseId ?? '' } } })),
    enabled: caseId !== undefined,
  });
}

function Policy({ caseView }: { readonly caseView: CaseView }) {
  const policy = useSecretsPolicy(caseView.id);
  const timezone = useMyTimezone();
  return (
    <QueryView query={policy} label="Loading the agreement…">
      {(status) => {
        if (status.current === null)
          return <p className="notice">Your counselor has not set a privacy agreement for this case yet.</p>;
        const mine = status.participants.find((participant) => participant.clientId === caseView.yourClientId);
        return (
          <div className="stack">
            <section className="card" aria-labelledby="policy-title">
              <h2 id="policy-title">
                {KIND_LABELS[status.current.kind]} (version {status.current.version})
              </h2>
              <div className="policy-body">
                {status.current.body.split(/\n{2,}/).map((paragraph, index) => (
                  <p key={index}>{paragraph}</p>
                ))}
              </div>
            </section>
            <section aria-labelledby="signatures-title">
              <h2 id="signatures-title">Signatures</h2>
              <ul className="list-plain">
                {status.participants.map((participant) => (
                  <li key={participant.clientId}>
                    {participant.clientId === caseView.yourClientId
                      ? 'You'
                      : participantName(caseView, participant.clientId)}
                    :{' '}
                    {participant.signed
                      ? `signed${participant.signedAt ? ` ${formatInstant(participant.signedAt, timezone)}` : ''}`
                      : 'not signed yet'}
                  </li>
                ))}
              </ul>
            </section>
            {mine !== undefined && !mine.signed && <SignForm caseId={caseView.id} version={status.current.version} />}
          </div>
        );
      }}
    </QueryView>
  );
}

function SignForm({ caseId, version }: { readonly caseId: string; readonly version: number }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [agreed, setAgreed] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const sign = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/v1/cases/{caseId}/secrets-policy/signatures', {
          // The OpenAPI document lists User-Agent as a parameter of this route (recorded with the signature);
          // the browser sends its own, this is the same value.
          params: { path: { caseId }, header: { 'user-agent': navigator.userAgent } },
          body: { signedName: name.trim(), version },
        }),
      ),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: portalKeys.secretsPolicy(caseId) });
      void queryClient.invalidateQueries({ queryKey: portalKeys.cases });
    },
    onError: (error) => {
      if (error instanceof ApiError) setErrors(error.fieldErrors());
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const local: Record<string, string> = {};
    if (name.trim() === '') local.signedName = 'Please type your full name.';
    if (!agreed) local.agreed = 'Please confirm that you have read the agreement.';
    setErrors(local);
    if (Object.keys(local).length === 0) sign.mutate();
  };
  return (
    <section className="card" aria-labelledby="sign-title">
      <h2 id="sign-title">Sign the agreement</h2>
      <form className="form" noValidate onSubmit={submit}>
        <div className={`field${errors.agreed !== undefined ? ' field--invalid' : ''}`}>
          <label className="choice">
            <input
              type="checkbox"
              checked={agreed}
              onChange={(event) => setAgreed(event.target.checked)}
              aria-invalid={errors.agreed !== undefined || undefined}
              aria-describedby={errors.agreed !== undefined ? 'agreed-error' : undefined}
            />
            <span>I have read this agreement and I agree to it.</span>
          </label>
          {errors.agreed !== undefined && (
            <p id="agreed-error" className="field__error">
              {errors.agreed}
            </p>
          )}
        </div>
        <TextInput
          label="Type your full name as your signature"
          value={name}
          onChange={setName}
          autoComplete="name"
          error={errors.signedName}
          required
        />
        <FormError
          message={
            sign.error instanceof ApiError && sign.error.code === 'secrets_policy_version_stale'
              ? 'The agreement changed while you were reading it. Please read the new version.'
              : sign.error !== null && !(sign.error instanceof ApiError && sign.error.status === 422)
                ? describeError(sign.error)
                : undefined
          }
        />
        <button type="submit" className="button" disabled={sign.isPending}>
          {sign.isPending ? 'Signing…' : 'Sign'}
        </button>
      </form>
    </section>
  );
}
