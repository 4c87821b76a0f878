import { createHash } from 'node:crypto';

import type { ReportModel } from '../model/report.types.js';
import { renderCsv, renderJson } from '../render/csv-and-json.js';
import { renderPdf } from '../render/pdf.js';
import { tablesOf } from '../render/tables.js';

export interface ReportFile {
  readonly name: string;
  readonly mediaType: 'application/pdf' | 'application/json' | 'text/csv';
  readonly bytes: Buffer;
  readonly sha256: string;
}

export const sha256Of = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** Every file of a report: `report.pdf`, `report.json` and one CSV per table, each with its checksum. */
export async function renderReportFiles(model: ReportModel): Promise<ReportFile[]> {
  const file = (name: string, mediaType: ReportFile['mediaType'], bytes: Buffer): ReportFile => ({
    name,
    mediaType,
    bytes,
    sha256: sha256Of(bytes),
  });
  return [
    file('report.pdf', 'application/pdf', await renderPdf(model)),
    file('report.json', 'application/json', renderJson(model)),
    ...tablesOf(model).map((table) => file(table.name, 'text/csv', renderCsv(table))),
  ];
}
