/**
 * The note queue (/counselor/notes): your unsigned drafts and your signed notes
 * still awaiting a co-signature, and (for supervisors) your supervisees' notes
 * awaiting your co-signature. No note content here.
 */
import { Link } from 'react-router';

import type { Schemas } from '../api/types';
import { Page } from '../ui/Page';
import { Empty, QueryView } from '../ui/Status';
import { clinicalPaths } from './clinical-paths';
import { TEMPLATE_LABELS, useNoteQueue } from './clinical-queries';
import { Section } from './components';
import { formatDateTime } from './labels';
import { noteStatusBadge } from './NotesPage';
import { useCase } from './queries';

type QueueItem = Schemas['NoteQueueItemResponse'];

function QueueRow({ item, awaitingYou }: { readonly item: QueueItem; readonly awaitingYou: boolean }) {
  const caseQuery = useCase(item.caseId);
  const caseView = caseQuery.data;
  const author =
    caseView?.careTeam.find((member) => member.membershipId.toLowerCase() === item.authorMembershipId.toLowerCase())
      ?.displayName ?? 'a colleague';
  return (
    <li className="cw-entry">
      <p>
        <Link to={clinicalPaths.note(item.caseId, item.id)}>
          {TEMPLATE_LABELS[item.template].split(' (')[0]} note of {formatDateTime(item.createdAt)} ·{' '}
          {caseView?.title ?? 'Case'}
        </Link>{' '}
        {noteStatusBadge({ status: item.status, cosignRequired: item.status === 'signed', cosignedAt: null })}
      </p>
      <p className="cw-muted">
        {awaitingYou ? `By ${author} · ` : ''}last changed {formatDateTime(item.updatedAt)}
      </p>
    </li>
  );
}

export function NoteQueuePage() {
  const queue = useNoteQueue();
  return (
    <Page title="Notes to finish">
      <QueryView query={queue} label="Loading your notes…">
        {(data) => (
          <>
            <Section title="Your unsigned notes">
              {data.unsigned.length === 0 ? (
                <Empty>Every note of yours is signed.</Empty>
              ) : (
                <ul className="cw-entries" aria-label="Your unsigned notes">
                  {data.unsigned.map((item) => (
                    <QueueRow key={item.id} item={item} awaitingYou={false} />
                  ))}
                </ul>
              )}
            </Section>
            <Section title="Awaiting your co-signature">
              {data.awaitingYourCosignature.length === 0 ? (
                <Empty>No note awaits your co-signature.</Empty>
              ) : (
                <ul className="cw-entries" aria-label="Awaiting your co-signature">
                  {data.awaitingYourCosignature.map((item) => (
                    <QueueRow key={item.id} item={item} awaitingYou />
                  ))}
                </ul>
              )}
            </Section>
          </>
        )}
      </QueryView>
    </Page>
  );
}
