// Profiles of the runbook runner. Steps and support run as compiled JavaScript (npm run build;
// `nodegroup-runbooks run` compiles first only when a source is newer than the last build).
//   default   all runbooks against an embedded sandbox started in-process (one per worker)
//   dev       the default, with steps and support straight from TypeScript (ts-node, transpile
//             only, no type check): an edited step runs without a build; checkout only
//   live      the environment of --env NAME / RUNBOOK_ENV (environments/NAME.yaml); without one,
//             KUBESPHERE_HOST + KUBECONFIG (context: KUBECONFIG_CONTEXT or world parameter "context")
//   readonly  the @readonly runbooks against the live environment: safe for production
//   smoke     the @smoke runbooks against the sandbox
//   acceptance       features/acceptance against the sandbox: the verdict table in
//                    <reports>/acceptance.md, printed at the end; exit 0 only when ACCEPTED
//   acceptance-live  the same against the live environment (KUBESPHERE_*, KUBECONFIG; NODE and
//                    OTHER_NODE name the nodes it may bind; no sandbox values leak into it)
//   ci        all runbooks against the sandbox, 2 workers, JUnit + message output under reports/
// Every profile writes Allure results to <RUNBOOK_REPORTS_DIR or reports>/allure-results, with the
// evidence of each step attached (support/report.ts); `npm run report` turns them into the report.
const { randomBytes } = require('node:crypto');
const { rmSync } = require('node:fs');
const { devNull } = require('node:os');
const { resolve } = require('node:path');

// One run id for every worker of this run (workers inherit the environment): it names the ledger.
if (!process.env.RUNBOOK_RUN_ID) {
  const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(2, 14);
  process.env.RUNBOOK_RUN_ID = `${stamp}-${randomBytes(3).toString('hex')}`;
}

// A dry run (and a plan) only lists what would run: it must not clear or write the last run's
// results, summary or JUnit/message files, so it gets no file-writing formatter at all.
// `nodegroup-runbooks plan` says so through RUNBOOK_PLAN_DIR (its run's evidence goes to the plan).
const dryRun =
  process.argv.some((a) => a === '--dry-run' || a === '-d' || a === '--plan') ||
  !!process.env.RUNBOOK_PLAN_DIR;

// Allure results of this run, for the formatter and for the hooks writing the run's metadata and
// evidence attachments. RUNBOOK_ALLURE=off leaves both out (the baseline of bench/report.bench.ts).
const allureOn = process.env.RUNBOOK_ALLURE !== 'off' && !dryRun;
const reportsDir = process.env.RUNBOOK_REPORTS_DIR || 'reports';
const allureResults = resolve(reportsDir, 'allure-results');
if (allureOn) process.env.RUNBOOK_ALLURE_RESULTS = allureResults;
else delete process.env.RUNBOOK_ALLURE_RESULTS;
// A new run starts from an empty results folder (an earlier run's results would pass for retries);
// trends live on in the previous report's history/, which `npm run report` carries over.
if (allureOn && process.env.RUNBOOK_ALLURE_RESULTS_RUN !== process.env.RUNBOOK_RUN_ID) {
  rmSync(allureResults, { recursive: true, force: true });
  process.env.RUNBOOK_ALLURE_RESULTS_RUN = process.env.RUNBOOK_RUN_ID;
}
// allure-cucumberjs's formatter, writing without an fsync per file (support/allure-formatter.ts);
// it writes files only (and reports/summary.md), so its stream goes to the null device and
// `progress` keeps stdout. Without Allure, the summary formatter still writes reports/summary.md.
// Paths are the package's own (this file's folder), so an installed runner works from any folder.
const here = (path) => resolve(__dirname, path);
const files = dryRun
  ? []
  : allureOn
    ? [`${here('dist/support/allure-formatter.js')}:${devNull}`]
    : [`${here('dist/support/summary-formatter.js')}:${devNull}`];
// What the run prints: dots, the scenario running on long runs, no attachment dumps (the short
// failures come from the runner's summary: scripts/runbook-summary.ts).
const progress = here('dist/support/progress-formatter.js');

// The runbooks' ${VAR}s come from the environment (--env NAME / RUNBOOK_ENV; the built-in
// `sandbox` has the fixture's names), RUNBOOK_VAR_<NAME> or --world-parameters '{"vars":{...}}'.

// No `paths`: cucumber's default (features/**/*.feature) applies, and paths given on the command
// line replace it instead of being added to it.
const common = {
  require: [here('dist/support/**/*.js'), here('dist/steps/**/*.js')],
  strict: true,
  format: [progress, ...files],
  formatOptions: { resultsDir: allureResults },
};

// The acceptance runbooks and the verdict formatter (support/acceptance-formatter.ts).
const acceptance = {
  ...common,
  paths: ['features/acceptance/**/*.feature'],
  format: [
    ...common.format,
    `${here('dist/support/acceptance-formatter.js')}:${resolve(reportsDir, 'acceptance.md')}`,
  ],
};

module.exports = {
  default: { ...common, worldParameters: { target: 'sandbox' } },
  dev: {
    ...common,
    requireModule: ['ts-node/register/transpile-only'],
    require: [here('support/**/*.ts'), here('steps/**/*.ts')],
    worldParameters: { target: 'sandbox' },
  },
  smoke: { ...common, tags: '@smoke', worldParameters: { target: 'sandbox' } },
  live: { ...common, worldParameters: { target: 'live' } },
  readonly: { ...common, tags: '@readonly', worldParameters: { target: 'live' } },
  acceptance: { ...acceptance, worldParameters: { target: 'sandbox' } },
  'acceptance-live': { ...acceptance, worldParameters: { target: 'live' } },
  ci: {
    ...common,
    parallel: 2,
    format: [
      progress,
      ...files,
      ...(dryRun
        ? []
        : [`junit:${reportsDir}/cucumber-junit.xml`, `message:${reportsDir}/cucumber-messages.ndjson`]),
    ],
    worldParameters: { target: 'sandbox' },
  },
};
