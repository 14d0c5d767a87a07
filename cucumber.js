// Profiles of the runbook runner. Steps and support run as compiled JavaScript (npm run build).
//   default   all runbooks against an embedded sandbox started in-process (one per worker)
//   live      KUBESPHERE_HOST + KUBECONFIG (context: KUBECONFIG_CONTEXT or world parameter "context")
//   readonly  the @readonly runbooks against the live environment: safe for production
//   smoke     the @smoke runbooks against the sandbox
//   ci        all runbooks against the sandbox, 2 workers, JUnit + message output under reports/
const { randomBytes } = require('node:crypto');

// One run id for every worker of this run (workers inherit the environment): it names the ledger.
if (!process.env.RUNBOOK_RUN_ID) {
  const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(2, 14);
  process.env.RUNBOOK_RUN_ID = `${stamp}-${randomBytes(3).toString('hex')}`;
}

// Values the runbooks' ${VAR}s take on the sandbox fixture. On live, set them as environment
// variables or --world-parameters '{"vars":{...}}'.
const sandboxVars = {
  NODEGROUP: 'edge-a',
  NODE: 'worker-3',
  OTHER_NODE: 'edge-node-2',
  NAMESPACE: 'monitoring',
  WORKSPACE: 'team-b',
  WORKSPACE_NAMESPACE: 'edge-apps',
};

// No `paths`: cucumber's default (features/**/*.feature) applies, and paths given on the command
// line replace it instead of being added to it.
const common = {
  require: ['dist/support/**/*.js', 'dist/steps/**/*.js'],
  strict: true,
  format: ['progress'],
};

module.exports = {
  default: { ...common, worldParameters: { target: 'sandbox', vars: sandboxVars } },
  smoke: { ...common, tags: '@smoke', worldParameters: { target: 'sandbox', vars: sandboxVars } },
  live: { ...common, worldParameters: { target: 'live' } },
  readonly: { ...common, tags: '@readonly', worldParameters: { target: 'live' } },
  ci: {
    ...common,
    parallel: 2,
    format: ['progress', 'junit:reports/cucumber-junit.xml', 'message:reports/cucumber-messages.ndjson'],
    worldParameters: { target: 'sandbox', vars: sandboxVars },
  },
};
