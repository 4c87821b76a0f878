import { randomUUID } from 'node:crypto';

import type { AccessPrincipal } from '@mend/access';
import { recordAudit } from '@mend/audit';
import { DomainError, type TenantTransaction } from '@mend/core';

import { BUILT_IN_MEASURES } from '../instruments/built-in-measures.js';
import {
  isAdministrable,
  requiresLicenceConfirmation,
  type MeasureDefinition,
} from '../instruments/measure-definition.js';
import { validateMeasureDefinition } from '../instruments/measure-definition.schema.js';
import { MeasuresError, MeasuresErrorCode } from '../instruments/measures.errors.js';

/**
 * Where a definition comes from: `built_in` (Mend's definition, with the published wording
 * verbatim) or `clinic` (a measure the clinic added under its own licence, with its own
 * verbatim wording).
 */
export type MeasureOrigin = 'built_in' | 'clinic';

/** Whose verbatim wording the portal shows: Mend's, the clinic's, or none (not administrable). */
export type WordingProvider = 'mend' | 'clinic' | 'not_supplied';

/** The clinic's current record that it accepts or holds the rights holder's terms (the CSI). */
export interface LicenceConfirmation {
  readonly id: string;
  readonly measureId: string;
  /** Free text, e.g. "Authors' email of 2026-03-02, ref CSI-2026-01". Never clinical content. */
  readonly reference: string;
  readonly confirmedByMembershipId: string;
  readonly confirmedAt: string;
}

export interface CatalogueEntry {
  readonly definition: MeasureDefinition;
  readonly origin: MeasureOrigin;
  /** Whether clients can be given it in the portal (wording complete and, where needed, the licence confirmed). */
  readonly administrable: boolean;
  /** A clinic measure's licence reference (as given when it was added); null for a built-in. */
  readonly licenceReference: string | null;
  readonly wordingProvidedBy: WordingProvider;
  /** Whether a clinic admin must record a licence confirmation before the portal offers it (the CSI). */
  readonly licenceConfirmationRequired: boolean;
  /** The current licence confirmation, if any (null when none is needed or none is current). */
  readonly licenceConfirmation: LicenceConfirmation | null;
  /** Why the measure is or is not offered in the portal, in words (the CSI states its licence gate). */
  readonly portal: string;
}

export class MeasureNotFoundError extends DomainError {
  constructor() {
    super('measure_not_found', 404, 'No such measure version');
    this.name = 'MeasureNotFoundError';
  }
}

export class MeasureConflictError extends DomainError {
  constructor(detail: string) {
    super('measure_conflict', 409, detail);
    this.name = 'MeasureConflictError';
  }
}

export class LicenceConfirmationNotFoundError extends DomainError {
  constructor() {
    super('licence_confirmation_not_found', 404, 'This measure has no current licence confirmation');
    this.name = 'LicenceConfirmationNotFoundError';
  }
}

interface Row {
  measure_id: string;
  version: string;
  definition: MeasureDefinition;
  licence_reference: string;
}

interface ConfirmationRow {
  id: string;
  measure_id: string;
  reference: string;
  confirmed_by_membership_id: string;
  confirmed_at: Date;
}

const confirmationOf = (row: ConfirmationRow): LicenceConfirmation => ({
  id: row.id,
  measureId: row.measure_id,
  reference: row.reference,
  confirmedByMembershipId: row.confirmed_by_membership_id,
  confirmedAt: new Date(row.confirmed_at).toISOString(),
});

const LICENCE_GATE =
  "Not offered in the portal until a clinic admin records the clinic's licence confirmation (PUT /api/v1/measures/{id}/licence-confirmation): the CSI is free from its authors for research and clinical use, but its use in a commercial service is to be confirmed with them (clinical.md §3.1, §7 item 1), so the clinic records that it accepts or holds the authors' terms (who, when, a reference such as the date of the authors' email). Mend ships the published wording, verbatim; until then the care team can score the CSI from the paper form.";

function portalStatement(entry: Omit<CatalogueEntry, 'portal'>): string {
  if (!isAdministrable(entry.definition)) return `Not offered in the portal. ${entry.definition.wording.note}`;
  if (entry.licenceConfirmationRequired && entry.licenceConfirmation === null) return LICENCE_GATE;
  if (entry.origin === 'clinic')
    return 'Offered in the portal: a measure the clinic added under its own licence (licenceReference).';
  const shipped =
    'Offered in the portal with the published wording, verbatim, as shipped by Mend (sources in definition.wording.sources)';
  return entry.licenceConfirmation === null
    ? `${shipped}.`
    : `${shipped}, since the clinic recorded its licence confirmation (licenceConfirmation).`;
}

