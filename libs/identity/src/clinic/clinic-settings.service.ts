import { isValidTimezone, type TenantTransaction } from '@mend/core';

import { auditIdentity, auditRead, type AuditActor } from '../identity-audit.js';
import { IdentityError, IdentityErrorCode } from '../identity.errors.js';
import { changedRows } from '../sql.js';

export interface ClinicSettings {
  readonly id: string;
  readonly name: string;
  readonly timezone: string;
  readonly createdAt: Date;
}

/** The current clinic's own settings (name and time zone). */
export class ClinicSettingsService {
  /** A read by a member (`actor`: who; default the transaction's user) is audited as `clinic.read`. */
  async get(tx: TenantTransaction, actor?: AuditActor): Promise<ClinicSettings> {
    const rows = await tx.query<{ id: string; name: string; timezone: string; created_at: Date }>(
      'select id, name, timezone, created_at from clinics where id = $1',
      [tx.clinicId],
    );
    if (rows.length === 0) throw new IdentityError(IdentityErrorCode.NotFound, 'No such clinic');
    const row = rows[0];
    await auditRead(tx, actor, 'clinic.read', { type: 'clinic', id: row.id });
    return { id: row.id, name: row.name, timezone: row.timezone, createdAt: new Date(row.created_at) };
  }

  async update(
    tx: TenantTransaction,
    actor: AuditActor,
    change: { readonly name?: string; readonly timezone?: string },
  ): Promise<ClinicSettings> {
    const name = change.name?.trim();
    if (name !== undefined && (name.length === 0 || name.length > 200)) {
      throw new IdentityError(IdentityErrorCode.InvalidClinicSettings, 'The name is 1 to 200 characters');
    }
    if (change.timezone !== undefined && !isValidTimezone(change.timezone)) {
      throw new IdentityError(
        IdentityErrorCode.InvalidClinicSettings,
        'The time zone must be an IANA zone such as Europe/Lisbon',
      );
    }
    await changedRows(
      tx,
      'update clinics set name = coalesce($2, name), timezone = coalesce($3, timezone) where id = $1',
      [tx.clinicId, name ?? null, change.timezone ?? null],
    );
    const fields = [name !== undefined && 'name', change.timezone !== undefined && 'timezone'].filter(
      (field): field is string => field !== false,
    );
    await auditIdentity(tx, actor, 'clinic.update', { type: 'clinic', id: tx.clinicId }, { fields });
    return this.get(tx);
  }
}
