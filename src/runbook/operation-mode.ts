/**
 * The two kinds of runbook. Tests (untagged): per-run unique names, every change undone after the
 * scenario, the run proves the state is back. Operations (`@operation` on the feature or the
 * scenario): names used exactly as written, changes kept (their ledger entries stay pending, so
 * `npm run revert -- --run-id ID` undoes them), listed in the run summary. The one decision of
 * which is which: the hooks, the World and `plan` all call `isOperation`.
 */
export const OPERATION_TAG = '@operation';

/** Tags as cucumber gives them (pickle tags) or as plain names. */
export type Tags = readonly ({ name: string } | string)[];

/** Whether a scenario with these tags (the feature's are inherited into the pickle's) is an operation. */
export function isOperation(tags: Tags): boolean {
  return tags.some((t) => (typeof t === 'string' ? t : t.name) === OPERATION_TAG);
}

/** The command that undoes a run's kept changes. */
export const revertCommand = (runId: string) => `npm run revert -- --run-id ${runId}`;
