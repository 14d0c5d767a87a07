/**
 * How every script ends as a command: its exit code, or, for an error it did not expect, the
 * message under the command's name and exit 1 (never an unhandled rejection's stack alone).
 */
export function runAsCommand(name: string, run: () => Promise<number>): void {
  run().then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`${name}: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
