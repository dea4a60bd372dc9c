/**
 * Start-up of the headless paths: spawn → exit of `--version`, `--help` and `read --demo --json`, the
 * app started as the installed command is (bench/launch.ts), each paired run by run with a bare
 * `node -e "console.log('卡號')"` (B A B A …, both children of this process, output read through a pipe),
 * the ratio taken pair by pair and its median quoted.
 * Needs a built dist/ (npm run build). Prints figures; asserts nothing.
 *   npx tsx bench/startup.ts   (RUNS=9 for more pairs)
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median } from './first-frame.js';
import { root, starts, withBenchNode } from './launch.js';

export interface CommandFigures {
  ms: number;
  nodeBareMs: number;
  ratio: number;
  pairs: number;
}

export interface StartupFigures {
  version: CommandFigures;
  help: CommandFigures;
  readJson: CommandFigures;
  versionRatio: number;
  helpRatio: number;
  readJsonRatio: number;
}

function env(): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = withBenchNode(process.env);
  delete e.NODE_OPTIONS;
  return e;
}

/** spawn → exit of `argv` (a file and its arguments), in ms; rejects on a non-zero exit (a figure of a failing command means nothing). */
function timedRun(argv: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(argv[0]!, argv.slice(1), { cwd: root, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stdout.resume();
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - start;
      if (code === 0) resolve(ms);
      else reject(new Error(`${argv.join(' ')} exited ${code}: ${stderr.trim().split('\n').slice(-2).join(' / ')}`));
    });
  });
}

const r2 = (v: number) => Math.round(v * 100) / 100;

export async function benchCommand(args: readonly string[], pairs: number): Promise<CommandFigures> {
  await timedRun(starts.bare());
  await timedRun(starts.app(args));
  const bare: number[] = [];
  const own: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < pairs; i++) {
    const b = await timedRun(starts.bare());
    const a = await timedRun(starts.app(args));
    bare.push(b);
    own.push(a);
    ratios.push(a / b);
  }
  return { ms: Math.round(median(own)), nodeBareMs: Math.round(median(bare)), ratio: r2(median(ratios)), pairs };
}

export async function benchStartup(pairs = 7): Promise<StartupFigures> {
  const version = await benchCommand(['--version'], pairs);
  const help = await benchCommand(['--help'], pairs);
  const readJson = await benchCommand(['read', '--demo', '--json'], pairs);
  return { version, help, readJson, versionRatio: version.ratio, helpRatio: help.ratio, readJsonRatio: readJson.ratio };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(JSON.stringify(await benchStartup(Number(process.env.RUNS ?? 7))));
}
