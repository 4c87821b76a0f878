/**
 * Server state of the administration area (clinic admins): one hook per API
 * read, keyed ['admin', …]; writes invalidate what they change. Every call goes
 * through the typed client.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';

import { api, call } from '../api/client';
import type { Schemas } from '../api/types';

export type Member = Schemas['MemberResponse'];
export type Role = Member['roles'][number];
export type AuditEvent = Schemas['AuditEventResponse'];

export interface AuditFilters {
  readonly action?: string;
  readonly outcome?: AuditEvent['outcome'];
  readonly actorUserId?: string;
  readonly targetType?: string;
  readonly targetId?: string;
  /** ISO instants */
  readonly from?: string;
  readonly to?: string;
  readonly before?: string;
}

export const adminKeys = {
  members: ['admin', 'members'] as const,
  invitations: ['admin', 'invitations'] as const,
  clinic: ['clinic'] as const,
  reminderSettings: ['clinic', 'reminder-settings'] as const,
  safetySettings: ['clinic', 'safety-settings'] as const,
  crisisResources: (country: string) => ['clinic', 'crisis-resources', country] as const,
  audit: (filters: AuditFilters) => ['admin', 'audit', filters] as const,
  clients: ['admin', 'clients'] as const,
};

export const ROLE_LABELS: Record<Role, string> = {
  clinic_admin: 'Clinic admin',
  supervisor: 'Supervisor',
  counselor: 'Counselor',
  client: 'Client',
};

export const STAFF_ROLE_OPTIONS: readonly Role[] = ['clinic_admin', 'supervisor', 'counselor'];

export function memberName(member: Pick<Member, 'displayName' | 'email'>): string {
  return member.displayName ?? member.email;
}

export function useMembers() {
  return useQuery({ queryKey: adminKeys.members, queryFn: () => call(api.GET('/api/v1/users')) });
}

export function useInvitations() {
  return useQuery({ queryKey: adminKeys.invitations, queryFn: () => call(api.GET('/api/v1/invitations')) });
}

export function useClinic() {
  return useQuery({ queryKey: adminKeys.clinic, queryFn: () => call(api.GET('/api/v1/clinic')) });
}

export function useReminderSettings() {
  return useQuery({
    queryKey: adminKeys.reminderSettings,
    queryFn: () => call(api.GET('/api/v1/clinic/reminder-settings')),
  });
}

/**
 * The safety settings the administration edits. The API documents this answer
 * as a free-form object, so the fields read here are checked, not assumed.
 */
export interface SafetySettingsView {
  readonly escalationMembershipId: string | null;
  readonly escalationDelayMinutes: number;
  readonly defaultCountry: string;
}

function safetySettingsView(value: Record<string, unknown>): SafetySettingsView {
  return {
    escalationMembershipId: typeof value.escalationMembershipId === 'string' ? value.escalationMembershipId : null,
    escalationDelayMinutes: typeof value.escalationDelayMinutes === 'number' ? value.escalationDelayMinutes : 0,
    defaultCountry: typeof value.defaultCountry === 'string' ? value.defaultCountry : '',
  };
}

export function useSafetySettings() {
  return useQuery({
    queryKey: adminKeys.safetySettings,
    queryFn: async () => safetySettingsView(await call(api.GET('/api/v1/clinic/safety-settings'))),
  });
}

export type CrisisResourceListView = Schemas['CrisisResourceListResponse'];
type CrisisKind = Schemas['CrisisResourceDto']['kind'];
const CRISIS_KINDS: readonly string[] = ['call', 'text', 'call_or_text', 'emergency'] satisfies CrisisKind[];

/** The crisis-resources answer is documented as a free-form object: read its fields with checks. */
function crisisListView(value: Record<string, unknown>, country: string): CrisisResourceListView {
  const resources = Array.isArray(value.resources) ? (value.resources as unknown[]) : [];
  return {
    country: typeof value.country === 'string' ? value.country : country,
    resources: resources.flatMap((entry) => {
      if (typeof entry !== 'object' || entry === null) return [];
      const item = entry as Record<string, unknown>;
      if (typeof item.name !== 'string' || typeof item.contact !== 'string') return [];
      const kind = (CRISIS_KINDS.includes(String(item.kind)) ? item.kind : 'call') as CrisisKind;
      return [{ name: item.name, contact: item.contact, kind, href: typeof item.href === 'string' ? item.href : null }];
    }),
    needsLocalVerification: value.needsLocalVerification !== false,
    source: value.source === 'clinic' ? 'clinic' : 'built_in',
    verifiedAt: typeof value.verifiedAt === 'string' ? value.verifiedAt : null,
  };
}

export function useCrisisResources(country: string) {
  return useQuery({
    queryKey: adminKeys.crisisResources(country),
    queryFn: async () =>
      crisisListView(
        await call(api.GET('/api/v1/clinic/crisis-resources', { params: { query: { country } } })),
        country,
      ),
    enabled: /^[A-Z]{2}$/.test(country),
  });
}

export function useAuditEvents(filters: AuditFilters) {
  return useQuery({
    queryKey: adminKeys.audit(filters),
    queryFn: () =>
      call(
        api.GET('/api/v1/audit-events', {
          params: {
            query: {
              ...Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined && value !== '')),
              limit: 50,
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

/** The clinic's clients (the directory an admin keeps), to name audit targets. */
export function useClientDirectory() {
  return useQuery({
    queryKey: adminKeys.clients,
    queryFn: () => call(api.GET('/api/v1/clients', { params: { query: { limit: 100 } } })),
  });
}
