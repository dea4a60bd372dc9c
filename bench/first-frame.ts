/**
 * Time to the TUI's first frame: `node bin/moica-check.js --demo` in a pseudo-terminal (util-linux
 * `script`, 80×24), from spawn to the first box edge on the terminal, against a bare `node -e 0` in the
 * same run; plus the TUI's peak RSS (VmHWM). Needs a built dist/ (npm run build) and a working --demo.
 * Prints figures; asserts nothing.
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';

export interface FirstFrameFigures {
  firstFrameMs: number;
  nodeBareMs: number;
  firstFrameRatio: number;
  peakRssMiB: number;
  /** Until the panels (the first box edge) are up: the engine built and the readers listed. */
  panelsMs: number;
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color', LANG: 'zh_TW.UTF-8' };
  // Ink renders nothing until exit when it believes it runs in CI.
  delete env.CI;
  delete env.CONTINUOUS_INTEGRATION;
  delete env.GITHUB_ACTIONS;
  return env;
}

function descendants(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      for (const c of children ? children.split(' ').map(Number) : []) out.push(c, ...descendants(c));
    }
  } catch {
    // gone already
  }
  return out;
}

function peakRssKiB(pid: number): number {
  try {
    const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    if (comm !== 'node' && comm !== 'MainThread') return 0;
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function bareNodeMs(): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', () => resolve(performance.now() - start));
  });
}

function firstFrame(timeoutMs = 30_000): Promise<{ ms: number; panelsMs: number; rssKiB: number }> {
  return new Promise((resolve, reject) => {
    const command = `stty cols 80 rows 24; exec ${JSON.stringify(process.execPath)} bin/moica-check.js --demo`;
    const start = performance.now();
    const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: root, env: childEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let firstMs: number | null = null;
    let panelsMs: number | null = null;
    let rss = 0;
    const sample = setInterval(() => {
      for (const pid of descendants(child.pid!)) rss = Math.max(rss, peakRssKiB(pid));
    }, 20);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no frame within ${timeoutMs} ms; output so far: ${JSON.stringify(output.slice(0, 300))}`));
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      // The first frame: the first visible text Ink draws (escape sequences alone do not count).
      if (firstMs === null && stripVTControlCharacters(output).trim() !== '') firstMs = performance.now() - start;
      if (panelsMs === null && /[╭+]─|[╭+]-/.test(output)) {
        panelsMs = performance.now() - start;
        // Let it finish reading and checking the demo card (RSS peaks there), then quit with q.
        setTimeout(() => child.stdin.write('q'), 1500);
      }
    });
    child.on('error', reject);
    child.on('exit', () => {
      clearInterval(sample);
      clearTimeout(timer);
      if (firstMs === null || panelsMs === null) reject(new Error(`the TUI exited without its panels: ${JSON.stringify(output.slice(0, 300))}`));
      else resolve({ ms: firstMs, panelsMs, rssKiB: rss });
    });
  });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function measureFirstFrame(runs = 3): Promise<FirstFrameFigures> {
  const bare: number[] = [];
  const frames: number[] = [];
  const panels: number[] = [];
  let peak = 0;
  for (let i = 0; i < runs; i++) {
    bare.push(await bareNodeMs());
    const r = await firstFrame();
    frames.push(r.ms);
    panels.push(r.panelsMs);
    peak = Math.max(peak, r.rssKiB);
  }
  const firstFrameMs = median(frames);
  const nodeBareMs = median(bare);
  return {
    firstFrameMs: Math.round(firstFrameMs),
    nodeBareMs: Math.round(nodeBareMs),
    firstFrameRatio: Math.round((firstFrameMs / nodeBareMs) * 100) / 100,
    peakRssMiB: Math.round((peak / 1024) * 10) / 10,
    panelsMs: Math.round(median(panels)),
  };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const figures = await measureFirstFrame(Number(process.env.RUNS ?? 3));
  console.log(JSON.stringify(figures));
}
