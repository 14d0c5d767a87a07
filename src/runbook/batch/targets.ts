/**
 * The targets of a batch: the names of a data table (checked: no empty row, no duplicate), or
 * the objects a label selector picks (an empty pick is a failure, never a pass over nothing).
 */
import { describeMark } from '../../binding-kinds';
import type { BindingKind } from '../../kapi/nodegroups';
import { ConfigError, VerifyError } from '../errors';

/** A table or selector that cannot be used: nothing was sent. */
export class BatchInputError extends ConfigError {}

/** A selector that picks no target: the runbook expected some, so it is a finding. */
export class EmptySelectionError extends VerifyError {
  constructor(
    readonly kind: BindingKind,
    readonly selector: string,
  ) {
    super(
      `expected ${kind}s matching "${selector}", but none matches: nothing was changed. ` +
        `Check the selector with: kubectl get ${kind}s -l '${selector}' ` +
        `(the ${describeMark(kind)} shows where matching ${kind}s are bound)`,
    );
  }
}

/**
 * The names in a table's rows (one column; a header row naming the kind is skipped). Cells are
 * trimmed; an empty row or a name given twice is a ConfigError naming the row(s).
 */
export function namesFromTable(kind: BindingKind, rows: readonly (readonly string[])[]): string[] {
  const body = rows[0]?.length === 1 && rows[0][0]?.trim() === kind ? rows.slice(1) : rows;
  const offset = rows.length - body.length; // row numbers as the runbook shows them (1-based)
  if (body.length === 0)
    throw new BatchInputError(
      `the table names no ${kind}: give one ${kind} name per row under a "${kind}" header`,
    );
  const seen = new Map<string, number>();
  const problems: string[] = [];
  body.forEach((cells, i) => {
    const row = i + 1 + offset;
    if (cells.length !== 1) {
      problems.push(`row ${row} has ${cells.length} cells; give one ${kind} name per row`);
      return;
    }
    const name = cells[0]!.trim();
    if (name === '') problems.push(`row ${row} is empty`);
    else if (seen.has(name)) problems.push(`row ${row} repeats ${kind} ${name} of row ${seen.get(name)}`);
    else seen.set(name, row);
  });
  if (problems.length)
    throw new BatchInputError(
      `the table of ${kind}s is not usable (nothing was changed): ${problems.join('; ')}`,
    );
  return [...seen.keys()];
}

/** A label selector as the API takes it; an empty one would select every target. */
export function checkSelector(kind: BindingKind, selector: string): string {
  const s = selector.trim();
  if (s === '')
    throw new BatchInputError(
      `an empty selector would pick every ${kind}; name a label, e.g. "node-role.kubernetes.io/edge"`,
    );
  return s;
}
