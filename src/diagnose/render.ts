/** Findings as a table (CHECK STATUS FINDING NEXT, then the causes) or as json/yaml. */
import { stringify } from 'yaml';
import type { Diagnosis } from './diagnose';

export type DiagnosisFormat = 'table' | 'json' | 'yaml';

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]! + 3)))
        .join('')
        .trimEnd(),
    )
    .join('\n');
}

export function renderDiagnosis(diagnosis: Diagnosis, format: DiagnosisFormat): string {
  if (format === 'json') return `${JSON.stringify(diagnosis, null, 2)}\n`;
  if (format === 'yaml') return stringify(diagnosis, { aliasDuplicateObjects: false });
  const rows = [['CHECK', 'STATUS', 'FINDING', 'NEXT']];
  for (const f of diagnosis.findings) {
    rows.push([`${f.check.order} ${f.check.id}`, f.status.toUpperCase(), f.summary, f.nextCommand ?? '-']);
  }
  const causes = diagnosis.findings
    .filter((f) => f.likelyCause && (f.status === 'fail' || f.status === 'warn'))
    .map((f) => `  ${f.check.order} ${f.check.id}: ${f.likelyCause}`);
  const { counts } = diagnosis;
  const verdict = diagnosis.healthy
    ? `nodegroup ${diagnosis.target.nodegroup}: healthy (${counts.pass} pass, ${counts.warn} warn, ${counts.skip} skip)`
    : `nodegroup ${diagnosis.target.nodegroup}: ${counts.fail} failing check(s) (${counts.pass} pass, ${counts.warn} warn, ${counts.skip} skip)`;
  return `${table(rows)}\n${causes.length ? `\nLikely causes:\n${causes.join('\n')}\n` : ''}\n${verdict}\n`;
}
