/**
 * Reading an Allure 2 single-file report: it embeds every file of the multi-file report (data,
 * widgets, history, attachments) base64-encoded, one `d('<path>','<base64>')` call each. A scan for
 * secrets must decode them; a plain-text search of the page would not see an embedded one.
 */

const EMBEDDED = /\bd\('([^']+)','([A-Za-z0-9+/=]*)'\)/g;

/** The embedded files by their path in the multi-file report (`data/attachments/ab12.txt`, ...). */
export function singleFileEntries(html: string): Map<string, Buffer> {
  const entries = new Map<string, Buffer>();
  for (const [, path, base64] of html.matchAll(EMBEDDED)) entries.set(path!, Buffer.from(base64!, 'base64'));
  return entries;
}
