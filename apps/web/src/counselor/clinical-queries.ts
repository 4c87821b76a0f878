/**
 * Server state of the clinical pages (sessions, notes, measures, safety). Sessions
 * and notes are typed by the generated schema; the measures and safety routes answer
 * plain objects in the OpenAPI document, so their shapes are declared here from
 * @mend/measures (AdministrationView, ChangeSeries, DyadicView, SafetyAlertSummary)
 * and read through the same typed client.
 */
import { useQuery } from '@tanstack/react-query';

import { api, call } from '../api/client';
import type { Schemas } from '../api/types';

export type SessionView = Schemas['SessionResponse'];
export type NoteView = Schemas['NoteResponse'];
export type NoteTemplate = NoteView['template'];
export type PsychotherapyNote = Schemas['PsychotherapyNoteResponse'];
export type CrisisResourceList = Schemas['CrisisResourceListResponse'];
export type ClientSafety = Schemas['ClientSafetyResponseDto'];

export interface ResponseOption {
  readonly value: number;
  readonly label: string | null;
}
export interface MeasureItem {
  readonly id: string;
  readonly number: number;
  readonly text: string | null;
  readonly options?: readonly ResponseOption[];
  readonly anchors?: { readonly left: string; readonly right: string };
  readonly introduction?: string;
}
export interface MeasureDefinition {
  readonly id: string;
  readonly version: string;
  readonly name: string;
  readonly displayLabel: string;
  readonly domain: 'symptom' | 'relationship';
  readonly recallPeriod: string | null;
  readonly attribution: string;
  readonly instructions?: string | null;
  readonly responseOptions: readonly ResponseOption[];
  readonly items: readonly MeasureItem[];
  readonly scoring: { readonly range: { readonly min: number; readonly max: number } };
  readonly direction: 'higher_is_worse' | 'higher_is_better';
  readonly severityBands: { readonly bands: readonly { min: number; max: number; label: string }[] } | null;
  readonly cutoff: { readonly value: number; readonly clinicalWhen: string; readonly description: string } | null;
}
export interface CatalogueEntry {
  readonly id: string;
  readonly version: string;
  readonly name: string;
  readonly displayLabel: string;
  readonly domain: 'symptom' | 'relationship';
  readonly administrable: boolean;
  readonly portal: string;
  readonly definition: MeasureDefinition;
}
export interface MeasureScore {
  readonly total: number;
  readonly band: string | null;
  readonly inClinicalRange: boolean | null;
  readonly separateItems: readonly { readonly itemId: string; readonly value: number | null }[];
}
export interface Administration {
  readonly id: string;
  readonly caseId: string;
  readonly clientId: string;
  readonly measureId: string;
  readonly measureVersion: string;
  readonly status: 'due' | 'completed' | 'cancelled';
  readonly dueAt: string | null;
  readonly score: MeasureScore | null;
  readonly administeredAt: string | null;
  readonly recordedByKind: 'client' | 'care_team' | null;
}
export type ReliableChangeLabel =
  'reliable improvement' | 'reliable deterioration' | 'no reliable change' | 'recovered';
export interface ChangePoint {
  readonly administeredAt: string;
  readonly score: number;
  readonly changeFromBaseline: number;
  readonly inClinicalRange: boolean | null;
  readonly label?: ReliableChangeLabel;
}
export interface ChangeSeries {
  readonly measureId: string;
  readonly version: string;
  readonly direction: 'higher_is_worse' | 'higher_is_better';
  readonly cutoff: MeasureDefinition['cutoff'];
  readonly reliableChange: { readonly threshold: number; readonly source: string } | null;
  readonly labelAbsentReason: string | null;
  readonly points: readonly ChangePoint[];
  readonly trend: 'improving' | 'worsening' | 'unchanged' | null;
}
export interface DyadicView {
  readonly measureId: string;
  readonly partners: readonly { readonly participantId: string; readonly series: ChangeSeries }[];
  readonly gap: readonly { readonly at: string; readonly gap: number; readonly absoluteGap: number }[];
  readonly pairingWindowDays: number;
}
export interface SafetyAlert {
  readonly id: string;
  readonly caseId: string;
  readonly subjectClientId: string | null;
  readonly tier: 1 | 2 | 3;
  readonly trigger: string;
  readonly suggestSafetyHold: boolean;
  readonly status: 'open' | 'acknowledged';
  readonly raisedAt: string;
  readonly acknowledgedAt: string | null;
  readonly acknowledgedByMembershipId: string | null;
  readonly escalationDueAt: string | null;
  readonly escalatedAt: string | null;
  readonly escalatedToMembershipId: string | null;
}

export const clinicalKeys = {
  sessions: (caseId: string) => ['case', caseId, 'sessions'] as const,
  notes: (caseId: string) => ['case', caseId, 'notes'] as const,
  note: (caseId: string, noteId: string) => ['case', caseId, 'notes', noteId] as const,
  privateNotes: (caseId: string) => ['case', caseId, 'psychotherapy-notes'] as const,
  noteQueue: ['me', 'note-queue'] as const,
  administrations: (caseId: string) => ['case', caseId, 'measures', 'administrations'] as const,
  change: (caseId: string, clientId: string, measureId: string) =>
    ['case', caseId, 'measures', 'change', clientId, measureId] as const,
  dyadic: (caseId: string, measureId: string) => ['case', caseId, 'measures', 'dyadic', measureId] as const,
  catalogue: ['measures', 'catalogue'] as const,
  caseAlerts: (caseId: string) => ['case', caseId, 'safety-alerts'] as const,
  alerts: ['safety-alerts'] as const,
};

