import { normaliseRoles, OPERATOR } from '@mend/identity';

import { requireOption, UsageError, type CliCommand, type CommandContext } from './command.js';
import { withIdentity } from './identity-services.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function clinicOption(context: CommandContext): string {
  const clinicId = requireOption(context, 'clinic').toLowerCase();
  if (!UUID.test(clinicId)) throw new UsageError('--clinic must be a clinic id (uuid), as clinic:create printed it');
  return clinicId;
}

export const userInviteCommand: CliCommand = {
  name: 'user:invite',
  summary: 'Invite a person to a clinic and print the acceptance link',
  usage:
    'user:invite --clinic <clinic id> --email person@example.org --roles counselor[,supervisor]   (DATABASE_URL, PUBLIC_URL)',
  needs: { database: true },
  options: { clinic: { type: 'string' }, email: { type: 'string' }, roles: { type: 'string' } },
  async run(context) {
    const clinicId = clinicOption(context);
    const email = requireOption(context, 'email');
    let roles;
    try {
      roles = normaliseRoles(
        requireOption(context, 'roles')
          .split(',')
          .map((role) => role.trim()),
      );
    } catch (error) {
      throw new UsageError(`--roles: ${(error as Error).message}`);
    }
    const invitation = await withIdentity(context.config, (identity, unitOfWork) =>
      unitOfWork.run(clinicId, async (tx) => {
        const clinics = await tx.query('select 1 from clinics where id = $1', [clinicId]);
        if (clinics.length === 0) throw new UsageError(`No clinic ${clinicId}`);
        return identity.invitations.create(tx, OPERATOR, { email, roles });
      }),
    );
    context.print(invitation.link);
    context.print(
      `Invitation for ${invitation.email} (${invitation.roles.join(', ')}), single use, valid until ${invitation.expiresAt.toISOString()}.`,
    );
    return 0;
  },
};

export const userResetLinkCommand: CliCommand = {
  name: 'user:reset-link',
  summary: 'Print a one-hour password reset link for a member of a clinic',
  usage: 'user:reset-link --clinic <clinic id> --email person@example.org   (DATABASE_URL, PUBLIC_URL)',
  needs: { database: true },
  options: { clinic: { type: 'string' }, email: { type: 'string' } },
  async run(context) {
    const clinicId = clinicOption(context);
    const email = requireOption(context, 'email');
    const reset = await withIdentity(context.config, (identity) =>
      identity.passwordResets.issueByEmail(clinicId, email),
    );
    context.print(reset.link);
    context.print(`Single use, valid until ${reset.expiresAt.toISOString()}. It ends every login session of the user.`);
    return 0;
  },
};
