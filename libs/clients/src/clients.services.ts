import type { IdentityServices } from '@mend/identity';

import { CaseService, type CaseServiceOptions } from './cases/case.service.js';
import { ParticipantRoleLabelsService } from './cases/participant-role-labels.service.js';
import { SecretsPolicyService } from './cases/secrets-policy.service.js';
import { ClientService } from './clients/client.service.js';

export interface ClientsServices {
  readonly clients: ClientService;
  readonly cases: CaseService;
  readonly secretsPolicies: SecretsPolicyService;
  readonly roleLabels: ParticipantRoleLabelsService;
}

export interface ClientsServicesDependencies {
  /** The invitation flow (portal invitations of clients). */
  readonly identity: Pick<IdentityServices, 'invitations'>;
  readonly cases?: CaseServiceOptions;
}

export function createClientsServices(dependencies: ClientsServicesDependencies): ClientsServices {
  const secretsPolicies = new SecretsPolicyService();
  return {
    clients: new ClientService(dependencies.identity),
    cases: new CaseService(secretsPolicies, dependencies.cases),
    secretsPolicies,
    roleLabels: new ParticipantRoleLabelsService(),
  };
}
