/**
 * Keeping a generated report self-contained: a review report is opened in air-gapped ops
 * environments and must not call home. Allure 2's page template adds Google Analytics (gtag)
 * unless ALLURE_NO_ANALYTICS is set; we set it and still strip what is left, then check the
 * page loads nothing from another host.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ReportError } from './generate-errors';

/** The environment variable that stops Allure 2 adding gtag to the page and posting usage data itself. */
export const NO_ANALYTICS_ENV = { ALLURE_NO_ANALYTICS: 'true' } as const;

const SCRIPT_BLOCK = /<script\b([^>]*)>([\s\S]*?)<\/script>[ \t]*\r?\n?/gi;
const ANALYTICS = /googletagmanager\.com|google-analytics\.com|\bgtag\s*\(/;

/** Remove the analytics scripts (the external gtag loader and the inline snippet that configures it). */
export function stripAnalytics(html: string): { html: string; removed: number } {
  let removed = 0;
  const stripped = html.replace(SCRIPT_BLOCK, (block, attributes: string, body: string) => {
    // A data: URL holds the report's own bundle; only look at where a script comes from.
    const src = /\bsrc\s*=\s*["']?([^"'\s>]+)/i.exec(attributes)?.[1] ?? '';
    if (ANALYTICS.test(src.startsWith('data:') ? '' : src) || ANALYTICS.test(body)) {
      removed++;
      return '';
    }
    return block;
  });
  return { html: stripped, removed };
}

export interface ExternalReference {
  /** The host the page would contact. */
  host: string;
  /** The markup that refers to it, shortened. */
  where: string;
}

// Attributes that make the browser fetch on load (an <a href> only does when clicked).
const LOADING_ATTRIBUTE = /\b(src|href|srcset|poster|data|action|formaction)\s*=\s*(["'])(.*?)\2/gi;
const TAG = /<([a-zA-Z][\w-]*)\b([^>]*)>/g;
const CSS_URL =
  /url\(\s*(["']?)((?:https?:)?\/\/[^"')\s]+)\1\s*\)|@import\s+(["'])((?:https?:)?\/\/[^"']+)\3/gi;
const ABSOLUTE = /^(?:https?:)?\/\/([^/?#:]+)/i;

/** Every place the page's markup or inline CSS loads something from another host. */
export function findExternalReferences(html: string): ExternalReference[] {
  const found: ExternalReference[] = [];
  for (const tag of html.matchAll(TAG)) {
    const name = tag[1]!.toLowerCase();
    if (name === 'a') continue;
    for (const attribute of tag[2]!.matchAll(LOADING_ATTRIBUTE)) {
      for (const url of attribute[3]!.split(/,\s*/)) {
        const host = ABSOLUTE.exec(url.trim())?.[1];
        if (host) found.push({ host, where: shorten(tag[0]) });
      }
    }
  }
  for (const css of html.matchAll(CSS_URL)) {
    const host = ABSOLUTE.exec(css[2] ?? css[4] ?? '')?.[1];
    if (host) found.push({ host, where: shorten(css[0]) });
  }
  return found;
}

function shorten(text: string): string {
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

/**
 * Strip analytics from a generated report's page, then refuse a report whose page or style sheets
 * still load from another host. `dir` holds index.html (and, for the multi-file report, assets/).
 */
export async function makeSelfContained(dir: string): Promise<number> {
  const indexHtml = join(dir, 'index.html');
  const page = await readFile(indexHtml, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
    throw new ReportError('allure-failed', `allure generate reported success but wrote no ${indexHtml}`);
  });
  const { html, removed } = stripAnalytics(page);
  const external = findExternalReferences(html);
  for (const sheet of (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.css')))
    for (const ref of findExternalReferences(await readFile(join(dir, sheet), 'utf8')))
      external.push({ ...ref, where: `${sheet}: ${ref.where}` });
  if (external.length > 0)
    throw new ReportError(
      'not-self-contained',
      `the generated report would load from ${[...new Set(external.map((e) => e.host))].join(', ')} ` +
        `when opened (${external[0]!.where}); a review report must not call home. ` +
        'This allure-commandline version adds something new: pin the version that passed (see package-lock.json)',
    );
  if (removed > 0) await writeFile(indexHtml, html);
  return removed;
}
