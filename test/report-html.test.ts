/**
 * The generated Allure report, opened for real: a run of the inspect runbooks against the sandbox
 * writes Allure results (the profile's formatter), the report is generated from them, served on a local port and opened in
 * headless Chromium (test/browser.ts: CHROMIUM_PATH, else the build inside @sparticuz/chromium). The page must show every scenario
 * name and make no request to any host but the one serving it; the single file must do the same
 * from file:// with no request at all beyond itself.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { DEFAULT_ADMIN_PASSWORD } from '../src/constants';
import { type GeneratedReport, generateReport } from '../src/report/generate';
import { findExternalReferences } from '../src/report/html-self-contained';
import { singleFileEntries } from '../src/report/single-file';
import { findChromium } from './browser';

const root = join(__dirname, '..', '..');
const FEATURE = 'features/nodegroup/inspect.feature';

const scratch = mkdtempSync(join(tmpdir(), 'report-html-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** The scenario titles as the runbook states them: what the report must show. */
function scenarioNames(featureFile: string): string[] {
  const text = readFileSync(join(root, featureFile), 'utf8');
  return [...text.matchAll(/^\s*Scenario(?: Outline)?:\s*(.+?)\s*$/gm)].map((m) => m[1]!);
}

/** A real run: cucumber-js against an embedded sandbox; the profile's Allure formatter writes the results. */
function runWithAllure(reportsDir: string): string {
  const run = spawnSync(
    process.execPath,
    [join(root, 'node_modules/@cucumber/cucumber/bin/cucumber.js'), '-p', 'default', FEATURE],
    { cwd: root, encoding: 'utf8', env: { ...process.env, HOME: scratch, RUNBOOK_REPORTS_DIR: reportsDir } },
  );
  assert.equal(run.status, 0, `the runbooks failed:\n${run.stdout}\n${run.stderr}`);
  return join(reportsDir, 'allure-results');
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain',
};

