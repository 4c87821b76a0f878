import type { ParticipantRole, SecretsPolicyKind } from '@mend/contracts';
import type { TenantTransaction } from '@mend/core';

import { ClientsError, ClientsErrorCode, invalidField } from '../clients.errors.js';
import { auditCases, type ClientsActor } from '../shared.js';
import type { CaseViewerRef } from './case.service.js';
import { DEFAULT_SECRETS_POLICY_TEXTS } from './secrets-policy-texts.js';

export interface SecretsPolicyVersionView {
  readonly version: number;
  readonly kind: SecretsPolicyKind;
  readonly body: string;
  readonly createdAt: Date;
  readonly createdByMembershipId: string | null;
}

export interface SignatureStatusView {
  readonly clientId: string;
  readonly role: ParticipantRole;
  readonly signed: boolean;
  readonly signedAt: Date | null;
  /** The care team, and the signer themselves, see the details of a signature. */
  readonly signedName?: string | null;
  readonly signedByUserId?: string | null;
  readonly ip?: string | null;
  readonly userAgent?: string | null;
}

export interface SecretsPolicyStatusView {
  /** Null: no policy is set yet (individual channels stay closed). */
  readonly current: SecretsPolicyVersionView | null;
  readonly participants: readonly SignatureStatusView[];
  /** Every participant signed the current version: individual channels may open. */
  readonly complete: boolean;
}

export interface SignInput {
  readonly version: number;
  readonly signedName: string;
  readonly signedByUserId: string;
  readonly ip: string | null;
  readonly userAgent: string | null;
}

export interface MissingSignature {
  readonly clientId: string;
  readonly role: ParticipantRole;
}

interface StatusRow {
  client_id: string;
  role: ParticipantRole;
  signed_at: Date | null;
  signed_name: string | null;
  signed_by_user_id: string | null;
  ip: string | null;
  user_agent: string | null;
}

const MAX_USER_AGENT = 256;

/**
 * The secrets policy of a case (`no_secrets`, `limited_secrets` or `custom`),
 * versioned: each change is a new version with its exact text, and every
 * participant signs the current version themselves (typed name, who, when, from
 * where). Until all have, no individual channel of the case may be created
 * ({@link assertIndividualChannelsOpen}).
 */
export class SecretsPolicyService {
  async current(tx: TenantTransaction, caseId: string): Promise<SecretsPolicyVersionView | null> {
    const rows = await tx.query<{
      version: number;
      kind: SecretsPolicyKind;
      body: string;
      created_at: Date;
      created_by_membership_id: string | null;
    }>(
      `select p.version, p.kind, p.body, p.created_at, p.created_by_membership_id
         from cases k join case_secrets_policies p
           on p.clinic_id = k.clinic_id and p.case_id = k.id and p.version = k.secrets_policy_version
        where k.clinic_id = $1 and k.id = $2`,
      [tx.clinicId, caseId],
    );
    const row = rows[0];
    return row === undefined
      ? null
      : {
          version: row.version,
          kind: row.kind,
          body: row.body,
          createdAt: new Date(row.created_at),
          createdByMembershipId: row.created_by_membership_id,
        };
  }