function entryOf(
  definition: MeasureDefinition,
  origin: MeasureOrigin,
  licenceReference: string | null,
  confirmations: ReadonlyMap<string, LicenceConfirmation>,
): CatalogueEntry {
  const required = origin === 'built_in' && requiresLicenceConfirmation(definition);
  const confirmation = required ? (confirmations.get(definition.id) ?? null) : null;
  const worded = isAdministrable(definition);
  const entry = {
    definition,
    origin,
    administrable: worded && (!required || confirmation !== null),
    licenceReference,
    wordingProvidedBy: !worded
      ? ('not_supplied' as const)
      : origin === 'built_in'
        ? ('mend' as const)
        : ('clinic' as const),
    licenceConfirmationRequired: required,
    licenceConfirmation: confirmation,
  };
  return { ...entry, portal: portalStatement(entry) };
}

function definitionProblems(issues: readonly { pointer: string; rule: string; message: string }[]): MeasuresError {
  return new MeasuresError(
    MeasuresErrorCode.DefinitionInvalid,
    'The measure definition is invalid: see errors',
    issues.map((issue) => ({
      field: `definition${issue.pointer.replaceAll('/', '.')}`,
      rule: issue.rule,
      message: issue.message,
    })),
  );
}

/**
 * The measures of a clinic: the built-ins (clinical.md §3), each with its published wording,
 * and the clinic's own licensed measures. Every definition is immutable per (id, version):
 * administrations name the version they were scored with. A built-in that needs it (the
 * CSI) is offered in the portal only while the clinic has a current licence confirmation.
 *
 * Rows of kind `built_in_wording` (a CSI wording a clinic supplied before Mend shipped it)
 * are not read: Mend's verified wording is used, and migration 1764547400000 carried each
 * such row's licence reference over as the clinic's licence confirmation.
 */
export class MeasureCatalogue {
  async list(tx: TenantTransaction): Promise<CatalogueEntry[]> {
    const confirmations = await this.currentConfirmations(tx);
    const rows = await tx.query<Row>(
      `select measure_id, version, definition, licence_reference from clinic_measures
        where clinic_id = $1 and kind = 'clinic' order by measure_id, created_at`,
      [tx.clinicId],
    );
    return [
      ...BUILT_IN_MEASURES.map((definition) => entryOf(definition, 'built_in', null, confirmations)),
      ...rows.map((row) => entryOf(row.definition, 'clinic', row.licence_reference, confirmations)),
    ];
  }

  /** One version; 404 `measure_not_found` when the clinic has no such measure version. */
  async resolve(tx: TenantTransaction, measureId: string, version: string): Promise<CatalogueEntry> {
    const builtIn = BUILT_IN_MEASURES.find((entry) => entry.id === measureId && entry.version === version);
    if (builtIn !== undefined) return entryOf(builtIn, 'built_in', null, await this.currentConfirmations(tx));
    const rows = await tx.query<Row>(
      `select measure_id, version, definition, licence_reference from clinic_measures
        where clinic_id = $1 and measure_id = $2 and version = $3 and kind = 'clinic'`,
      [tx.clinicId, measureId, version],
    );
    if (rows[0] === undefined) throw new MeasureNotFoundError();
    return entryOf(rows[0].definition, 'clinic', rows[0].licence_reference, new Map());
  }

  /** The latest version of a measure (built-ins have one version each). */
  async latest(tx: TenantTransaction, measureId: string): Promise<CatalogueEntry> {
    const entries = (await this.list(tx)).filter((entry) => entry.definition.id === measureId);
    const last = entries.at(-1);
    if (last === undefined) throw new MeasureNotFoundError();
    return last;
  }

  /** A measure the clinic holds a licence for: validated by the definition schema (wording required). */
  async addClinicMeasure(
    tx: TenantTransaction,
    principal: AccessPrincipal,
    input: unknown,
    licenceReference: string,
  ): Promise<CatalogueEntry> {
    const validation = validateMeasureDefinition(input, 'clinic');
    if (!validation.ok) throw definitionProblems(validation.issues);
    const definition = validation.definition;
    if (BUILT_IN_MEASURES.some((entry) => entry.id === definition.id))
      throw new MeasureConflictError('A built-in measure has this id: choose another id');
    const rows = await tx.query<{ measure_id: string }>(
      `insert into clinic_measures (clinic_id, measure_id, version, kind, definition, licence_reference, created_by_membership_id)
       values ($1, $2, $3, 'clinic', $4, $5, $6)
       on conflict do nothing returning measure_id`,
      [
        tx.clinicId,
        definition.id,
        definition.version,
        JSON.stringify(definition),
        licenceReference,
        principal.membershipId,
      ],
    );
    if (rows.length === 0)
      throw new MeasureConflictError('This measure version exists already: versions are immutable, add a new version');
    await recordAudit(tx, {
      action: 'measure.add',
      targetType: 'measure',
      targetId: `${definition.id}:${definition.version}`,
      actorUserId: principal.userId,
      actorMembershipId: principal.membershipId,
      metadata: { items: definition.items.length },
    });
    return entryOf(definition, 'clinic', licenceReference, new Map());
  }

