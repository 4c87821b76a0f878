import type { CaseViewer } from '@mend/access';
import { recordAudit } from '@mend/audit';
import type { TenantTransaction } from '@mend/core';

import { auditCase, newId } from '../ledger/case-content.js';
import { LedgerError, LedgerErrorCode } from '../ledger/ledger.errors.js';
import type { DisclosureMode } from '../ledger/ledger.types.js';

/** What moved from a participant's private space into the shared space. Ids only: never the content. */
export interface RecordDisclosureInput {
  readonly caseId: string;
  /** e.g. `plan.need`, `plan.breach_assessment`, `homework.submission` (lower-case code). */
  readonly itemType: string;
  readonly itemId: string;
  /** The participant whose content it is. */
  readonly authorClientId: string;
  /** Who moved it: the author (release) or a care-team member (under the secrets policy). Null: the system. */
  readonly disclosedByMembershipId: string | null;
  readonly mode: DisclosureMode;
}

export interface DisclosureRecord {
  readonly id: string;
  readonly caseId: string;
  readonly itemType: string;
  readonly itemId: string;
  readonly authorClientId: string;
  readonly disclosedByMembershipId: string | null;
  readonly mode: DisclosureMode;
  /** The case's secrets policy version in force (null when the case has none yet). */
  readonly secretsPolicyVersion: number | null;
  readonly disclosedAt: Date;
}

/**
 * The port through which a disclosure reaches the author (implemented by
 * libs/notifications, wired by the app): called in the same transaction, so the
 * notification exists exactly when the disclosure does.
 */
export interface DisclosureNotifier {
  disclosed(tx: TenantTransaction, disclosure: DisclosureRecord): Promise<void>;
}

export const NO_DISCLOSURE_NOTIFIER: DisclosureNotifier = { disclosed: () => Promise.resolve() };

const ITEM_TYPE = /^[a-z][a-z0-9_.]{0,39}$/;

interface Row {
  id: string;
  case_id: string;
  item_type: string;
  item_id: string;
  author_client_id: string;
  disclosed_by_membership_id: string | null;
  mode: DisclosureMode;
  secrets_policy_version: number | null;
  disclosed_at: Date;
}

const COLUMNS =
  'id, case_id, item_type, item_id, author_client_id, disclosed_by_membership_id, mode, secrets_policy_version, disclosed_at';

function toRecord(row: Row): DisclosureRecord {
  return {
    id: row.id,
    caseId: row.case_id,
    itemType: row.item_type,
    itemId: row.item_id,
    authorClientId: row.author_client_id,
    disclosedByMembershipId: row.disclosed_by_membership_id,
    mode: row.mode,
    secretsPolicyVersion: row.secrets_policy_version,
    disclosedAt: row.disclosed_at,
  };
}

/**
 * Records a disclosure in the caller's transaction (the change that shares the
 * item and its log entry commit together), audits it and notifies the author
 * through `notifier`. The secrets policy version is read from the case
 * (`cases.secrets_policy_version`). The author must be a participant of the
 * case (422 otherwise). The caller has already decided the move is allowed.
 */
export async function recordDisclosure(
  tx: TenantTransaction,
  input: RecordDisclosureInput,
  notifier: DisclosureNotifier,
): Promise<DisclosureRecord> {
  if (!ITEM_TYPE.test(input.itemType)) throw new Error('Disclosure itemType must be a lower-case code');
  const cases = await tx.query<{ secrets_policy_version: number | null; is_participant: boolean }>(
    `select c.secrets_policy_version,
            exists (select 1 from case_participants p
                     where p.clinic_id = c.clinic_id and p.case_id = c.id and p.client_id = $3) as is_participant
       from cases c where c.clinic_id = $1 and c.id = $2`,
    [tx.clinicId, input.caseId, input.authorClientId],
  );
  if (cases[0]?.is_participant !== true) {
    throw new LedgerError(
      LedgerErrorCode.DisclosureAuthorNotParticipant,
      422,
      'The author of a disclosed item must be a participant of the case',
    );
  }
  const rows = await tx.query<Row>(
    `insert into disclosures (clinic_id, id, case_id, item_type, item_id, author_client_id, disclosed_by_membership_id,
                              mode, secrets_policy_version)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     returning ${COLUMNS}`,
    [
      tx.clinicId,
      newId(),
      input.caseId,
      input.itemType,
      input.itemId,
      input.authorClientId,
      input.disclosedByMembershipId,
      input.mode,
      cases[0].secrets_policy_version,
    ],
  );
  const disclosure = toRecord(rows[0]);
  await recordAudit(tx, {
    action: 'disclosure.record',
    targetType: 'disclosure',
    targetId: disclosure.id,
    actorMembershipId: input.disclosedByMembershipId,
    metadata: {
      caseId: disclosure.caseId,
      itemType: disclosure.itemType,
      itemId: disclosure.itemId,
      authorClientId: disclosure.authorClientId,
      mode: disclosure.mode,
      secretsPolicyVersion: disclosure.secretsPolicyVersion,
    },
  });
  await notifier.disclosed(tx, disclosure);
  return disclosure;
}

/**
 * The disclosure log as a service with its notifier bound (the app builds one
 * and hands it to every feature that shares content: plan visibility changes,
 * homework release).
 */
export class DisclosureLog {
  constructor(private readonly notifier: DisclosureNotifier) {}

  record(tx: TenantTransaction, input: RecordDisclosureInput): Promise<DisclosureRecord> {
    return recordDisclosure(tx, input, this.notifier);
  }

  /**
   * The care team sees every disclosure of the case; a participant sees the
   * disclosures of their own content (what was shared of theirs, by whom, when).
   */
  async list(tx: TenantTransaction, viewer: CaseViewer): Promise<DisclosureRecord[]> {
    if (viewer.kind === 'directory') throw new Error('A directory viewer cannot list disclosures');
    const rows = await tx.query<Row>(
      `select ${COLUMNS} from disclosures
        where clinic_id = $1 and case_id = $2 and ($3::uuid is null or author_client_id = $3::uuid)
        order by disclosed_at, id`,
      [tx.clinicId, viewer.case.caseId, viewer.kind === 'participant' ? viewer.clientId : null],
    );
    await auditCase(tx, viewer, 'disclosure.list', { type: 'case', id: viewer.case.caseId }, { entries: rows.length });
    return rows.map(toRecord);
  }
}
