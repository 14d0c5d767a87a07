/**
 * Report generation on bad input (no results, another tool's layout, no Java, allure failing):
 * a specific ReportError, and the good report already in place is left exactly as it was. Also
 * the swap on success, history carried between reports, the `npm run report` command's exit
 * codes, and the self-containment helpers on Allure's own page template.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, describe, test } from 'node:test';
import { generateReport } from '../src/report/generate';
import { ReportError, type ReportErrorKind } from '../src/report/generate-errors';
import { findExternalReferences, makeSelfContained, stripAnalytics } from '../src/report/html-self-contained';

const root = join(__dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'report-bad-input-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

let n = 0;
/** A fresh reports folder holding a good report and single file that no failure may touch. */
function reportsWithGoodReport() {
  const reports = join(scratch, `case-${++n}`);
  const reportDir = join(reports, 'allure-report');
  mkdirSync(join(reportDir, 'history'), { recursive: true });
  writeFileSync(join(reportDir, 'index.html'), 'GOOD REPORT');
  writeFileSync(join(reportDir, 'history', 'history.json'), '{}');
  const singleFile = join(reports, 'runbooks-report.html');
  writeFileSync(singleFile, 'GOOD SINGLE FILE');
  return { reports, reportDir, singleFile, resultsDir: join(reports, 'allure-results') };
}

function assertGoodReportKept(paths: { reports: string; reportDir: string; singleFile: string }) {
  assert.equal(readFileSync(join(paths.reportDir, 'index.html'), 'utf8'), 'GOOD REPORT');
  assert.equal(readFileSync(paths.singleFile, 'utf8'), 'GOOD SINGLE FILE');
  assert.deepEqual(
    readdirSync(paths.reports).filter((f) => f.startsWith('.allure-report-tmp-')),
    [],
    'scratch folders left behind',
  );
}

/** One Allure 2 result, as allure-cucumberjs writes it (the fields Allure needs). */
function writeResult(dir: string, name: string, status = 'passed'): void {
  mkdirSync(dir, { recursive: true });
  const uuid = randomUUID();
  const now = Date.now();
  writeFileSync(
    join(dir, `${uuid}-result.json`),
    JSON.stringify({
      uuid,
      name,
      fullName: `features/demo.feature#${name}`,
      historyId: name,
      status,
      stage: 'finished',
      start: now - 50,
      stop: now,
      labels: [{ name: 'feature', value: 'Demo' }],
      steps: [],
      attachments: [],
      parameters: [],
    }),
  );
}

async function assertRefused(
  options: Parameters<typeof generateReport>[0],
  kind: ReportErrorKind,
  ...messages: RegExp[]
): Promise<void> {
  await assert.rejects(generateReport(options), (err: unknown) => {
    assert.ok(err instanceof ReportError, String(err));
    assert.equal(err.kind, kind, err.message);
    for (const message of [...messages, /the previous report, if any, was left as it was/])
      assert.match(err.message, message);
    return true;
  });
}

