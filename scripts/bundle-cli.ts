/**
 * `node dist/scripts/bundle-cli.js` (run after tsc by `npm run build`, prepare, pretest and bench):
 * bundle the compiled `nodegroup-api` (dist/src/cli/main.js) into one file,
 * dist/src/cli/nodegroup-api.bundle.js, which bin/nodegroup-api.js loads when it is newer than the
 * last compile. Why: a one-shot command spends most of its own time loading modules. One file
 * instead of ~65 (ours, commander, undici's client), and two modules loaded only when used, take
 * ~17 ms off `nodegroup-api nodegroup list` (bench/cli.bench.ts). Nothing else changes: the bundle
 * is the same code, and what the CLI loads lazily stays a separate file loaded at run time.
 */
import { mkdirSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { writeFileAtomic } from '../src/atomic-file';

/** A module that `importer` requires at load time but uses only later, if ever. */
export interface Deferral {
  /** The specifier exactly as the importer writes it. */
  module: string;
  /** Matches the importer's path. */
  importer: RegExp;
  /** Why loading it later is safe. */
  why: string;
}

export const CLI_DEFERRALS: Deferral[] = [
  {
    module: './client-h2.js',
    importer: /[\\/]node_modules[\\/]undici[\\/]lib[\\/]dispatcher[\\/]client\.js$/,
    why: "undici's HTTP/2 client, and with it node:http2, node:tls and node:crypto, runs only after a server chose h2, which needs allowH2; the transport never sets it",
  },
  {
    module: 'node:child_process',
    importer: /[\\/]node_modules[\\/]commander[\\/]/,
    why: 'commander spawns only executable subcommands, and nodegroup-api has none',
  },
];

/**
 * Specifiers the CLI requires inside the function that needs them (diagnose, `-o yaml`, undici's
 * full index as a fallback): they stay outside the bundle so other commands never parse them.
 */
export const CLI_LAZY = ['../diagnose', '../kube/reader', '../shell', 'yaml', 'undici'];

/** Packages the bundle may hold; anything else means an eager import pulled a library in. */
export const CLI_PACKAGES = ['commander', 'undici'];

/**
 * Replace each deferred module, for its importer only, by a stand-in that requires the real one on
 * first use (a call or a property read) and forwards to it.
 */
export function deferModules(deferrals: Deferral[]): Plugin {
  return {
    name: 'defer-modules',
    setup(b) {
      for (const deferral of deferrals) {
        const filter = new RegExp(`^${deferral.module.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`);
        b.onResolve({ filter }, (args) => {
          // The stand-in's own require goes to the real module.
          if (args.namespace === 'deferred' || !deferral.importer.test(args.importer)) return undefined;
          return {
            path: `${deferral.module} (from ${relative(process.cwd(), args.resolveDir) || '.'})`,
            namespace: 'deferred',
            pluginData: { deferral, resolveDir: args.resolveDir },
          };
        });
      }
      b.onLoad({ filter: /.*/, namespace: 'deferred' }, (args) => {
        const { deferral, resolveDir } = args.pluginData as { deferral: Deferral; resolveDir: string };
        return { contents: standIn(deferral), resolveDir, loader: 'js' };
      });
    },
  };
}

function standIn(deferral: Deferral): string {
  return [
    'let loaded;',
    `const load = () => (loaded ??= require(${JSON.stringify(deferral.module)}));`,
    'module.exports = new Proxy(() => {}, {',
    '  apply: (_target, self, args) => Reflect.apply(load(), self, args),',
    '  get: (_target, key) => load()[key],',
    '});',
    '',
  ].join('\n');
}

/** Keep lazily required modules outside, their specifiers rewritten to resolve from the bundle. */
function keepOutside(lazy: string[], outDir: string): Plugin {
  return {
    name: 'keep-lazy-outside',
    setup(b) {
      const names = new Set(lazy);
      b.onResolve({ filter: /.*/ }, (args) => {
        if (!names.has(args.path)) return undefined;
        if (!args.path.startsWith('.')) return { path: args.path, external: true };
        const fromBundle = relative(outDir, resolve(args.resolveDir, args.path)).replaceAll('\\', '/');
        return { path: fromBundle.startsWith('.') ? fromBundle : `./${fromBundle}`, external: true };
      });
    },
  };
}

export interface BundleOptions {
  entry: string;
  outFile: string;
  deferrals?: Deferral[];
  lazy?: string[];
  /** When given, fail if the bundle holds a package not listed. */
  packages?: string[];
}

export interface BundleResult {
  outFile: string;
  bytes: number;
  /** The bundled files, relative to the working directory. */
  inputs: string[];
}

/** Bundle `entry` (CommonJS, for Node.js 20) into `outFile`, replacing it whole. */
export async function bundle(options: BundleOptions): Promise<BundleResult> {
  const outDir = dirname(resolve(options.outFile));
  const result = await build({
    entryPoints: [options.entry],
    outfile: options.outFile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'warning',
    banner: { js: `// Generated by scripts/bundle-cli.ts from ${basename(options.entry)}: do not edit.` },
    plugins: [deferModules(options.deferrals ?? []), keepOutside(options.lazy ?? [], outDir)],
  });
  const inputs = Object.keys(result.metafile.inputs);
  if (options.packages) {
    const allowed = new Set(options.packages);
    const strays = inputs.filter((file) => {
      const pkg = packageOf(file);
      return pkg !== undefined && !allowed.has(pkg);
    });
    if (strays.length > 0) {
      throw new Error(
        `the CLI bundle took in ${[...new Set(strays.map(packageOf))].join(', ')} (${strays.slice(0, 3).join(', ')}${strays.length > 3 ? ', ...' : ''}): ` +
          'require it inside the function that needs it and list its specifier in CLI_LAZY in scripts/bundle-cli.ts, ' +
          'or, if every command needs it, add the package to CLI_PACKAGES',
      );
    }
  }
  const output = result.outputFiles[0]!;
  mkdirSync(outDir, { recursive: true });
  // Written whole, then renamed: a CLI started meanwhile never reads half a bundle.
  writeFileAtomic(options.outFile, output.contents);
  return { outFile: options.outFile, bytes: output.contents.length, inputs };
}

/** The npm package a bundled file belongs to, or undefined for the project's own files. */
function packageOf(file: string): string | undefined {
  const at = file.lastIndexOf('node_modules/');
  if (at < 0) return undefined;
  const parts = file.slice(at + 'node_modules/'.length).split('/');
  return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

const DIST = join(__dirname, '..');
export const CLI_ENTRY = join(DIST, 'src', 'cli', 'main.js');
export const CLI_BUNDLE = join(DIST, 'src', 'cli', 'nodegroup-api.bundle.js');

export function bundleCli(outFile = CLI_BUNDLE): Promise<BundleResult> {
  return bundle({
    entry: CLI_ENTRY,
    outFile,
    deferrals: CLI_DEFERRALS,
    lazy: CLI_LAZY,
    packages: CLI_PACKAGES,
  });
}

if (require.main === module) {
  bundleCli().then(
    (done) =>
      process.stdout.write(
        `bundled the CLI: ${relative(process.cwd(), done.outFile)} (${done.inputs.length} files, ${Math.round(done.bytes / 1024)} KiB)\n`,
      ),
    (err: Error) => {
      process.stderr.write(`bundle-cli: ${err.message}\n`);
      process.exitCode = 1;
    },
  );
}
