/**
 * The built bin (bin/moica-check.js) in a real pseudo-terminal (util-linux `script`), for the tests that
 * need the terminal the app really runs in: the pre-paint's bytes, the code cache of a real start.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '../..');

/**
 * Runs the bin in a pseudo-terminal (80×24 unless `size` says otherwise) until `done(output)` or its exit.
 * Then it ends it: with SIGKILL, or, given `quit`, by typing those keys and waiting for it to exit on its
 * own. Variables set to undefined in `extraEnv` are removed; CI and colour variables are unless given.
 */
export function inPty(
  args: string[],
  extraEnv: Record<string, string | undefined>,
  done: (out: string) => boolean,
  { size = 'cols 80 rows 24', quit }: { size?: string; quit?: string } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const quoted = [process.execPath, 'bin/moica-check.js', ...args].map((a) => `'${a}'`).join(' ');
    const childEnv: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color', ...extraEnv };
    for (const k of ['CI', 'CONTINUOUS_INTEGRATION', 'GITHUB_ACTIONS', 'NO_COLOR', 'FORCE_COLOR', 'INK_SCREEN_READER']) if (!(k in extraEnv)) delete childEnv[k];
    for (const [k, v] of Object.entries(extraEnv)) if (v === undefined) delete childEnv[k];
    const child = spawn('script', ['-qfec', `stty ${size}; exec ${quoted}`, '/dev/null'], { cwd: root, env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let finished = false;
    let quitting = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      resolve(out);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out; output: ${JSON.stringify(out.slice(0, 400))}`));
    }, 20_000);
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      if (quitting || !done(out)) return;
      if (quit === undefined) finish();
      else {
        quitting = true;
        child.stdin.write(quit);
      }
    });
    child.on('error', reject);
    child.on('exit', finish);
  });
}
