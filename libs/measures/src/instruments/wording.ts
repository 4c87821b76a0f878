import { isAdministrable, type MeasureDefinition, type MeasureItem } from './measure-definition.js';
import { MeasuresError, MeasuresErrorCode } from './measures.errors.js';

export interface VerbatimWording {
  /** Exact item text by item id: every item. */
  readonly items: Readonly<Record<string, string>>;
  /** Exact option labels by value for the measure's shared options. */
  readonly responseOptions: Readonly<Record<number, string>>;
  /** Exact option labels by value for items with their own options (CSI item 1). */
  readonly itemOptions?: Readonly<Record<string, Readonly<Record<number, string>>>>;
}

/**
 * Fills a built-in definition's wording from the rights holder's published form (the
 * wording clinical.md does not reproduce). Every item and option must be given; nothing
 * else about the definition changes.
 */
export function withVerbatimWording(definition: MeasureDefinition, wording: VerbatimWording): MeasureDefinition {
  const missing: string[] = [];
  const label = (labels: Readonly<Record<number, string>> | undefined, value: number, where: string) => {
    const found = labels?.[value];
    if (found === undefined || found.trim() === '') missing.push(where);
    return found ?? null;
  };
  const items = definition.items.map((item): MeasureItem => {
    const text = wording.items[item.id];
    if (text === undefined || text.trim() === '') missing.push(`items.${item.id}`);
    const own = item.options?.map((entry) => ({
      value: entry.value,
      label: label(wording.itemOptions?.[item.id], entry.value, `itemOptions.${item.id}.${entry.value}`),
    }));
    return { ...item, text: text ?? null, ...(own ? { options: own } : {}) };
  });
  const responseOptions = definition.responseOptions.map((entry) => ({
    value: entry.value,
    label: label(wording.responseOptions, entry.value, `responseOptions.${entry.value}`),
  }));
  const filled: MeasureDefinition = {
    ...definition,
    items,
    responseOptions,
    wording: { status: 'complete', note: 'Verbatim wording supplied.' },
  };
  if (missing.length > 0 || !isAdministrable(filled))
    throw new MeasuresError(
      MeasuresErrorCode.DefinitionInvalid,
      `Wording of ${definition.name} is incomplete`,
      missing.map((field) => ({ field, rule: 'missing', message: 'is required' })),
    );
  return filled;
}
