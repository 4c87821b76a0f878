import { DEFAULT_PARTICIPANT_ROLE_LABELS, PARTICIPANT_ROLES, type ParticipantRole } from '@mend/contracts';
import type { TenantTransaction } from '@mend/core';

import { auditCases, type ClientsActor } from '../shared.js';

export type ParticipantRoleLabels = Readonly<Record<ParticipantRole, string>>;

/** The clinic's display labels of the participant roles (defaults in @mend/contracts). */
export class ParticipantRoleLabelsService {
  async get(tx: TenantTransaction): Promise<ParticipantRoleLabels> {
    const [row] = await tx.query<{ labels: Partial<Record<ParticipantRole, string>> }>(
      'select participant_role_labels as labels from clinics where id = $1',
      [tx.clinicId],
    );
    return { ...DEFAULT_PARTICIPANT_ROLE_LABELS, ...(row?.labels ?? {}) };
  }

  /** Replaces the clinic's labels: a role left out (or given its default) shows the default. */
  async replace(
    tx: TenantTransaction,
    actor: ClientsActor,
    labels: Partial<Record<ParticipantRole, string>>,
  ): Promise<ParticipantRoleLabels> {
    const stored: Partial<Record<ParticipantRole, string>> = {};
    for (const role of PARTICIPANT_ROLES) {
      const label = labels[role]?.trim();
      if (label !== undefined && label !== '' && label !== DEFAULT_PARTICIPANT_ROLE_LABELS[role]) stored[role] = label;
    }
    await tx.query('update clinics set participant_role_labels = $2::jsonb where id = $1', [
      tx.clinicId,
      JSON.stringify(stored),
    ]);
    await auditCases(
      tx,
      actor,
      'clinic.participant_role_labels.update',
      { type: 'clinic', id: tx.clinicId },
      {
        customised: Object.keys(stored).sort(),
      },
    );
    return { ...DEFAULT_PARTICIPANT_ROLE_LABELS, ...stored };
  }
}