describe('report generation refuses bad input and keeps the good report', () => {
  let paths: ReturnType<typeof reportsWithGoodReport>;
  beforeEach(() => {
    paths = reportsWithGoodReport();
  });

  test('no results folder', async () => {
    await assertRefused(
      paths,
      'no-results',
      /no results to report: .*allure-results does not exist/,
      /npm start/,
    );
    assertGoodReportKept(paths);
  });

  test('an empty results folder, or one with only containers and metadata', async () => {
    mkdirSync(paths.resultsDir);
    await assertRefused(paths, 'no-results', /holds no Allure result \(\*-result\.json\)/);
    writeFileSync(join(paths.resultsDir, `${randomUUID()}-container.json`), '{}');
    writeFileSync(join(paths.resultsDir, 'environment.properties'), 'target=sandbox\n');
    await assertRefused(paths, 'no-results', /holds no Allure result/);
    assertGoodReportKept(paths);
  });

  test("cucumber's JSON output instead of Allure results", async () => {
    mkdirSync(paths.resultsDir);
    const feature = {
      description: '',
      elements: [],
      id: 'inspect',
      keyword: 'Feature',
      name: 'Inspect',
      uri: 'x',
    };
    writeFileSync(join(paths.resultsDir, 'cucumber-report.json'), JSON.stringify([feature]));
    await assertRefused(
      paths,
      'other-layout',
      /not a folder of Allure 2 results: it holds cucumber JSON \(cucumber-report\.json\)/,
      /reports\/allure-results/,
    );
    assertGoodReportKept(paths);
  });

  test('the reports folder of the ci profile (JUnit XML, messages, the results one level down)', async () => {
    writeResult(paths.resultsDir, 'a scenario');
    writeFileSync(join(paths.reports, 'cucumber-junit.xml'), '<?xml version="1.0"?>\n<testsuite name="x"/>');
    writeFileSync(join(paths.reports, 'cucumber-messages.ndjson'), '{"meta":{}}\n');
    await assertRefused(
      { ...paths, resultsDir: paths.reports },
      'other-layout',
      /JUnit XML \(cucumber-junit\.xml\)/,
      /cucumber messages \(cucumber-messages\.ndjson\)/,
      /Allure results one level down \(--results .*allure-results\)/,
    );
    assertGoodReportKept(paths);
  });

  test('random files, a results path that is a file, and a damaged *-result.json', async () => {
    mkdirSync(paths.resultsDir);
    writeFileSync(join(paths.resultsDir, 'notes.txt'), 'hello');
    writeFileSync(join(paths.resultsDir, 'photo.png'), Buffer.from([0x89, 0x50]));
    await assertRefused(paths, 'other-layout', /it holds notes\.txt, photo\.png, and no \*-result\.json/);
    await assertRefused(
      { ...paths, resultsDir: join(paths.resultsDir, 'notes.txt') },
      'other-layout',
      /notes\.txt is a file, not a folder of Allure results/,
    );
    writeResult(paths.resultsDir, 'fine');
    writeFileSync(join(paths.resultsDir, 'broken-result.json'), '{"uuid": "x", "na');
    await assertRefused(paths, 'other-layout', /broken-result\.json is not an Allure 2 result \(not JSON/);
    writeFileSync(join(paths.resultsDir, 'broken-result.json'), '{"id": 1}');
    await assertRefused(
      paths,
      'other-layout',
      /broken-result\.json is not an Allure 2 result \(no "uuid" and "name"/,
    );
    assertGoodReportKept(paths);
  });

  test('Java missing: not on PATH, JAVA_HOME pointing at no Java, or a java that fails', async () => {
    writeResult(paths.resultsDir, 'a scenario');
    const empty = mkdtempSync(join(scratch, 'no-java-'));
    await assertRefused(
      { ...paths, env: { PATH: empty } },
      'java-missing',
      /Java is missing: JAVA_HOME is not set and there is no java on PATH\./,
      /apt-get install openjdk-17-jre-headless/,
    );
    await assertRefused(
      { ...paths, env: { PATH: process.env.PATH, JAVA_HOME: empty } },
      'java-missing',
      new RegExp(`Java is missing: JAVA_HOME is ${empty}, but there is no ${empty}/bin/java\\.`),
      /apt-get install openjdk-17-jre-headless/,
    );
    // A java that is there but broken (a removed JRE's leftover launcher, say).
    const broken = mkdtempSync(join(scratch, 'broken-java-'));
    writeFileSync(join(broken, 'java'), '#!/bin/sh\necho "Error: could not find libjvm.so" >&2\nexit 1\n', {
      mode: 0o755,
    });
    await assertRefused(
      { ...paths, env: { PATH: `${broken}:/usr/bin:/bin` } },
      'java-missing',
      /Java is missing: `java -version` failed: exit 1, Error: could not find libjvm\.so\./,
      /apt-get install openjdk-17-jre-headless/,
    );
    assertGoodReportKept(paths);
  });

  test('allure-commandline failing half-way leaves no half-written report', async () => {
    writeResult(paths.resultsDir, 'a scenario');
    // `java -version` starts, allure's JVM cannot: what a broken JAVA_OPTS does on a real machine.
    await assertRefused(
      { ...paths, env: { ...process.env, JAVA_OPTS: '-Xmx1k' } },
      'allure-failed',
      /allure generate (--single-file )?failed \(exit 1\):/,
      /Too small maximum heap/,
    );
    assertGoodReportKept(paths);
  });
});

describe('report generation on good input', () => {
  test('replaces the report and the single file, and carries the history into the next one', async () => {
    const paths = reportsWithGoodReport();
    rmSync(join(paths.reportDir, 'history'), { recursive: true });
    writeResult(paths.resultsDir, 'first scenario');
    writeResult(paths.resultsDir, 'second scenario', 'failed');
    const first = await generateReport(paths);
    assert.equal(first.results, 2);
    assert.equal(first.historyCopied, 0);
    assert.equal(first.analyticsRemoved, 0, 'Allure honoured ALLURE_NO_ANALYTICS');
    const summary = JSON.parse(readFileSync(join(paths.reportDir, 'widgets', 'summary.json'), 'utf8'));
    assert.deepEqual([summary.statistic.passed, summary.statistic.failed], [1, 1]);
    assert.match(readFileSync(paths.singleFile, 'utf8'), /^<!DOCTYPE html>/);
    assert.ok(existsSync(join(paths.reportDir, 'history', 'history.json')));

    const second = await generateReport(paths);
    assert.ok(second.historyCopied >= 1, `history files carried: ${second.historyCopied}`);
    const trend = JSON.parse(readFileSync(join(paths.reportDir, 'widgets', 'history-trend.json'), 'utf8'));
    assert.equal(trend.length, 2, 'the trend shows both reports');
    assert.deepEqual(
      readdirSync(paths.reports).filter((f) => f.startsWith('.allure-report-tmp-')),
      [],
    );
  });
});

describe('npm run report (scripts/report.js)', () => {
  const script = join(root, 'dist/scripts/report.js');
  test('exit 1 with the reason when there is nothing to report', () => {
    const missing = join(scratch, 'nothing-here');
    const run = spawnSync(process.execPath, [script, '--results', missing, '--report', join(scratch, 'r')], {
      encoding: 'utf8',
    });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /^report: no results to report: .*nothing-here does not exist/);
    assert.equal(run.stdout, '');
  });

  test('exit 2 and the usage on an unknown option', () => {
    const run = spawnSync(process.execPath, [script, '--result', 'x'], { encoding: 'utf8' });
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /Unknown option '--result'/);
    assert.match(run.stderr, /usage: npm run report -- \[--results DIR\]/);
  });
});

