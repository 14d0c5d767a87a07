/**
 * The built-in environment `sandbox`: the embedded sandbox each worker starts for itself, with the
 * values the runbooks' ${VAR}s take on its fixture. The default when no environment is named.
 */
import { DEFAULT_CREDENTIALS, type Environment } from './file';

export const SANDBOX_ENVIRONMENT = 'sandbox';

/** The fixture's names (src/sandbox/fixture.ts) the runbooks act on. */
export const SANDBOX_VARS: Readonly<Record<string, string>> = {
  NODEGROUP: 'edge-a',
  NODE: 'worker-3',
  OTHER_NODE: 'edge-node-2',
  NAMESPACE: 'monitoring',
  WORKSPACE: 'team-b',
  WORKSPACE_NAMESPACE: 'edge-apps',
  // features/operations/: objects no test runbook touches, so what operations keep in a worker's
  // sandbox never meets a test scenario of the same worker.
  SITE: 'edge-site-1',
  SITE_MANAGER: 'admin',
  SITE_NODE: 'worker-1',
  SITE_NAMESPACE: 'demo-app',
  MOVE_NODE: 'worker-2',
  FROM_GROUP: 'edge-rack-1',
  TO_GROUP: 'edge-rack-2',
  OLD_SITE: 'edge-old-1',
  OLD_SITE_NODE: 'master-1',
  OLD_SITE_NAMESPACE: 'demo-db',
};

export function sandboxEnvironment(): Environment {
  return {
    name: SANDBOX_ENVIRONMENT,
    kind: 'sandbox',
    description: 'the embedded sandbox (one per worker, started and stopped by the run)',
    vars: { ...SANDBOX_VARS },
    protected: false,
    credentials: { ...DEFAULT_CREDENTIALS },
  };
}