export function useSessions(caseId: string) {
  return useQuery({
    queryKey: clinicalKeys.sessions(caseId),
    queryFn: () => call(api.GET('/api/v1/cases/{caseId}/sessions', { params: { path: { caseId } } })),
  });
}

export function useNotes(caseId: string) {
  return useQuery({
    queryKey: clinicalKeys.notes(caseId),
    queryFn: () => call(api.GET('/api/v1/cases/{caseId}/notes', { params: { path: { caseId } } })),
  });
}

export function useNote(caseId: string, noteId: string) {
  return useQuery({
    queryKey: clinicalKeys.note(caseId, noteId),
    queryFn: () => call(api.GET('/api/v1/cases/{caseId}/notes/{noteId}', { params: { path: { caseId, noteId } } })),
  });
}

export function usePsychotherapyNotes(caseId: string, enabled = true) {
  return useQuery({
    queryKey: clinicalKeys.privateNotes(caseId),
    queryFn: () => call(api.GET('/api/v1/cases/{caseId}/psychotherapy-notes', { params: { path: { caseId } } })),
    enabled,
  });
}

export function useNoteQueue() {
  return useQuery({
    queryKey: clinicalKeys.noteQueue,
    queryFn: () => call(api.GET('/api/v1/me/note-queue')),
  });
}

export function useAdministrations(caseId: string) {
  return useQuery({
    queryKey: clinicalKeys.administrations(caseId),
    queryFn: async () => {
      const data = await call(
        api.GET('/api/v1/cases/{caseId}/measure-administrations', { params: { path: { caseId } } }),
      );
      return (data as unknown as { administrations: Administration[] }).administrations;
    },
  });
}

export function useMeasureCatalogue() {
  return useQuery({
    queryKey: clinicalKeys.catalogue,
    queryFn: async () => {
      const data = await call(api.GET('/api/v1/measures'));
      return (data as unknown as { measures: CatalogueEntry[] }).measures;
    },
    staleTime: 5 * 60_000,
  });
}

export function useChangeSeries(caseId: string, clientId: string, measureId: string) {
  return useQuery({
    queryKey: clinicalKeys.change(caseId, clientId, measureId),
    queryFn: async () =>
      (await call(
        api.GET('/api/v1/cases/{caseId}/clients/{clientId}/measures/{measureId}/change', {
          params: { path: { caseId, clientId, measureId }, query: {} },
        }),
      )) as unknown as ChangeSeries,
  });
}

export function useDyadic(caseId: string, measureId: string) {
  return useQuery({
    queryKey: clinicalKeys.dyadic(caseId, measureId),
    queryFn: async () =>
      (await call(
        api.GET('/api/v1/cases/{caseId}/measures/{measureId}/dyadic', {
          params: { path: { caseId, measureId }, query: {} },
        }),
      )) as unknown as DyadicView,
  });
}

/** The caller's alerts inbox (every status), refreshed every few seconds: a tier-1 alert must show at once. */
export function useAlertsInbox() {
  return useQuery({
    queryKey: clinicalKeys.alerts,
    queryFn: async () => {
      const data = await call(api.GET('/api/v1/safety-alerts', { params: { query: { limit: 100 } } }));
      return (data as unknown as { alerts: SafetyAlert[] }).alerts;
    },
    refetchInterval: 5_000,
  });
}

export function useCaseAlerts(caseId: string) {
  return useQuery({
    queryKey: clinicalKeys.caseAlerts(caseId),
    queryFn: async () => {
      const data = await call(api.GET('/api/v1/cases/{caseId}/safety-alerts', { params: { path: { caseId } } }));
      return (data as unknown as { alerts: SafetyAlert[] }).alerts;
    },
  });
}

/** The words participants see in the portal while their case is on hold (the same for both; no reason given). */
export const HOLD_MESSAGE_FOR_PARTICIPANTS = 'Your clinician has adjusted your plan for now.';

/** Labels. */
export const TEMPLATE_LABELS: Record<NoteTemplate, string> = {
  soap: 'SOAP (subjective, objective, assessment, plan)',
  dap: 'DAP (data, assessment, plan)',
  birp: 'BIRP (behavior, intervention, response, plan)',
  couple: 'Couple session (attendees, risk screen, interventions, plan)',
  free: 'Free text',
};

export const SESSION_STATUS_LABELS: Record<SessionView['status'], string> = {
  scheduled: 'Scheduled',
  completed: 'Completed',
  cancelled: 'Cancelled',
  no_show: 'No-show',
};

export const MODALITY_LABELS: Record<SessionView['modality'], string> = {
  in_person: 'In person',
  video: 'Video',
  phone: 'Phone',
};

export const ATTENDANCE_LABELS: Record<Schemas['AttendanceResponse']['attendance'], string> = {
  attended: 'Attended',
  late: 'Late',
  absent: 'Absent',
};

export const TRIGGER_LABELS: Record<string, string> = {
  measure: 'A measure answer',
  risk_scan: 'Words in free text',
  check_in: 'A safety check-in',
  manual: 'Raised by the care team',
  reliable_deterioration: 'Reliable deterioration on a measure',
  couple_distress: 'Couple distress',
  boundary_breaches: 'Repeated boundary breaches',
};

export const TIER_LABELS: Record<1 | 2 | 3, string> = {
  1: 'Tier 1 · immediate',
  2: 'Tier 2 · same day',
  3: 'Tier 3 · next session',
};
