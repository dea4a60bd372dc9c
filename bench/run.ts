/**
 * `npm run bench`: every benchmark of the project in one report, each figure beside its goal. Text table
 * by default; `npm run -s bench -- --json` prints one JSON object (the -s keeps npm's banner off stdout).
 *
 * Each bench runs in a child process of its own (`--one NAME`): libpcsclite reads PCSCLITE_CSOCK_NAME once
 * per process, and two benches start private pcscd rigs of their own; a child also keeps one bench's
 * memory out of the next one's figures. A bench that is missing or fails leaves its fields null, with a note.
 *
 * Goals (issue 15; ratios are medians of paired runs against a bare `node -e "console.log('卡號')"` started
 * by the same bench process; the app is started as the installed command is, by its shebang:
 * bench/launch.ts): first paint ≤ 1.2×, Ink's first frame ≤ 1.7×, the demo's panels with the verdict ≤ 3.5×;
 * `--version` ≤ 1.3×, `--help` ≤ 1.3×, `read --demo --json` ≤ 2.0×; the TUI's peak RSS through a full demo
 * check (by pid) ≤ 90 MiB; a full read ≤ 16 APDUs; the check's network wave ≤ 1.2× its
 * slowest single request (measured with 50 ms added to every answer, as a network would: on a bare loopback
 * the ratio is mostly noise); a rewrite ≤ 1.2× the minimum APDU count; the CRL (412,000 entries)
 * answered warm ≤ 0.2 s, cold ≤ 1.5 s, peak RSS ≤ 150 MiB (issue 11).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

type Figures = Record<string, unknown>;

const BENCHES: Record<string, () => Promise<Figures>> = {
  'first-frame': async () => (await import('./first-frame.js')).measureFirstFrame(5) as unknown as Figures,
  startup: async () => (await import('./startup.js')).benchStartup(7) as unknown as Figures,
  read: async () => (await import('./read.js')).benchRead({ rounds: 3 }) as unknown as Figures,
  'check-wave': async () => (await import('./check-wave.js')).benchCheckWave({ rounds: 5, delayMs: 50 }) as unknown as Figures,
  rewrite: async () => (await import('./rewrite.js')).benchRewrite() as unknown as Figures,
  crl: async () => (await import('./crl.js')).benchCrl() as unknown as Figures,
};

interface Goal {
  field: string;
  from: string;
  /** Where the value sits in that bench's figures. */
  key: string;
  goal: string;
  pass?: (v: number) => boolean;
  /** The absolute figures behind a ratio, for the text report. */
  detail?: (f: Figures) => string;
}

const ms = (v: unknown) => `${String(v)} ms`;
const ff = (key: string) => (f: Figures) => `${ms(f[key])} vs bare node ${ms(f.nodeBareMs)}`;
const cmd = (key: string) => (f: Figures) => {
  const c = f[key] as { ms?: number; nodeBareMs?: number } | undefined;
  return `${ms(c?.ms)} vs bare node ${ms(c?.nodeBareMs)}`;
};

const GOALS: Goal[] = [
  { field: 'firstPaintRatio', from: 'first-frame', key: 'firstPaintRatio', goal: '≤ 1.2× bare node (first text of any kind)', pass: (v) => v <= 1.2, detail: ff('firstPaintMs') },
  { field: 'inkFrameRatio', from: 'first-frame', key: 'inkFrameRatio', goal: "≤ 1.7× bare node (Ink's first frame)", pass: (v) => v <= 1.7, detail: ff('inkFrameMs') },
  { field: 'verdictRatio', from: 'first-frame', key: 'verdictRatio', goal: '≤ 3.5× bare node (demo: spawn → panels with the verdict)', pass: (v) => v <= 3.5, detail: ff('verdictMs') },
  { field: 'verdictViaNodeRatio', from: 'first-frame', key: 'verdictViaNodeRatio', goal: 'figure: the same started as node bin/moica-check.js (without the shebang\'s node option)', detail: ff('verdictViaNodeMs') },
  { field: 'versionRatio', from: 'startup', key: 'versionRatio', goal: '≤ 1.3× bare node (--version)', pass: (v) => v <= 1.3, detail: cmd('version') },
  { field: 'helpRatio', from: 'startup', key: 'helpRatio', goal: '≤ 1.3× bare node (--help)', pass: (v) => v <= 1.3, detail: cmd('help') },
  { field: 'readJsonRatio', from: 'startup', key: 'readJsonRatio', goal: '≤ 2.0× bare node (read --demo --json)', pass: (v) => v <= 2.0, detail: cmd('readJson') },
  { field: 'peakRssMiB', from: 'first-frame', key: 'peakRssMiB', goal: '≤ 90 MiB (TUI through a full demo check, by pid)', pass: (v) => v <= 90 },
  { field: 'readApdus', from: 'read', key: 'readApdus', goal: '≤ 16 APDUs', pass: (v) => v <= 16 },
  { field: 'readMs', from: 'read', key: 'readMs', goal: 'card in → read done (figure)' },
  { field: 'checkWaveRatio', from: 'check-wave', key: 'ratio', goal: '≤ 1.2× slowest single request', pass: (v) => v <= 1.2 },
  { field: 'rewriteApduRatio', from: 'rewrite', key: 'rewriteApduRatio', goal: '≤ 1.2× minimum', pass: (v) => v <= 1.2 },
  { field: 'crlWarmMs', from: 'crl', key: 'crlWarmMs', goal: '≤ 200 ms (412,000-entry CRL, scan cached)', pass: (v) => v <= 200 },
  { field: 'crlColdMs', from: 'crl', key: 'crlColdMs', goal: '≤ 1500 ms (read + signature + scan)', pass: (v) => v <= 1500 },
  { field: 'crlPeakRssMiB', from: 'crl', key: 'crlPeakRssMiB', goal: '≤ 150 MiB', pass: (v) => v <= 150 },
];

