import { AuditSealer, verifyAuditChain } from '@mend/audit';
import { createDataSource, UnitOfWork, type MendConfig } from '@mend/core';
import { ENTITIES } from '@mend/platform';

import { requireOption, UsageError, type CliCommand, type CommandContext } from './command.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The runtime role's unit of work: verification and sealing read as the clinic, under RLS. */
async function withUnitOfWork<T>(config: MendConfig, work: (unitOfWork: UnitOfWork) => Promise<T>): Promise<T> {
  const dataSource = await createDataSource({
    url: config.database.url,
    entities: ENTITIES,
    poolSize: 2,
    applicationName: 'mend-cli',
  }).initialize();
  try {
    return await work(new UnitOfWork({ connected: () => dataSource }));
  } finally {
    await dataSource.destroy();
  }
}

function clinicOption(context: CommandContext): string {
  const clinicId = requireOption(context, 'clinic');
  if (!UUID.test(clinicId)) throw new UsageError('--clinic must be a clinic id (uuid)');
  return clinicId.toLowerCase();
}

export const auditVerifyCommand: CliCommand = {
  name: 'audit:verify',
  summary: "Recompute a clinic's audit chain; print OK with counts or the first broken link (exit 1)",
  usage: 'audit:verify --clinic <clinic id>   (DATABASE_URL)',
  needs: { database: true },
  options: { clinic: { type: 'string' } },
  async run(context) {
    const clinicId = clinicOption(context);
    const verdict = await withUnitOfWork(context.config, (unitOfWork) => verifyAuditChain(unitOfWork, clinicId));
    if (verdict.ok) {
      context.print(
        `OK: audit chain of clinic ${clinicId} verified: ${verdict.rows} rows, ${verdict.seals} seals, ` +
          `${verdict.unsealedRows} rows not yet sealed`,
      );
      if (verdict.head !== null) {
        // Kept outside the database, this detects a chain later cut short (README, Audit trail).
        context.print(`Head: seal ${verdict.head.k} ${verdict.head.sealHash}`);
      }
      return 0;
    }
    const link = verdict.firstBrokenLink;
    const where = link.kind === 'row' ? `row seq ${link.seq}` : `seal ${link.seal}`;
    context.print(`BROKEN: audit chain of clinic ${clinicId}, first broken link at ${where}: ${link.reason}`);
    return 1;
  },
};

export const auditSealCommand: CliCommand = {
  name: 'audit:seal',
  summary: "Seal a clinic's finished audit rows now (--all: every clinic with unsealed rows)",
  usage: 'audit:seal --clinic <clinic id> | --all   (DATABASE_URL)',
  needs: { database: true },
  options: { clinic: { type: 'string' }, all: { type: 'boolean' } },
  async run(context) {
    const sealer = new AuditSealer();
    if (context.options.all === true) {
      if (context.options.clinic !== undefined) throw new UsageError('Use either --clinic or --all');
      const pass = await withUnitOfWork(context.config, (unitOfWork) => sealer.sealUnsealedClinics(unitOfWork));
      for (const seal of pass.sealed.filter((result) => result.sealed)) {
        context.print(`Sealed ${seal.rowCount} rows of clinic ${seal.clinicId} as seal ${seal.k}`);
      }
      for (const failure of pass.failed) {
        context.print(`Failed to seal clinic ${failure.clinicId}: ${(failure.error as Error).message}`);
      }
      context.print(`${pass.clinics} clinics had unsealed rows; ${pass.failed.length} failed`);
      return pass.failed.length === 0 ? 0 : 1;
    }
    const clinicId = clinicOption(context);
    const result = await withUnitOfWork(context.config, (unitOfWork) => sealer.sealClinic(unitOfWork, clinicId));
    context.print(
      result.sealed
        ? `Sealed ${result.rowCount} rows of clinic ${clinicId} as seal ${result.k}`
        : `Nothing to seal for clinic ${clinicId} (no finished transaction left rows since the last seal)`,
    );
    if (result.mismatchedRows > 0) {
      context.print(`Warning: ${result.mismatchedRows} sealed rows do not match their hash; run audit:verify`);
    }
    return 0;
  },
};
