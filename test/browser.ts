/**
 * The headless Chromium the browser tests open. CHROMIUM_PATH names one (Debian's
 * /usr/bin/chromium, say); otherwise the Chromium build shipped inside the npm devDependency
 * `@sparticuz/chromium` (unpacked to the temp folder on first use, ~1.5 s; it runs with this
 * machine's libraries), so `npm ci && npm test` needs no browser installed beforehand.
 */
import { existsSync } from 'node:fs';

/** Chromium's own flags that keep it from calling Google's hosts on a closed network. */
const QUIET = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Flags of the packaged build that would weaken what the report tests check (same-origin rules). */
const DROPPED = new Set(['--disable-web-security', '--allow-running-insecure-content']);

export interface Browser {
  executablePath: string;
  args: string[];
  /** Where it came from, for the failure message. */
  source: string;
}

export async function findChromium(env: NodeJS.ProcessEnv = process.env): Promise<Browser> {
  const given = env['CHROMIUM_PATH'];
  if (given) {
    if (!existsSync(given)) throw new Error(`CHROMIUM_PATH=${given}: no such file`);
    return { executablePath: given, args: QUIET, source: `CHROMIUM_PATH=${given}` };
  }
  const packaged = (await import('@sparticuz/chromium')).default;
  const executablePath = await packaged.executablePath();
  const args = [...packaged.args.filter((arg) => !DROPPED.has(arg)), ...QUIET];
  return { executablePath, args, source: `@sparticuz/chromium (${executablePath})` };
}
