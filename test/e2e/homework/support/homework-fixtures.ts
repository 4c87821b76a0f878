import { randomUUID } from 'node:crypto';

import { builtInExercise, type ScalarField } from '@mend/homework';

import type { IdentityApp } from '../../auth/support/identity-app.js';
import { insertCase, type CaseWorld } from '../../cases/support/case-world.js';

/** A valid value for one field (synthetic). */
function sampleValue(field: ScalarField): unknown {
  switch (field.type) {
    case 'text':
      return 'Synthetic answer '.repeat(Math.max(1, Math.ceil((field.minLength ?? 1) / 17))).slice(0, field.maxLength);
    case 'rating_0_10':
      return 5;
    case 'likert_1_5':
      return 3;
    case 'checklist':
      return { selected: field.options.slice(0, Math.max(1, field.minSelected ?? 1)).map((option) => option.value) };
    case 'select':
      return field.options[0].value;
    case 'bool':
      return true;
    case 'date':
      return '2026-06-01';
    case 'datetime':
      return '2026-06-01T10:00:00Z';
    case 'time':
      return '10:00';
    case 'number': {
      const value = field.min ?? 1;
      return field.max !== undefined ? Math.min(value, field.max) : value;
    }
  }
}

/** Answers filling every field of an exercise (or of one part): valid for submission. */
export function sampleAnswers(exerciseKey: string, part?: string): Record<string, unknown> {
  const exercise = builtInExercise(exerciseKey);
  if (exercise === undefined) throw new Error(`no built-in ${exerciseKey}`);
  const fields = exercise.responseSchema.fields.filter((field) => part === undefined || field.part === part);
  const answers: Record<string, unknown> = {};
  for (const field of fields) {
    if (field.type === 'rows') {
      const row: Record<string, unknown> = {};
      for (const column of field.columns) row[column.key] = sampleValue(column);
      answers[field.key] = Array.from({ length: Math.max(1, field.minRows ?? 1) }, () => ({ ...row }));
    } else {
      answers[field.key] = sampleValue(field);
    }
  }
  return answers;
}

/** The key of a free-text field (of a part) and its limit. */
export function textField(exerciseKey: string, part?: string): { key: string; maxLength: number } {
  const field = builtInExercise(exerciseKey)!.responseSchema.fields.find(
    (candidate) => candidate.type === 'text' && (part === undefined || candidate.part === part),
  );
  if (field?.type !== 'text') throw new Error(`${exerciseKey} has no text field`);
  return { key: field.key, maxLength: field.maxLength };
}

export type Send = (
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  headers: Record<string, string>,
  body?: unknown,
) => ReturnType<IdentityApp['inject']>;

export function sender(api: IdentityApp): Send {
  return (method, url, headers, body) =>
    api.inject({
      method,
      url,
      headers: { ...headers, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { payload: JSON.stringify(body) }),
    });
}

/** A fresh couple case of the world's partners and counselor; with `signed`, a secrets policy both partners signed. */
export async function freshCase(api: IdentityApp, world: CaseWorld, signed = true): Promise<string> {
  const send = sender(api);
  const caseId = await insertCase(api, world.clinicId, {
    primaryMembershipId: world.counselor.member.membershipId,
    participants: [
      { clientId: world.partnerA.clientId, role: 'harmed' },
      { clientId: world.partnerB.clientId, role: 'harming' },
    ],
  });
  if (signed) {
    const policy = await send('PUT', `/api/v1/cases/${caseId}/secrets-policy`, world.counselor.headers, {
      kind: 'no_secrets',
    });
    if (policy.statusCode >= 300) throw new Error(`setting the policy answered ${policy.statusCode} ${policy.body}`);
    const version = policy.json<{ version: number }>().version;
    for (const partner of [world.partnerA, world.partnerB]) {
      const signedResponse = await send('POST', `/api/v1/cases/${caseId}/secrets-policy/signatures`, partner.headers, {
        version,
        signedName: 'Synthetic Signer',
      });
      if (signedResponse.statusCode >= 300)
        throw new Error(`signing answered ${signedResponse.statusCode} ${signedResponse.body}`);
    }
  }
  return caseId;
}

export const newId = (): string => randomUUID();