/** Serve a folder on 127.0.0.1 with an ephemeral port, as a reviewer's static server would. */
async function serve(dir: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const path = normalize(join(dir, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    const file =
      path.startsWith(dir + sep) && existsSync(path) && statSync(path).isDirectory()
        ? join(path, 'index.html')
        : path;
    if (!(file === dir || file.startsWith(dir + sep)) || !existsSync(file) || statSync(file).isDirectory()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function openChromium(): Promise<BrowserContext> {
  const found = await findChromium();
  return chromium.launchPersistentContext(mkdtempSync(join(scratch, 'chromium-profile-')), {
    executablePath: found.executablePath,
    headless: true,
    args: found.args,
  });
}

/** The Suites tree groups as features/ does: open the feature file's folder, then the feature. */
async function openSuite(page: Page, featureFile: string): Promise<void> {
  const folder = featureFile.split('/').at(-2)!;
  const feature = /^Feature:\s*(.+?)\s*$/m.exec(readFileSync(join(root, featureFile), 'utf8'))![1]!;
  for (const group of [folder, feature]) await page.getByText(group, { exact: true }).first().click();
}

/** Open a scenario, then a step of it, then its first attachment: the attachment's text. */
async function openFirstAttachment(page: Page, scenario: string, step: RegExp): Promise<string> {
  await page.getByText(scenario, { exact: true }).first().click();
  await page.getByText(step).first().click();
  await page.locator('.attachment-row:visible').first().click();
  const content = page.locator('.attachment-row__content:visible').first();
  // The row opens at once; its text arrives when the attachment file has loaded.
  await page.waitForFunction((el) => (el?.textContent ?? '').trim() !== '', await content.elementHandle());
  return (await content.textContent()) ?? '';
}

describe('the generated report in headless Chromium', () => {
  const scenarios = scenarioNames(FEATURE);
  let report: GeneratedReport;
  let browser: BrowserContext | undefined;
  const requests: string[] = [];

  before(async () => {
    const reports = join(scratch, 'reports');
    report = await generateReport({
      resultsDir: runWithAllure(reports),
      reportDir: join(reports, 'allure-report'),
      singleFile: join(reports, 'runbooks-report.html'),
    });
    browser = await openChromium();
    browser.on('request', (request) => {
      requests.push(request.url());
    });
  });
  after(() => browser?.close());

  test('the run wrote one Allure result per scenario of the runbook', () => {
    assert.ok(scenarios.length >= 3, `scenarios of ${FEATURE}: ${scenarios.join(', ')}`);
    assert.equal(report.results, scenarios.length);
  });

  test('served over http: shows every scenario name, opens one, and asks only the serving host', async () => {
    const { server, origin } = await serve(report.reportDir);
    requests.length = 0;
    try {
      const page = await browser!.newPage();
      await page.goto(`${origin}/index.html#suites`);
      await openSuite(page, FEATURE);
      for (const name of scenarios) await page.getByText(name, { exact: true }).first().waitFor();
      // Opening a scenario and an attachment of its first step loads their own data files.
      assert.match(
        await openFirstAttachment(page, scenarios[0]!, /I list the nodegroups/),
        /GET .*\/kapis\//,
      );
      await page.close();
    } finally {
      server.close();
    }
    assert.ok(
      requests.some((url) => url.includes('/data/attachments/')),
      `no attachment was loaded: ${requests.join('\n')}`,
    );
    const host = new URL(origin).host;
    const foreign = requests.filter((url) => /^(https?|wss?):/.test(url) && new URL(url).host !== host);
    const otherSchemes = requests.filter((url) => !/^(https?|wss?|data|blob):/.test(url));
    assert.deepEqual([...foreign, ...otherSchemes], [], 'requests to anything but the serving host');
  });

  test('the single file from file://: shows every scenario name and requests nothing but itself', async () => {
    requests.length = 0;
    const url = pathToFileURL(report.singleFile).href;
    const page = await browser!.newPage();
    await page.goto(`${url}#suites`);
    await openSuite(page, FEATURE);
    for (const name of scenarios) await page.getByText(name, { exact: true }).first().waitFor();
    // The attachments are inside the file too.
    assert.match(await openFirstAttachment(page, scenarios[0]!, /I list the nodegroups/), /GET .*\/kapis\//);
    await page.close();
    const foreign = requests.filter((r) => r.split('#')[0] !== url && !/^(data|blob):/.test(r));
    assert.deepEqual(foreign, [], 'requests beyond the file itself');
  });

  test('neither page keeps the analytics snippet or any reference to another host', () => {
    for (const file of [join(report.reportDir, 'index.html'), report.singleFile]) {
      const html = readFileSync(file, 'utf8');
      assert.doesNotMatch(html, /googletagmanager|google-analytics|gtag\(/, file);
      assert.deepEqual(findExternalReferences(html), [], file);
    }
  });

  test('the single file embeds every test case and attachment of the report, none with the password', () => {
    // Each generation gives its files new ids: compare what they hold.
    const embedded = singleFileEntries(readFileSync(report.singleFile, 'utf8'));
    const inSingle = (folder: string) =>
      [...embedded].filter(([path]) => path.startsWith(`${folder}/`)).map(([, content]) => content);
    const inServed = (folder: string) =>
      readdirSync(join(report.reportDir, folder)).map((f) => readFileSync(join(report.reportDir, folder, f)));
    const names = (files: Buffer[]) =>
      files.map((f) => (JSON.parse(f.toString()) as { name: string }).name).sort();
    assert.deepEqual(names(inSingle('data/test-cases')), [...scenarios].sort());
    assert.deepEqual(names(inServed('data/test-cases')), [...scenarios].sort());
    const digests = (files: Buffer[]) =>
      files.map((f) => createHash('sha256').update(f).digest('hex')).sort();
    const attachments = inServed('data/attachments');
    assert.ok(attachments.length >= scenarios.length, `${attachments.length} attachments`);
    assert.deepEqual(digests(inSingle('data/attachments')), digests(attachments));
    for (const [path, content] of embedded)
      assert.equal(content.includes(DEFAULT_ADMIN_PASSWORD), false, `the sandbox password in ${path}`);
  });
});
