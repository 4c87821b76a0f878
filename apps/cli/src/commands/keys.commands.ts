import { createDataSource, FieldEncryption, masterKeyEnvelope, UnitOfWork, type MendConfig } from '@mend/core';
import { ENTITIES } from '@mend/platform';
import { DataKeyRotation } from '@mend/sessions';

import { UsageError, type CliCommand, type CommandContext } from './command.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The runtime role's unit of work: rotation reads and writes as each clinic, under RLS. */
async function withRotation<T>(config: MendConfig, work: (rotation: DataKeyRotation) => Promise<T>): Promise<T> {
  const envelope = masterKeyEnvelope(config);
  if (envelope === null) throw new UsageError('MASTER_KEY is required (see .env.example)');
  const dataSource = await createDataSource({
    url: config.database.url,
    entities: ENTITIES,
    poolSize: 2,
    applicationName: 'mend-cli',
  }).initialize();
  try {
    const unitOfWork = new UnitOfWork({ connected: () => dataSource });
    return await work(new DataKeyRotation(unitOfWork, envelope, new FieldEncryption(envelope)));
  } finally {
    await dataSource.destroy();
  }
}

function batchSizeOf(context: CommandContext): number {
  const raw = context.options['batch-size'];
  if (raw === undefined) return 100;
  const value = Number(raw);
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || value < 1 || value > 5000) {
    throw new UsageError('--batch-size must be a whole number from 1 to 5000');
  }
  return value;
}

/**
 * `keys:rotate --master`: after MASTER_KEY was replaced (the old one moved to
 * MASTER_KEY_PREVIOUS), re-wrap every clinic's data keys under the new master
 * key. Nothing is re-encrypted; safe to run again.
 *
 * `keys:rotate --clinic <id>`: give the clinic a new data key version and
 * re-encrypt its values in small batches (each its own transaction) while the
 * API keeps serving. Stopped anywhere, running it again resumes; with nothing
 * pending it starts a new version. `--dry-run` only counts.
 */
export const keysRotateCommand: CliCommand = {
  name: 'keys:rotate',
  summary: "Rotate encryption keys: --master re-wraps every data key; --clinic <id> rotates a clinic's data key",
  usage:
    'keys:rotate --master [--dry-run] | --clinic <clinic id> [--batch-size N] [--dry-run]   ' +
    '(DATABASE_URL, MASTER_KEY, MASTER_KEY_ID; MASTER_KEY_PREVIOUS(_ID) while rotating the master key)',
  needs: { database: true },
  options: {
    master: { type: 'boolean' },
    clinic: { type: 'string' },
    'batch-size': { type: 'string' },
    'dry-run': { type: 'boolean' },
  },
  async run(context) {
    const master = context.options.master === true;
    const clinic = context.options.clinic;
    if (master === (typeof clinic === 'string')) throw new UsageError('Use either --master or --clinic <clinic id>');
    const dryRun = context.options['dry-run'] === true;
    if (master) {
      return withRotation(context.config, async (rotation) => {
        const currentId = (context.config.masterKey as { id: string }).id;
        const clinics = await rotation.clinicsToRewrap(currentId);
        let keys = 0;
        const failed: string[] = [];
        for (const clinicId of clinics) {
          try {
            keys += await rotation.rewrapClinic(clinicId, currentId, dryRun);
          } catch (error) {
            failed.push(clinicId);
            context.logger.error({ clinicId, err: (error as Error).name }, 'data key re-wrap failed');
          }
        }
        context.print(
          `${dryRun ? 'PLAN' : 'OK'}: ${keys} data keys of ${clinics.length} clinics ${dryRun ? 'to re-wrap' : 're-wrapped'} ` +
            `under master key ${currentId}${failed.length > 0 ? `; FAILED for ${failed.join(', ')}` : ''}`,
        );
        if (failed.length > 0) {
          context.print(
            'A data key wrapped by an unknown master key needs MASTER_KEY_PREVIOUS / MASTER_KEY_PREVIOUS_ID.',
          );
          return 1;
        }
        return 0;
      });
    }
    if (typeof clinic !== 'string' || !UUID.test(clinic)) throw new UsageError('--clinic must be a clinic id (uuid)');
    const batchSize = batchSizeOf(context);
    return withRotation(context.config, async (rotation) => {
      const result = await rotation.rotateClinic(clinic.toLowerCase(), {
        batchSize,
        dryRun,
        afterBatch: (done) => context.logger.info({ clinicId: clinic, done }, 'data key rotation progress'),
      });
      if (result.version === null) {
        context.print(`OK: clinic ${clinic} has no data key yet: nothing to rotate`);
      } else if (dryRun) {
        context.print(
          `PLAN: clinic ${clinic} is at data key version ${result.version}${result.resumed ? ' (a rotation is unfinished)' : ''}`,
        );
      } else {
        context.print(
          `OK: clinic ${clinic} now at data key version ${result.version}${result.resumed ? ' (resumed)' : ''}: ` +
            `${result.reencrypted} values re-encrypted, ${result.skipped} changed meanwhile by their writers`,
        );
      }
      return 0;
    });
  },
};
