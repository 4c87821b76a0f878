import type { CrisisResourceList } from '../counselor/clinical-queries';

/**
 * Crisis resources for the client's locale with tap-to-call / tap-to-text links and
 * the emergency line first (clinical.md §4.3). Built-in lists are marked as needing
 * local verification, and say so.
 */
export function CrisisResources({ list }: { readonly list: CrisisResourceList }) {
  const ordered = [...list.resources].sort((a, b) => Number(b.kind === 'emergency') - Number(a.kind === 'emergency'));
  return (
    <div className="pm-crisis__resources">
      <ul className="pm-crisis__list" aria-label="Crisis resources">
        {ordered.map((resource) => (
          <li key={`${resource.name}-${resource.contact}`} className="pm-crisis__item">
            <span className="pm-crisis__name">{resource.name}</span>
            {resource.href !== null ? (
              <a className="button pm-crisis__call" href={resource.href}>
                {resource.contact}
              </a>
            ) : (
              <span>{resource.contact}</span>
            )}
          </li>
        ))}
      </ul>
      {list.needsLocalVerification && (
        <p className="muted">These numbers are general for your country and are being checked by your clinic.</p>
      )}
    </div>
  );
}
