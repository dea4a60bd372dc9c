/**
 * The TUI's start-up, each figure measured on the process it names: `bin/moica-check.js --demo` started as
 * the installed command is (its shebang runs node: bench/launch.ts) in a pseudo-terminal (util-linux
 * `script`, 80×24), paired run by run with a bare `node -e "console.log('卡號')"` in the same
 * pseudo-terminal set-up (B A B A …, both children of this process), the ratio taken pair by pair and its
 * median quoted:
 * - first paint: spawn → the first visible text the app writes (whatever writes it);
 * - Ink's first frame: spawn → the first visible text after Ink hid the cursor (log-update's first write),
 *   so a line written before Ink loads does not count as Ink's frame;
 * - panels with the verdict: spawn → the result panel's "判定 B-1" (the demo card read and checked);
 *   also for `node bin/moica-check.js --demo` (no shebang, so without its node options), run in the same
 *   rounds: a figure beside the goal, not the goal's;
 * - peak RSS: the high-water mark (VmHWM in /proc/<pid>/status) of the processes of the spawned tree,
 *   found by pid (the child and its descendants, never by process name), sampled while it runs and once
 *   more when the verdict is on screen, before `q` ends it. The largest is the TUI's node process.
 * Needs a built dist/ (npm run build) and a working --demo. Prints figures; asserts nothing.
 *   npx tsx bench/first-frame.ts   (RUNS=5 for more pairs)
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { root, starts, withBenchNode } from './launch.js';

export interface FirstFrameFigures {
  /** Bare node's spawn → its text in the same pseudo-terminal set-up (median). */
  nodeBareMs: number;
  firstPaintMs: number;
  firstPaintRatio: number;
  inkFrameMs: number;
  inkFrameRatio: number;
  /** The first box edge: the engine built and the readers listed. */
  panelsMs: number;
  verdictMs: number;
  verdictRatio: number;
  /** The same, started as `node bin/moica-check.js --demo` (without the shebang's node options). */
  verdictViaNodeMs: number;
  verdictViaNodeRatio: number;
  peakRssMiB: number;
  pairs: number;
}

/** Ink's log-update hides the cursor right before its first frame. */
const INK_CURSOR_HIDE = '\u001B[?25l';
const VERDICT = /判定 [ABC]/;

function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = withBenchNode({ ...process.env, TERM: 'xterm-256color', LANG: 'zh_TW.UTF-8' });
  // Ink renders nothing until exit when it believes it runs in CI.
  delete env.CI;
  delete env.CONTINUOUS_INTEGRATION;
  delete env.GITHUB_ACTIONS;
  delete env.LC_ALL;
  return env;
}

/** The pids of `pid`'s descendants (children of every thread, recursively). */
export function descendants(pid: number): number[] {
  const out: number[] = [];
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out; // gone already
  }
  for (const task of tasks) {
    let children = '';
    try {
      children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
    } catch {
      continue;
    }
    for (const c of children ? children.split(' ').map(Number) : []) out.push(c, ...descendants(c));
  }
  return out;
}