  /** A new version (the text of `no_secrets` and `limited_secrets` defaults to the clinic wording). */
  async setPolicy(
    tx: TenantTransaction,
    actor: ClientsActor,
    caseId: string,
    input: { readonly kind: SecretsPolicyKind; readonly body?: string },
  ): Promise<SecretsPolicyVersionView> {
    const body = input.body?.trim();
    if (input.kind === 'custom' && (body === undefined || body === '')) {
      throw invalidField('body', 'requiredForCustom', 'body is required for a custom secrets policy');
    }
    const text = body !== undefined && body !== '' ? body : DEFAULT_SECRETS_POLICY_TEXTS[input.kind as 'no_secrets'];
    await tx.query('select id from cases where clinic_id = $1 and id = $2 for update', [tx.clinicId, caseId]);
    const [row] = await tx.query<{ version: number; created_at: Date }>(
      `insert into case_secrets_policies (clinic_id, case_id, version, kind, body, created_by_membership_id)
       select $1, $2, coalesce(max(version), 0) + 1, $3, $4, $5
         from case_secrets_policies where clinic_id = $1 and case_id = $2
       returning version, created_at`,
      [tx.clinicId, caseId, input.kind, text, actor.membershipId],
    );
    await tx.query(
      'update cases set secrets_policy_version = $3, updated_at = now() where clinic_id = $1 and id = $2',
      [tx.clinicId, caseId, row.version],
    );
    await auditCases(
      tx,
      actor,
      'case.secrets_policy.update',
      { type: 'case', id: caseId },
      {
        kind: input.kind,
        version: row.version,
        defaultText: body === undefined || body === '',
      },
    );
    return {
      version: row.version,
      kind: input.kind,
      body: text,
      createdAt: new Date(row.created_at),
      createdByMembershipId: actor.membershipId,
    };
  }

  /** The current policy and who signed it; signature details for the care team and the signer only. */
  async status(
    tx: TenantTransaction,
    actor: ClientsActor,
    caseId: string,
    viewer: CaseViewerRef,
  ): Promise<SecretsPolicyStatusView> {
    const current = await this.current(tx, caseId);
    const rows = await this.signatureRows(tx, caseId);
    await auditCases(tx, actor, 'case.secrets_policy.read', { type: 'case', id: caseId }, { view: viewer.kind });
    const participants = rows.map((row): SignatureStatusView => {
      const detailed =
        viewer.kind === 'care_team' ||
        (viewer.clientId !== undefined && viewer.clientId.toLowerCase() === row.client_id.toLowerCase());
      return {
        clientId: row.client_id,
        role: row.role,
        signed: row.signed_at !== null,
        signedAt: row.signed_at === null ? null : new Date(row.signed_at),
        ...(detailed && {
          signedName: row.signed_name,
          signedByUserId: row.signed_by_user_id,
          ip: row.ip,
          userAgent: row.user_agent,
        }),
      };
    });
    return { current, participants, complete: current !== null && participants.every((p) => p.signed) };
  }

  /** The participant `clientId` signs the current version (it must be the version they read: 409 otherwise). */
  async sign(
    tx: TenantTransaction,
    actor: ClientsActor,
    caseId: string,
    clientId: string,
    input: SignInput,
  ): Promise<SignatureStatusView> {
    const [locked] = await tx.query<{ secrets_policy_version: number | null }>(
      'select secrets_policy_version from cases where clinic_id = $1 and id = $2 for update',
      [tx.clinicId, caseId],
    );
    const currentVersion = locked?.secrets_policy_version ?? null;
    if (currentVersion === null || currentVersion !== input.version) {
      throw new ClientsError(
        ClientsErrorCode.SecretsPolicyVersionStale,
        currentVersion === null
          ? 'This case has no secrets policy to sign yet'
          : `Version ${input.version} is not the current secrets policy: read version ${currentVersion} and sign it`,
        [
          {
            field: 'version',
            rule: 'isCurrent',
            message: `version must be the current version (${currentVersion ?? 'none'})`,
          },
        ],
      );
    }
    const userAgent = input.userAgent === null ? null : input.userAgent.slice(0, MAX_USER_AGENT);
    const inserted = await tx.query<{ signed_at: Date }>(
      `insert into case_secrets_policy_signatures
              (clinic_id, case_id, version, client_id, signed_by_user_id, signed_name, ip, user_agent)
       values ($1, $2, $3, $4, $5, $6, $7, $8)
       on conflict do nothing returning signed_at`,
      [
        tx.clinicId,
        caseId,
        input.version,
        clientId,
        input.signedByUserId,
        input.signedName.trim(),
        input.ip,
        userAgent,
      ],
    );
    if (inserted.length === 0) {
      throw new ClientsError(ClientsErrorCode.AlreadySigned, 'You already signed this version of the secrets policy');
    }
    await auditCases(
      tx,
      actor,
      'case.secrets_policy.sign',
      { type: 'case', id: caseId },
      {
        clientId,
        version: input.version,
      },
    );
    const [row] = await tx.query<{ role: ParticipantRole }>(
      'select role from case_participants where clinic_id = $1 and case_id = $2 and client_id = $3',
      [tx.clinicId, caseId, clientId],
    );
    return {
      clientId,
      role: row.role,
      signed: true,
      signedAt: new Date(inserted[0].signed_at),
      signedName: input.signedName.trim(),
      signedByUserId: input.signedByUserId,
      ip: input.ip,
      userAgent,
    };
  }

