/** Lines of the printed acceptance verdict, as the tests read them. */

/** The verdict table's row of a capability, e.g. `| scheduling: ... | FAIL: ... | ... |`. */
export const row = (out: string, capability: string): string =>
  out.split('\n').find((l) => l.startsWith(`| ${capability}: `)) ?? `(no row for ${capability} in:\n${out})`;
/** The full reason of a capability that did not pass (the "Why" list under the table). */
export const why = (out: string, capability: string): string =>
  out.split('\n').find((l) => l.startsWith(`- **${capability}** `)) ??
  `(no reason for ${capability} in:\n${out})`;