/** VmHWM of one process, by pid (0 once it is gone). */
export function highWaterKiB(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** The largest VmHWM among `pid` and its descendants. */
export function treeHighWaterKiB(pid: number): number {
  let max = highWaterKiB(pid);
  for (const p of descendants(pid)) max = Math.max(max, highWaterKiB(p));
  return max;
}

interface PtyRun {
  firstTextMs: number;
  inkFrameMs: number | null;
  panelsMs: number | null;
  verdictMs: number | null;
  rssKiB: number;
}

/**
 * Runs `argv` (bench/launch.ts: a file and its arguments) in a pseudo-terminal. With `untilVerdict`, waits
 * for the verdict, reads the tree's high-water mark, then quits with q; otherwise waits for the process to
 * end by itself.
 */
function ptyRun(argv: readonly string[], untilVerdict: boolean, timeoutMs = 30_000): Promise<PtyRun> {
  return new Promise((resolve, reject) => {
    const quoted = argv.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
    const command = `stty cols 80 rows 24; exec ${quoted}`;
    const start = performance.now();
    const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: root, env: childEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let firstTextMs: number | null = null;
    let inkFrameMs: number | null = null;
    let panelsMs: number | null = null;
    let verdictMs: number | null = null;
    let rss = 0;
    const sampleRss = () => {
      if (child.pid !== undefined) rss = Math.max(rss, treeHighWaterKiB(child.pid));
    };
    const sampler = untilVerdict ? setInterval(sampleRss, 50) : undefined;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no verdict within ${timeoutMs} ms; output so far: ${JSON.stringify(stripVTControlCharacters(output).slice(0, 300))}`));
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      const now = performance.now() - start;
      output += chunk.toString('utf8');
      const visible = stripVTControlCharacters(output);
      if (firstTextMs === null && visible.trim() !== '') firstTextMs = now;
      if (inkFrameMs === null) {
        const hidden = output.indexOf(INK_CURSOR_HIDE);
        if (hidden >= 0 && stripVTControlCharacters(output.slice(hidden)).trim() !== '') inkFrameMs = now;
      }
      if (panelsMs === null && /[╭+]─|[╭+]-/.test(visible)) panelsMs = now;
      if (untilVerdict && verdictMs === null && VERDICT.test(visible)) {
        verdictMs = now;
        sampleRss();
        child.stdin.write('q');
      }
    });
    child.on('error', reject);
    child.on('exit', () => {
      clearInterval(sampler);
      clearTimeout(timer);
      if (firstTextMs === null) reject(new Error('no output at all'));
      else if (untilVerdict && verdictMs === null) reject(new Error(`the TUI exited without a verdict: ${JSON.stringify(stripVTControlCharacters(output).slice(0, 300))}`));
      else resolve({ firstTextMs, inkFrameMs, panelsMs, verdictMs, rssKiB: rss });
    });
  });
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const r2 = (v: number) => Math.round(v * 100) / 100;

export async function measureFirstFrame(pairs = 5): Promise<FirstFrameFigures> {
  // One unpaired warm-up of each: page cache, the demo's key cache, V8's code cache of the TUI (code-cache.ts).
  await ptyRun(starts.bare(), false);
  await ptyRun(starts.app(['--demo']), true);
  await ptyRun(starts.viaNode(['--demo']), true);
  const bare: number[] = [];
  const paint: number[] = [];
  const ink: number[] = [];
  const panels: number[] = [];
  const verdict: number[] = [];
  const paintRatio: number[] = [];
  const inkRatio: number[] = [];
  const verdictRatio: number[] = [];
  const viaNode: number[] = [];
  const viaNodeRatio: number[] = [];
  let peak = 0;
  for (let i = 0; i < pairs; i++) {
    const b = (await ptyRun(starts.bare(), false)).firstTextMs;
    const r = await ptyRun(starts.app(['--demo']), true);
    const n = await ptyRun(starts.viaNode(['--demo']), true);
    if (r.inkFrameMs === null || r.panelsMs === null || r.verdictMs === null || n.verdictMs === null) throw new Error('a figure is missing from the run');
    bare.push(b);
    paint.push(r.firstTextMs);
    ink.push(r.inkFrameMs);
    panels.push(r.panelsMs);
    verdict.push(r.verdictMs);
    paintRatio.push(r.firstTextMs / b);
    inkRatio.push(r.inkFrameMs / b);
    verdictRatio.push(r.verdictMs / b);
    viaNode.push(n.verdictMs);
    viaNodeRatio.push(n.verdictMs / b);
    peak = Math.max(peak, r.rssKiB, n.rssKiB);
  }
  return {
    nodeBareMs: Math.round(median(bare)),
    firstPaintMs: Math.round(median(paint)),
    firstPaintRatio: r2(median(paintRatio)),
    inkFrameMs: Math.round(median(ink)),
    inkFrameRatio: r2(median(inkRatio)),
    panelsMs: Math.round(median(panels)),
    verdictMs: Math.round(median(verdict)),
    verdictRatio: r2(median(verdictRatio)),
    verdictViaNodeMs: Math.round(median(viaNode)),
    verdictViaNodeRatio: r2(median(viaNodeRatio)),
    peakRssMiB: Math.round((peak / 1024) * 10) / 10,
    pairs,
  };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const figures = await measureFirstFrame(Number(process.env.RUNS ?? 5));
  console.log(JSON.stringify(figures));
}
