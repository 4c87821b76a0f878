import { createLogger } from '@mend/core';
import { connectAs, testConfig } from '@mend/testing';

import { DEMO_CLINIC_ID, seedDemoCommand } from '../../../apps/cli/src/commands/clinic.commands.js';
import { DEMO_CASE_ID, DEMO_CLIENT_IDS } from '../../../apps/cli/src/commands/demo-cases.js';

/** seed:demo's clients and couple case: linked to the portal members, idempotent. */
describe('seed:demo clients and couple case', () => {
  it('seeds the couple case once, with both partners, the primary counselor and an unsigned policy', async () => {
    const run = () =>
      seedDemoCommand.run({
        config: testConfig(),
        logger: createLogger('silent', 'test'),
        options: { password: 'synthetic-demo-passphrase-2026' },
        print: () => undefined,
      });
    expect(await run()).toBe(0);
    expect(await run()).toBe(0);
    const admin = await connectAs('admin');
    try {
      const clients = await admin.query<{ id: string; linked: boolean }>(
        'select id, membership_id is not null as linked from clients where clinic_id = $1 order by id',
        [DEMO_CLINIC_ID],
      );
      expect(clients.rows).toEqual([
        { id: DEMO_CLIENT_IDS.client1, linked: true },
        { id: DEMO_CLIENT_IDS.client2, linked: true },
      ]);
      const participants = await admin.query<{ client_id: string; role: string }>(
        'select client_id, role from case_participants where clinic_id = $1 and case_id = $2 order by role',
        [DEMO_CLINIC_ID, DEMO_CASE_ID],
      );
      expect(participants.rows).toEqual([
        { client_id: DEMO_CLIENT_IDS.client1, role: 'harmed' },
        { client_id: DEMO_CLIENT_IDS.client2, role: 'harming' },
      ]);
      const [row] = (
        await admin.query<{ status: string; version: number; team: number; changes: number }>(
          `select k.status, k.secrets_policy_version as version,
                  (select count(*)::int from case_care_team t where t.clinic_id = k.clinic_id and t.case_id = k.id and t.is_primary) as team,
                  (select count(*)::int from case_status_changes s where s.clinic_id = k.clinic_id and s.case_id = k.id) as changes
             from cases k where k.clinic_id = $1 and k.id = $2`,
          [DEMO_CLINIC_ID, DEMO_CASE_ID],
        )
      ).rows;
      expect(row).toEqual({ status: 'active', version: 1, team: 1, changes: 2 });
    } finally {
      await admin.end();
    }
  });
});