  /** Participants who have not signed the current version (everyone, when no policy is set). */
  async missingSignatures(
    tx: TenantTransaction,
    caseId: string,
  ): Promise<{
    readonly version: number | null;
    readonly missing: readonly MissingSignature[];
  }> {
    const rows = await tx.query<{ version: number | null; client_id: string | null; role: ParticipantRole | null }>(
      `select k.secrets_policy_version as version, p.client_id, p.role
         from cases k
         left join case_participants p on p.clinic_id = k.clinic_id and p.case_id = k.id
          and not exists (select 1 from case_secrets_policy_signatures s
                           where s.clinic_id = p.clinic_id and s.case_id = p.case_id and s.client_id = p.client_id
                             and s.version = k.secrets_policy_version)
        where k.clinic_id = $1 and k.id = $2
        order by p.added_at, p.client_id`,
      [tx.clinicId, caseId],
    );
    if (rows.length === 0) throw new ClientsError(ClientsErrorCode.NotFound, 'No such case');
    return {
      version: rows[0].version,
      missing: rows.flatMap((row) =>
        row.client_id === null || row.role === null ? [] : [{ clientId: row.client_id, role: row.role }],
      ),
    };
  }

  private signatureRows(tx: TenantTransaction, caseId: string): Promise<StatusRow[]> {
    return tx.query<StatusRow>(
      `select p.client_id, p.role, s.signed_at, s.signed_name, s.signed_by_user_id, host(s.ip) as ip, s.user_agent
         from case_participants p
         join cases k on k.clinic_id = p.clinic_id and k.id = p.case_id
         left join case_secrets_policy_signatures s
           on s.clinic_id = p.clinic_id and s.case_id = p.case_id and s.client_id = p.client_id
          and s.version = k.secrets_policy_version
        where p.clinic_id = $1 and p.case_id = $2
        order by p.added_at, p.client_id`,
      [tx.clinicId, caseId],
    );
  }
}

const GATE = new SecretsPolicyService();

/**
 * THE GATE of every individual channel of a case (private assignments,
 * individual sessions, private messages): call it before creating one. Throws
 * 422 `secrets_policy_unsigned` naming, in `errors`, each participant (client id
 * and role) who has not signed the current version — or that no policy is set.
 */
export async function assertIndividualChannelsOpen(tx: TenantTransaction, caseId: string): Promise<void> {
  const { version, missing } = await GATE.missingSignatures(tx, caseId);
  if (version === null) {
    throw new ClientsError(
      ClientsErrorCode.SecretsPolicyUnsigned,
      'No secrets policy is set for this case: set one and have every participant sign it first',
      [{ field: 'secretsPolicy', rule: 'required', message: 'the case has no secrets policy' }],
    );
  }
  if (missing.length > 0) {
    throw new ClientsError(
      ClientsErrorCode.SecretsPolicyUnsigned,
      `Every participant must sign version ${version} of the secrets policy first (${missing.length} missing)`,
      missing.map((participant) => ({
        field: `participants.${participant.clientId}`,
        rule: 'signedSecretsPolicy',
        message: `participant ${participant.clientId} (${participant.role}) has not signed version ${version}`,
      })),
    );
  }
}
