/**
 * The disclosure log: every time content moved from a participant's private
 * space into the shared space — what kind of item (never its content), whose,
 * how (released by its author, revealed, shared by the care team), when and
 * under which secrets-policy version.
 */
import { Page } from '../ui/Page';
import { Empty, QueryView } from '../ui/Status';
import { useCaseContext } from './CaseLayout';
import { DISCLOSURE_MODE_LABELS, formatDateTime } from './labels';
import { useDisclosures } from './queries';

const ITEM_TYPES: Record<string, string> = {
  'plan.need': 'A need in the repair plan',
  'homework.release': 'A homework answer (released)',
  'homework.reveal': 'A homework answer (revealed once both submitted)',
};

export function DisclosuresPage() {
  const { caseId, caseView, clientName, memberName } = useCaseContext();
  const disclosures = useDisclosures(caseId);
  return (
    <Page title={`Disclosure log · ${caseView.title ?? 'Case'}`} heading="Disclosure log">
      <p className="cw-lede">
        What moved from one participant&apos;s private space into the shared space, oldest first. Content is never shown
        here.
      </p>
      <QueryView query={disclosures} label="Loading the disclosure log…">
        {(data) =>
          data.disclosures.length === 0 ? (
            <Empty>Nothing has been disclosed yet.</Empty>
          ) : (
            <div
              className="table-wrap cw-table-wrap"
              tabIndex={0}
              role="region"
              aria-label="Disclosure log (scrolls sideways)"
            >
              <table className="cw-table">
                <caption className="cw-visually-hidden">Disclosures, oldest first</caption>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">What</th>
                    <th scope="col">Whose</th>
                    <th scope="col">How</th>
                    <th scope="col">Secrets policy</th>
                  </tr>
                </thead>
                <tbody>
                  {data.disclosures.map((disclosure) => (
                    <tr key={disclosure.id}>
                      <td>{formatDateTime(disclosure.disclosedAt)}</td>
                      <td>{ITEM_TYPES[disclosure.itemType] ?? disclosure.itemType}</td>
                      <td>{clientName(disclosure.authorClientId)}</td>
                      <td>
                        {DISCLOSURE_MODE_LABELS[disclosure.mode]}
                        {disclosure.disclosedByMembershipId !== null && disclosure.mode === 'shared_by_care_team'
                          ? ` (${memberName(disclosure.disclosedByMembershipId)})`
                          : ''}
                      </td>
                      <td>
                        {disclosure.secretsPolicyVersion === null ? '—' : `version ${disclosure.secretsPolicyVersion}`}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryView>
    </Page>
  );
}
