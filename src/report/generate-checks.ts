/**
 * What report generation checks before it starts Java: that the results folder holds Allure 2
 * results (and, when it does not, what it holds instead), and that a Java runtime starts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ReportError } from './generate-errors';

const RESULT_SUFFIX = '-result.json';
/** Files allure-cucumberjs and the metadata writer put beside the results; not results themselves. */
const COMPANIONS =
  /-container\.json$|-attachment(\.[\w-]+)?$|^(environment\.properties|executor\.json|categories\.json|history)$/;

const HOW_TO_GET_RESULTS =
  'run the runbooks first (npm start, or npm run runbooks), which write Allure results there, ' +
  'or pass --results with the folder a run wrote';

/** Check `dir` holds Allure 2 results and return how many; a ReportError saying what is wrong otherwise. */
export function inspectResults(dir: string): { results: number } {
  if (!existsSync(dir))
    throw new ReportError('no-results', `no results to report: ${dir} does not exist; ${HOW_TO_GET_RESULTS}`);
  if (!statSync(dir).isDirectory())
    throw new ReportError(
      'other-layout',
      `${dir} is a file, not a folder of Allure results; pass --results with the folder a run wrote`,
    );
  const names = readdirSync(dir);
  const results = names.filter((n) => n.endsWith(RESULT_SUFFIX));
  if (results.length === 0) {
    const others = names.filter((n) => !COMPANIONS.test(n));
    if (others.length === 0)
      throw new ReportError(
        'no-results',
        `no results to report: ${dir} holds no Allure result (*${RESULT_SUFFIX}); ${HOW_TO_GET_RESULTS}`,
      );
    throw new ReportError(
      'other-layout',
      `${dir} is not a folder of Allure 2 results: ${describeLayout(dir, others)}, and no *${RESULT_SUFFIX} ` +
        `file. Point --results at the folder allure-cucumberjs writes (reports/allure-results by default)`,
    );
  }
  for (const name of results) {
    const problem = resultProblem(join(dir, name));
    if (problem)
      throw new ReportError(
        'other-layout',
        `${join(dir, name)} is not an Allure 2 result (${problem}); the folder seems to come from another ` +
          `tool or a damaged run: run the runbooks again, or remove the file`,
      );
  }
  return { results: results.length };
}

function resultProblem(path: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    return `not JSON: ${(err as Error).message}`;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'not a JSON object';
  const { uuid, name } = parsed as { uuid?: unknown; name?: unknown };
  if (typeof uuid !== 'string' || typeof name !== 'string') return 'no "uuid" and "name" strings';
  return undefined;
}

/** Name what a folder of non-Allure files looks like, so the user knows which run wrote it. */
function describeLayout(dir: string, names: string[]): string {
  const kinds = new Set<string>();
  for (const name of names) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      const nested = readdirSync(path).some((n) => n.endsWith(RESULT_SUFFIX));
      kinds.add(nested ? `Allure results one level down (--results ${path})` : `a folder ${name}/`);
      continue;
    }
    if (name.endsWith('-testsuite.xml')) kinds.add(`Allure 1 results (${name})`);
    else if (name.endsWith('.ndjson')) kinds.add(`cucumber messages (${name})`);
    else if (name.endsWith('.xml') && head(path).includes('<testsuite')) kinds.add(`JUnit XML (${name})`);
    else if (name.endsWith('.json') && isCucumberJson(path)) kinds.add(`cucumber JSON (${name})`);
    else if (name.endsWith('.html')) kinds.add(`an HTML page (${name})`);
    else kinds.add(name);
  }
  const list = [...kinds];
  return `it holds ${list.slice(0, 5).join(', ')}${list.length > 5 ? ` and ${list.length - 5} more` : ''}`;
}

/** cucumber's json formatter writes an array of features, each with its scenarios under "elements". */
function isCucumberJson(path: string): boolean {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    return (
      Array.isArray(parsed) && parsed.every((f) => typeof f === 'object' && f !== null && 'elements' in f)
    );
  } catch {
    return false;
  }
}

function head(path: string): string {
  return readFileSync(path, 'utf8').slice(0, 400);
}

/** The java allure-commandline's launcher would start: $JAVA_HOME's, else the one on PATH. */
function javaCommand(env: NodeJS.ProcessEnv): string {
  if (!env.JAVA_HOME) return 'java';
  const sh = join(env.JAVA_HOME, 'jre', 'sh', 'java');
  return existsSync(sh) ? sh : join(env.JAVA_HOME, 'bin', 'java');
}

const INSTALL_JAVA =
  'allure-commandline needs Java (17 recommended) to generate the report. Install it (Debian/Ubuntu: ' +
  'apt-get install openjdk-17-jre-headless; RHEL/Fedora: dnf install java-17-openjdk-headless; macOS: ' +
  'brew install openjdk@17), or set JAVA_HOME to an installed JDK/JRE';

/** Throw a ReportError naming the missing or broken Java, with how to install it. */
export function checkJava(env: NodeJS.ProcessEnv): void {
  const command = javaCommand(env);
  const run = spawnSync(command, ['-version'], { env, encoding: 'utf8', timeout: 60_000 });
  if (run.status === 0) return;
  const notFound = (run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
  const what = notFound
    ? env.JAVA_HOME
      ? `JAVA_HOME is ${env.JAVA_HOME}, but there is no ${command}`
      : 'JAVA_HOME is not set and there is no java on PATH'
    : `\`${command} -version\` failed: ${
        run.error
          ? run.error.message
          : `exit ${run.status ?? run.signal}, ${firstLine(run.stderr || run.stdout)}`
      }`;
  throw new ReportError('java-missing', `Java is missing: ${what}. ${INSTALL_JAVA}`);
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}