describe('self-containment of the page', () => {
  // Allure 2.46's page template, as it renders without ALLURE_NO_ANALYTICS.
  const allurePage = `<!DOCTYPE html>
<html dir="ltr" lang="en">
<head>
    <link rel="icon" href="assets/favicon.ico">
</head>
<body>
    <script src="assets/index.js"></script>
    <script async src="https://www.googletagmanager.com/gtag/js?id=G-FVWC4GKEYS"></script>
    <script>
        window.dataLayer = window.dataLayer || [];
        function gtag(){dataLayer.push(arguments);}
        gtag('js', new Date());
        gtag('config', 'G-FVWC4GKEYS', {'allureVersion': '2.46.1'});
    </script>
    <script defer>
      Promise.allSettled([d('data/suites.json','eyJ1aWQiOiI5OGQzMTA0In0=')]);
    </script>
</body>
</html>`;

  test('stripAnalytics removes the gtag loader and its snippet, and nothing else', () => {
    assert.deepEqual(
      findExternalReferences(allurePage).map((r) => r.host),
      ['www.googletagmanager.com'],
    );
    const { html, removed } = stripAnalytics(allurePage);
    assert.equal(removed, 2);
    assert.doesNotMatch(html, /gtag|googletagmanager/);
    assert.match(html, /<script src="assets\/index\.js"><\/script>/);
    assert.match(html, /d\('data\/suites\.json'/);
    assert.deepEqual(findExternalReferences(html), []);
  });

  test('makeSelfContained rewrites a page with analytics, refuses external style sheets, keeps files untouched', async () => {
    const withAnalytics = mkdtempSync(join(scratch, 'page-'));
    writeFileSync(join(withAnalytics, 'index.html'), allurePage);
    assert.equal(await makeSelfContained(withAnalytics), 2);
    assert.doesNotMatch(readFileSync(join(withAnalytics, 'index.html'), 'utf8'), /gtag/);

    const withFont = mkdtempSync(join(scratch, 'page-'));
    writeFileSync(join(withFont, 'index.html'), allurePage);
    mkdirSync(join(withFont, 'assets'));
    writeFileSync(
      join(withFont, 'assets', 'app.css'),
      'body { font: url("https://fonts.gstatic.com/r.woff2") }',
    );
    await assert.rejects(makeSelfContained(withFont), (err: unknown) => {
      assert.ok(err instanceof ReportError && err.kind === 'not-self-contained', String(err));
      assert.match(err.message, /would load from fonts\.gstatic\.com when opened \(assets\/app\.css: url/);
      return true;
    });
    assert.equal(readFileSync(join(withFont, 'index.html'), 'utf8'), allurePage, 'left as generated');

    await assert.rejects(
      makeSelfContained(mkdtempSync(join(scratch, 'page-'))),
      /reported success but wrote no/,
    );
  });

  test('findExternalReferences finds fonts, styles and images from other hosts, not links or data URLs', () => {
    const page = `<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">
      <style>@font-face { src: url(//fonts.gstatic.com/roboto.woff2) } @import "https://cdn.example.org/x.css";</style>
      <img srcset="a.png 1x, https://img.example.net/b.png 2x">
      <a href="https://github.com/allure-framework">docs</a>
      <script src="data:text/javascript;base64,aHR0cHM6Ly9ldmlsLmV4YW1wbGU="></script>
      <link rel="icon" href="assets/favicon.ico">`;
    assert.deepEqual(
      findExternalReferences(page).map((r) => r.host),
      ['fonts.googleapis.com', 'img.example.net', 'fonts.gstatic.com', 'cdn.example.org'],
    );
  });
});
