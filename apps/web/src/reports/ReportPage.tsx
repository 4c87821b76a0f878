import './reports.css';

/**
 * One report: its status and build progress (polled every second while it is
 * queued or building, announced politely), the files to download once ready
 * (PDF, JSON, one CSV per table), and cancelling a report still being built.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';

import { api, call } from '../api/client';
import { Facts, ProblemSummary, Section } from '../counselor/components';
import { formatDateTime } from '../counselor/labels';
import { Page } from '../ui/Page';
import { QueryView } from '../ui/Status';
import {
  AUDIENCE_LABELS,
  fileUrl,
  isRunning,
  KIND_LABELS,
  reportKeys,
  STATUS_LABELS,
  useReport,
  type Report,
} from './queries';
import { periodText, ReportStatusBadge } from './ReportsPage';

const ERROR_LABELS: Record<string, string> = {
  build_failed: 'The build failed several times. Request the report again; if it keeps failing, tell your admin.',
  requester_not_allowed: 'You may no longer request this report (your role or the care team changed).',
};

function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function fileLabel(name: string, mediaType: string): string {
  if (mediaType === 'application/pdf') return 'PDF';
  if (name.endsWith('.json')) return 'JSON (every number in the PDF)';
  return `CSV table ${name.replace(/\.csv$/, '').replace(/[-_]/g, ' ')}`;
}

/** The PDF first, then the JSON, then the CSV tables. */
function fileRank(name: string): number {
  if (name.endsWith('.pdf')) return 0;
  if (name.endsWith('.json')) return 1;
  return 2;
}

function Progress({ report }: { readonly report: Report }) {
  return (
    <div className="report-progress">
      <label htmlFor="report-progress">
        {STATUS_LABELS[report.status]}: {report.progress}%
      </label>
      <progress id="report-progress" max={100} value={report.progress}>
        {report.progress}%
      </progress>
    </div>
  );
}

function CancelButton({ report }: { readonly report: Report }) {
  const client = useQueryClient();
  const mutation = useMutation({
    mutationFn: () =>
      call(api.POST('/api/v1/reports/{reportId}/cancel', { params: { path: { reportId: report.id } } })),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: reportKeys.report(report.id) });
      await client.invalidateQueries({ queryKey: reportKeys.list });
    },
  });
  return (
    <>
      <button
        type="button"
        className="button button--secondary"
        disabled={mutation.isPending}
        onClick={() => mutation.mutate()}
      >
        {mutation.isPending ? 'Cancelling…' : 'Cancel the report'}
      </button>
      <ProblemSummary error={mutation.error} title="The report was not cancelled" />
    </>
  );
}

export function ReportPage({ base }: { readonly base: string }) {
  const { reportId = '' } = useParams();
  const report = useReport(reportId);
  const title = report.data !== undefined ? KIND_LABELS[report.data.kind] : 'Report';
  return (
    <Page title={title}>
      <p className="cw-breadcrumb">
        <Link to={base}>All reports</Link>
      </p>
      <QueryView query={report} label="Loading the report…">
        {(data) => (
          <>
            <Facts
              items={[
                ['Audience', AUDIENCE_LABELS[data.audience]],
                ['Period', periodText(data.period)],
                ['Numbers as of', formatDateTime(data.asOf)],
                ['Requested', formatDateTime(data.createdAt)],
                ['Status', <ReportStatusBadge key="status" report={data} />],
              ]}
            />
            <Section title="Progress">
              <div aria-live="polite" aria-atomic="true">
                {isRunning(data) ? (
                  <Progress report={data} />
                ) : data.status === 'ready' ? (
                  <p>Ready since {formatDateTime(data.finishedAt)}.</p>
                ) : data.status === 'failed' ? (
                  <p role="alert">
                    {ERROR_LABELS[data.errorCode ?? ''] ?? 'The report could not be built.'}
                    {data.errorCode !== null && <span className="cw-muted"> (code {data.errorCode})</span>}
                  </p>
                ) : (
                  <p>This report was cancelled.</p>
                )}
              </div>
              {isRunning(data) && <CancelButton report={data} />}
            </Section>
            {data.status === 'ready' && (
              <Section title="Download">
                <ul className="cw-list" aria-label="Files">
                  {[...data.files]
                    .sort((a, b) => fileRank(a.name) - fileRank(b.name))
                    .map((file) => (
                      <li key={file.name}>
                        <a href={fileUrl(data.id, file.name)} download>
                          Download {fileLabel(file.name, file.mediaType)}
                        </a>{' '}
                        <span className="cw-muted">
                          {file.name}, {sizeText(file.byteSize)}
                        </span>
                      </li>
                    ))}
                </ul>
                <p className="cw-muted">Every download is recorded in the clinic’s audit trail.</p>
              </Section>
            )}
          </>
        )}
      </QueryView>
    </Page>
  );
}
