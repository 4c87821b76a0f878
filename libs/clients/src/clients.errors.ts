import { DomainError, type FieldProblem } from '@mend/core';

/** Stable codes of the clients and cases rules (the problem document's `code`). */
export enum ClientsErrorCode {
  NotFound = 'not_found',
  Invalid = 'validation_failed',
  ClientArchived = 'client_archived',
  ClientInOpenCase = 'client_in_open_case',
  ClientHasPortalUser = 'client_has_portal_user',
  ClientEmailRequired = 'client_email_required',
  UnknownClient = 'unknown_client',
  ParticipantExists = 'participant_exists',
  NoParticipant = 'no_participant',
  ParticipantSignedPolicy = 'participant_signed_policy',
  UnknownCareTeamMember = 'unknown_care_team_member',
  CareTeamMemberExists = 'care_team_member_exists',
  PrimaryNotOnCareTeam = 'primary_not_on_care_team',
  PrimaryRequired = 'primary_required',
  StatusUnchanged = 'status_unchanged',
  ImpossibleDate = 'impossible_date',
  SecretsPolicyUnsigned = 'secrets_policy_unsigned',
  SecretsPolicyVersionStale = 'secrets_policy_version_stale',
  AlreadySigned = 'already_signed',
}

const STATUS: Record<ClientsErrorCode, number> = {
  [ClientsErrorCode.NotFound]: 404,
  [ClientsErrorCode.Invalid]: 400,
  [ClientsErrorCode.ClientArchived]: 422,
  [ClientsErrorCode.ClientInOpenCase]: 422,
  [ClientsErrorCode.ClientHasPortalUser]: 409,
  [ClientsErrorCode.ClientEmailRequired]: 422,
  [ClientsErrorCode.UnknownClient]: 422,
  [ClientsErrorCode.ParticipantExists]: 409,
  [ClientsErrorCode.NoParticipant]: 422,
  [ClientsErrorCode.ParticipantSignedPolicy]: 422,
  [ClientsErrorCode.UnknownCareTeamMember]: 422,
  [ClientsErrorCode.CareTeamMemberExists]: 409,
  [ClientsErrorCode.PrimaryNotOnCareTeam]: 422,
  [ClientsErrorCode.PrimaryRequired]: 422,
  [ClientsErrorCode.StatusUnchanged]: 422,
  [ClientsErrorCode.ImpossibleDate]: 422,
  [ClientsErrorCode.SecretsPolicyUnsigned]: 422,
  [ClientsErrorCode.SecretsPolicyVersionStale]: 409,
  [ClientsErrorCode.AlreadySigned]: 409,
};

/** A refusal of the clients and cases rules. `detail` and `errors` never carry clinical text. */
export class ClientsError extends DomainError {
  constructor(code: ClientsErrorCode, detail: string, errors?: readonly FieldProblem[]) {
    super(code, STATUS[code], detail, errors);
    this.name = 'ClientsError';
  }
}

/** A 400 naming the field and the rule, like the DTO validation does. */
export function invalidField(field: string, rule: string, message: string): ClientsError {
  return new ClientsError(ClientsErrorCode.Invalid, 'The request is invalid: see errors', [{ field, rule, message }]);
}