/** Runs one bench in a child; resolves to its figures, or to a note saying why there are none. */
function runChild(name: string): Promise<{ figures: Figures | null; note?: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--one', name], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.once('close', (code) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      try {
        const parsed = JSON.parse(last) as { figures?: Figures; error?: string };
        if (parsed.figures) return resolve({ figures: parsed.figures });
        return resolve({ figures: null, note: `${name}: ${parsed.error ?? 'no figures'}` });
      } catch {
        resolve({ figures: null, note: `${name}: exited ${code}${stderr ? `: ${stderr.trim().split('\n').slice(-3).join(' / ')}` : ''}` });
      }
    });
  });
}

async function one(name: string): Promise<void> {
  const bench = BENCHES[name];
  try {
    if (bench === undefined) throw new Error(`no bench named ${name}`);
    process.stdout.write(`\n${JSON.stringify({ figures: await bench() })}\n`);
    process.exit(0);
  } catch (e) {
    const missing = (e as { code?: string }).code === 'ERR_MODULE_NOT_FOUND';
    process.stdout.write(`\n${JSON.stringify({ error: missing ? 'bench not written yet' : e instanceof Error ? e.message : String(e) })}\n`);
    process.exit(1);
  }
}

const round = (v: number) => Math.round(v * 100) / 100;

async function report(json: boolean): Promise<void> {
  const results: Record<string, Figures | null> = {};
  const notes: string[] = [];
  for (const name of Object.keys(BENCHES)) {
    if (!json) process.stderr.write(`bench ${name}…\n`);
    const r = await runChild(name);
    results[name] = r.figures;
    if (r.note) notes.push(r.note);
  }
  const rows = GOALS.map((g) => {
    const raw = results[g.from]?.[g.key];
    const value = typeof raw === 'number' ? round(raw) : null;
    const figures = results[g.from];
    return { ...g, value, ok: value === null || g.pass === undefined ? null : g.pass(value), text: figures && g.detail ? g.detail(figures) : undefined };
  });
  if (json) {
    const doc: Record<string, unknown> = {};
    for (const r of rows) doc[r.field] = r.value;
    doc.goals = Object.fromEntries(rows.map((r) => [r.field, r.goal]));
    doc.pass = Object.fromEntries(rows.map((r) => [r.field, r.ok]));
    doc.details = results;
    doc.notes = notes;
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    return;
  }
  const width = Math.max(...rows.map((r) => r.field.length));
  const lines = ['moica-check benchmarks', ''];
  for (const r of rows) {
    const mark = r.ok === null ? ' ' : r.ok ? '✔' : '✖';
    lines.push(`${mark} ${r.field.padEnd(width)}  ${String(r.value ?? 'null').padStart(8)}   goal ${r.goal}${r.text ? `: ${r.text}` : ''}`);
  }
  if (notes.length > 0) lines.push('', ...notes.map((n) => `note: ${n}`));
  process.stdout.write(`${lines.join('\n')}\n`);
}

const args = process.argv.slice(2);
const oneAt = args.indexOf('--one');
if (oneAt >= 0) await one(args[oneAt + 1] ?? '');
else await report(args.includes('--json'));
