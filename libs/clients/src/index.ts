export * from './cases/case-care-team-member.entity.js';
export * from './cases/case-participant.entity.js';
export * from './cases/case-secrets-policy-signature.entity.js';
export * from './cases/case-secrets-policy.entity.js';
export * from './cases/case-status-change.entity.js';
export * from './cases/case.entity.js';
export * from './clients/client.entity.js';
export * from './cases/case.service.js';
export * from './cases/participant-role-labels.service.js';
export * from './cases/secrets-policy-texts.js';
export * from './cases/secrets-policy.service.js';
export * from './clients/client.service.js';
export * from './clients.errors.js';
export * from './clients.services.js';
export * from './shared.js';

import { CaseCareTeamMember } from './cases/case-care-team-member.entity.js';
import { CaseParticipant } from './cases/case-participant.entity.js';
import { CaseSecretsPolicySignature } from './cases/case-secrets-policy-signature.entity.js';
import { CaseSecretsPolicy } from './cases/case-secrets-policy.entity.js';
import { CaseStatusChange } from './cases/case-status-change.entity.js';
import { Case } from './cases/case.entity.js';
import { Client } from './clients/client.entity.js';

export const CLIENTS_ENTITIES = [
  Client,
  Case,
  CaseParticipant,
  CaseCareTeamMember,
  CaseStatusChange,
  CaseSecretsPolicy,
  CaseSecretsPolicySignature,
];
