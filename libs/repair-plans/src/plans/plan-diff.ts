import { PLAN_SECTIONS, type PlanDocument, type PlanSection } from './plan-document.js';
import { canonical } from './plan-visibility.js';

type Item = { readonly id: string } & Record<string, unknown>;

export interface PlanItemChange {
  readonly id: string;
  /** The fields whose value differs (top-level fields of the item; `objectives` of a goal as one field). */
  readonly fields: readonly string[];
  readonly before: Readonly<Record<string, unknown>>;
  readonly after: Readonly<Record<string, unknown>>;
}

export interface PlanSectionDiff {
  readonly added: readonly Readonly<Record<string, unknown>>[];
  readonly removed: readonly Readonly<Record<string, unknown>>[];
  readonly changed: readonly PlanItemChange[];
}

export interface PlanDiff {
  readonly sections: Readonly<Record<PlanSection, PlanSectionDiff>>;
  /** Null when the review date did not change. */
  readonly reviewDate: { readonly from: string | null; readonly to: string | null } | null;
  /** How many items were added, removed or changed over all sections (0 with an unchanged review date: identical). */
  readonly changeCount: number;
}

function diffSection(before: readonly Item[], after: readonly Item[]): PlanSectionDiff {
  const beforeById = new Map(before.map((item) => [item.id, item]));
  const afterIds = new Set(after.map((item) => item.id));
  const added = after.filter((item) => !beforeById.has(item.id));
  const removed = before.filter((item) => !afterIds.has(item.id));
  const changed: PlanItemChange[] = [];
  for (const item of after) {
    const previous = beforeById.get(item.id);
    if (previous === undefined) continue;
    const keys = [...new Set([...Object.keys(previous), ...Object.keys(item)])].filter((key) => key !== 'id').sort();
    const fields = keys.filter((key) => canonical(previous[key]) !== canonical(item[key]));
    if (fields.length === 0) continue;
    changed.push({
      id: item.id,
      fields,
      before: Object.fromEntries(fields.map((field) => [field, previous[field] ?? null])),
      after: Object.fromEntries(fields.map((field) => [field, item[field] ?? null])),
    });
  }
  return { added, removed, changed };
}

/**
 * The structured difference between two plan documents, matched by item id:
 * per section the items added, removed and changed (with the fields that
 * changed, before and after), and the review date. Callers diff the viewer's
 * projections (plan-visibility.ts), so a participant's diff cannot reveal a
 * clinician item, not even that one changed.
 *
 * Written here rather than with a generic JSON diff library: those match array
 * elements by position (or need an id hook and still answer in JSON-patch
 * paths), while a plan's items are identified by their stable ids and the
 * answer is meant to be read per section.
 */
export function diffPlans(from: PlanDocument, to: PlanDocument): PlanDiff {
  const sections = Object.fromEntries(
    PLAN_SECTIONS.map((section) => [
      section,
      diffSection(from[section] as unknown as readonly Item[], to[section] as unknown as readonly Item[]),
    ]),
  ) as Record<PlanSection, PlanSectionDiff>;
  const reviewDate = from.reviewDate === to.reviewDate ? null : { from: from.reviewDate, to: to.reviewDate };
  const changeCount = PLAN_SECTIONS.reduce(
    (sum, section) =>
      sum + sections[section].added.length + sections[section].removed.length + sections[section].changed.length,
    0,
  );
  return { sections, reviewDate, changeCount: changeCount + (reviewDate === null ? 0 : 1) };
}
