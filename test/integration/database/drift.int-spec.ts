import { Column, Entity, PrimaryColumn } from 'typeorm';

import { detectDrift, OutboxMessage } from '@mend/core';
import { ENTITIES } from '@mend/platform';

/** An entity that disagrees with the migrations on purpose. */
@Entity({ name: 'clinics' })
class DriftedClinic {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  @Column('text', { default: 'UTC' })
  timezone: string;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt: Date;

  /** Not in any migration. */
  @Column('text', { nullable: true })
  motto: string | null;
}

describe('drift check', () => {
  const ownerUrl = (): string => process.env.DATABASE_OWNER_URL ?? '';

  it('finds no drift between the migrations and the entities', async () => {
    expect(await detectDrift(ownerUrl(), ENTITIES)).toEqual([]);
  });

  it('catches an entity that drifted from the migrations', async () => {
    const drifted = ENTITIES.filter((entity) => entity.name !== 'Clinic').concat(DriftedClinic as never);
    const drift = await detectDrift(ownerUrl(), drifted);
    expect(drift.join('\n')).toMatch(/ALTER TABLE "clinics" ADD "motto" text/);
  });

  it('catches a migration-only object that is not on the exclusion list', async () => {
    const drift = await detectDrift(ownerUrl(), [OutboxMessage, ...ENTITIES.filter((e) => e !== OutboxMessage)], []);
    expect(drift.join('\n')).toMatch(/outbox_pending_idx|_check|_fkey/);
  });
});
