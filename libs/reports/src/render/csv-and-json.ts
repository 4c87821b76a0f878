import { stringify } from 'csv-stringify/sync';

import type { ReportModel } from '../model/report.types.js';
import type { ReportTable } from './tables.js';

/**
 * The JSON file: the model itself (every number the PDF prints comes from it),
 * pretty-printed; the model is built with a fixed key order, so the same data
 * gives the same bytes.
 */
export function renderJson(model: ReportModel): Buffer {
  return Buffer.from(`${JSON.stringify(model, null, 2)}\n`, 'utf8');
}

/**
 * One CSV file per table (RFC 4180 through csv-stringify: quoted when needed,
 * CRLF line ends, a header row). Booleans are `true`/`false`, nulls empty.
 * A cell starting with =, +, - or @ is prefixed with a quote so a spreadsheet
 * never reads a name as a formula (CSV injection).
 */
export function renderCsv(table: ReportTable): Buffer {
  const safe = (cell: string | number | boolean | null): string | number => {
    if (cell === null) return '';
    if (typeof cell === 'boolean') return cell ? 'true' : 'false';
    if (typeof cell === 'number') return cell;
    return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
  };
  const text = stringify([table.columns, ...table.rows.map((row) => row.map(safe))], {
    record_delimiter: 'windows',
  });
  return Buffer.from(text, 'utf8');
}
