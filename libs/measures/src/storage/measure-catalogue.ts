import type { AccessPrincipal } from '@mend/access';
import { recordAudit } from '@mend/audit';
import { DomainError, type TenantTransaction } from '@mend/core';

import { BUILT_IN_MEASURES } from '../instruments/built-in-measures.js';
import { isAdministrable, type MeasureDefinition } from '../instruments/measure-definition.js';
import { validateMeasureDefinition } from '../instruments/measure-definition.schema.js';
import { MeasuresError, MeasuresErrorCode } from '../instruments/measures.errors.js';
import { withVerbatimWording, type VerbatimWording } from '../instruments/wording.js';

/**
 * Where a definition comes from: `built_in` (wording still to be supplied: scoreable from
 * a paper form, never offered in the portal), `built_in_licensed_wording` (a built-in the
 * clinic supplied the verbatim wording for, under its licence), or `clinic` (a measure
 * the clinic added under its own licence).
 */
export type MeasureOrigin = 'built_in' | 'built_in_licensed_wording' | 'clinic';

export interface CatalogueEntry {
  readonly definition: MeasureDefinition;
  readonly origin: MeasureOrigin;
  /** Whether clients can be given it in the portal (every item and option worded). */
  readonly administrable: boolean;
  readonly licenceReference: string | null;
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

interface Row {
  measure_id: string;
  version: string;
  kind: 'clinic' | 'built_in_wording';
  definition: MeasureDefinition;
  licence_reference: string;
}

const entryOf = (definition: MeasureDefinition, origin: MeasureOrigin, licence: string | null): CatalogueEntry => ({
  definition,
  origin,
  administrable: isAdministrable(definition),
  licenceReference: licence,
});

const fromRow = (row: Row): CatalogueEntry =>
  entryOf(row.definition, row.kind === 'clinic' ? 'clinic' : 'built_in_licensed_wording', row.licence_reference);

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
 * The measures of a clinic: the built-ins (clinical.md §3), with the clinic's verbatim
 * wording where it supplied one, and the clinic's own licensed measures. Every
 * definition is stored whole and immutable per (id, version): administrations name the
 * version they were scored with.
 */
export class MeasureCatalogue {
  async list(tx: TenantTransaction): Promise<CatalogueEntry[]> {
    const rows = await tx.query<Row>(
      `select measure_id, version, kind, definition, licence_reference from clinic_measures
        where clinic_id = $1 order by measure_id, created_at`,
      [tx.clinicId],
    );
    const worded = new Map(
      rows.filter((row) => row.kind === 'built_in_wording').map((row) => [`${row.measure_id}@${row.version}`, row]),
    );
    const builtIns = BUILT_IN_MEASURES.map((definition) => {
      const row = worded.get(`${definition.id}@${definition.version}`);
      return row === undefined ? entryOf(definition, 'built_in', null) : fromRow(row);
    });
    return [...builtIns, ...rows.filter((row) => row.kind === 'clinic').map(fromRow)];
  }

  /** One version; 404 `measure_not_found` when the clinic has no such measure version. */
  async resolve(tx: TenantTransaction, measureId: string, version: string): Promise<CatalogueEntry> {
    const rows = await tx.query<Row>(
      `select measure_id, version, kind, definition, licence_reference from clinic_measures
        where clinic_id = $1 and measure_id = $2 and version = $3`,
      [tx.clinicId, measureId, version],
    );
    if (rows[0] !== undefined) return fromRow(rows[0]);
    const builtIn = BUILT_IN_MEASURES.find((entry) => entry.id === measureId && entry.version === version);
    if (builtIn === undefined) throw new MeasureNotFoundError();
    return entryOf(builtIn, 'built_in', null);
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
      throw new MeasureConflictError('A built-in measure has this id: supply its wording instead');
    await this.insert(tx, principal, definition, 'clinic', licenceReference);
    return entryOf(definition, 'clinic', licenceReference);
  }

  /** Verbatim wording of a built-in the clinic holds a licence for (every item and option). */
  async supplyWording(
    tx: TenantTransaction,
    principal: AccessPrincipal,
    measureId: string,
    version: string,
    wording: VerbatimWording,
    licenceReference: string,
  ): Promise<CatalogueEntry> {
    const builtIn = BUILT_IN_MEASURES.find((entry) => entry.id === measureId && entry.version === version);
    if (builtIn === undefined) throw new MeasureNotFoundError();
    const definition = withVerbatimWording(builtIn, wording);
    await this.insert(tx, principal, definition, 'built_in_wording', licenceReference);
    return entryOf(definition, 'built_in_licensed_wording', licenceReference);
  }

  private async insert(
    tx: TenantTransaction,
    principal: AccessPrincipal,
    definition: MeasureDefinition,
    kind: 'clinic' | 'built_in_wording',
    licenceReference: string,
  ): Promise<void> {
    const rows = await tx.query<{ measure_id: string }>(
      `insert into clinic_measures (clinic_id, measure_id, version, kind, definition, licence_reference, created_by_membership_id)
       values ($1, $2, $3, $4, $5, $6, $7)
       on conflict do nothing returning measure_id`,
      [
        tx.clinicId,
        definition.id,
        definition.version,
        kind,
        JSON.stringify(definition),
        licenceReference,
        principal.membershipId,
      ],
    );
    if (rows.length === 0)
      throw new MeasureConflictError('This measure version exists already: versions are immutable, add a new version');
    await recordAudit(tx, {
      action: kind === 'clinic' ? 'measure.add' : 'measure.supply_wording',
      targetType: 'measure',
      targetId: `${definition.id}:${definition.version}`,
      actorUserId: principal.userId,
      actorMembershipId: principal.membershipId,
      metadata: { items: definition.items.length },
    });
  }
}
