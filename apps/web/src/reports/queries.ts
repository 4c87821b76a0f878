/**
 * Progress reports: requesting one, following its build, downloading its files.
 * Keys ['reports', …]; a report still queued or building is polled every second.
 */
import { useQuery } from '@tanstack/react-query';

import { api, call } from '../api/client';
import type { Schemas } from '../api/types';

export type Report = Schemas['ReportResponse'];
export type ReportKind = Report['kind'];
export type ReportAudience = Report['audience'];

export const reportKeys = {
  list: ['reports', 'list'] as const,
  report: (reportId: string) => ['reports', reportId] as const,
  sections: (kind: ReportKind, audience: ReportAudience) => ['reports', 'sections', kind, audience] as const,
};

export const KIND_LABELS: Record<ReportKind, string> = {
  case: 'Case report (care team)',
  client_summary: 'Client summary',
  caseload: 'Caseload',
  clinic: 'Clinic report',
};

export const AUDIENCE_LABELS: Record<ReportAudience, string> = {
  care_team: 'The care team',
  couple: 'The couple (both partners)',
  partner: 'One partner',
  counselor: 'The counselor',
  clinic: 'Clinic admins',
  supervisor: 'Supervisor (your supervisees)',
};

export const STATUS_LABELS: Record<Report['status'], string> = {
  queued: 'Waiting to be built',
  building: 'Being built',
  ready: 'Ready',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export function isRunning(report: Pick<Report, 'status'>): boolean {
  return report.status === 'queued' || report.status === 'building';
}

export function fileUrl(reportId: string, name: string): string {
  return `/api/v1/reports/${encodeURIComponent(reportId)}/files/${encodeURIComponent(name)}`;
}

export function useReports() {
  return useQuery({
    queryKey: reportKeys.list,
    queryFn: () => call(api.GET('/api/v1/reports')),
    refetchInterval: (query) => (query.state.data?.reports.some(isRunning) === true ? 2_000 : false),
  });
}

export function useReport(reportId: string) {
  return useQuery({
    queryKey: reportKeys.report(reportId),
    queryFn: () => call(api.GET('/api/v1/reports/{reportId}', { params: { path: { reportId } } })),
    refetchInterval: (query) => (query.state.data !== undefined && isRunning(query.state.data) ? 1_000 : false),
  });
}

export function useReportSections(kind: ReportKind, audience: ReportAudience | '') {
  return useQuery({
    queryKey: reportKeys.sections(kind, audience === '' ? 'care_team' : audience),
    queryFn: () =>
      call(
        api.GET('/api/v1/reports/sections', {
          params: { query: { kind, audience: audience === '' ? 'care_team' : audience } },
        }),
      ),
    enabled: audience !== '',
    staleTime: Infinity,
  });
}