  /**
   * Records that the clinic accepts or holds the rights holder's terms for a built-in that
   * needs it (the CSI-4, CSI-16; each measure on its own), so the portal offers it. A
   * current confirmation is replaced (withdrawn, then the new one recorded), both audited.
   * 404 for an unknown measure; 409 for a measure that needs no confirmation.
   */
  async confirmLicence(
    tx: TenantTransaction,
    principal: AccessPrincipal,
    measureId: string,
    reference: string,
  ): Promise<CatalogueEntry> {
    const definition = this.confirmable(measureId);
    await this.withdrawCurrent(tx, principal, measureId, 'replaced');
    const id = randomUUID();
    // At most one current confirmation (partial unique index); writers take turns (withdrawCurrent), so a
    // refusal here is only a second line of defence.
    const inserted = await tx.query<{ id: string }>(
      `insert into measure_licence_confirmations (clinic_id, id, measure_id, reference, confirmed_by_membership_id)
       values ($1, $2, $3, $4, $5)
       on conflict (clinic_id, measure_id) where withdrawn_at is null do nothing
       returning id`,
      [tx.clinicId, id, measureId, reference, principal.membershipId],
    );
    if (inserted.length === 0)
      throw new MeasureConflictError('Another licence confirmation of this measure was recorded at the same time');
    await recordAudit(tx, {
      action: 'measure.licence_confirm',
      targetType: 'measure',
      targetId: measureId,
      actorUserId: principal.userId,
      actorMembershipId: principal.membershipId,
      metadata: { confirmationId: id },
    });
    return entryOf(definition, 'built_in', null, await this.currentConfirmations(tx));
  }

  /**
   * Withdraws the clinic's current licence confirmation: the measure is no longer offered in
   * the portal (due administrations stay, hidden from the client, and scoreable from paper).
   * 404 `licence_confirmation_not_found` when none is current.
   */
  async withdrawLicence(tx: TenantTransaction, principal: AccessPrincipal, measureId: string): Promise<CatalogueEntry> {
    const definition = this.confirmable(measureId);
    if (!(await this.withdrawCurrent(tx, principal, measureId, 'withdrawn')))
      throw new LicenceConfirmationNotFoundError();
    return entryOf(definition, 'built_in', null, await this.currentConfirmations(tx));
  }

  private confirmable(measureId: string): MeasureDefinition {
    const versions = BUILT_IN_MEASURES.filter((entry) => entry.id === measureId);
    const definition = versions.at(-1);
    if (definition === undefined) throw new MeasureNotFoundError();
    if (!versions.some(requiresLicenceConfirmation))
      throw new MeasureConflictError(
        `${definition.name} needs no licence confirmation: it is offered in the portal as it is`,
      );
    return definition;
  }

  /** Marks the current confirmation withdrawn (audited); false when there is none. */
  private async withdrawCurrent(
    tx: TenantTransaction,
    principal: AccessPrincipal,
    measureId: string,
    why: 'withdrawn' | 'replaced',
  ): Promise<boolean> {
    // Confirmations and withdrawals of one measure take turns (the lock is the clinic's, per measure, until
    // commit). Unserialized, a withdrawal racing a confirmation waits on the old row's lock, finds it
    // withdrawn and cannot see the new one (its snapshot predates it): 404 with a current confirmation; and
    // of two confirmations at once the second finds the first's row on the one-current index: 409.
    await tx.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [
      `mend.measure-licence:${tx.clinicId}:${measureId}`,
    ]);
    // now() is this transaction's start: a confirmation committed while it waited for the lock is younger, and
    // withdrawing it "before" it was confirmed would break the withdrawn_check (500).
    const rows = await tx.query<{ id: string }>(
      `update measure_licence_confirmations
          set withdrawn_at = greatest(now(), confirmed_at), withdrawn_by_membership_id = $3
        where clinic_id = $1 and measure_id = $2 and withdrawn_at is null
        returning id`,
      [tx.clinicId, measureId, principal.membershipId],
    );
    for (const row of rows)
      await recordAudit(tx, {
        action: 'measure.licence_withdraw',
        targetType: 'measure',
        targetId: measureId,
        actorUserId: principal.userId,
        actorMembershipId: principal.membershipId,
        metadata: { confirmationId: row.id, reason: why },
      });
    return rows.length > 0;
  }

  private async currentConfirmations(tx: TenantTransaction): Promise<Map<string, LicenceConfirmation>> {
    const rows = await tx.query<ConfirmationRow>(
      `select id, measure_id, reference, confirmed_by_membership_id, confirmed_at from measure_licence_confirmations
        where clinic_id = $1 and withdrawn_at is null`,
      [tx.clinicId],
    );
    return new Map(rows.map((row) => [row.measure_id, confirmationOf(row)]));
  }
}
