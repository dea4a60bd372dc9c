/**
 * A command on a real pseudo-terminal (test/commands/pty-driver.py, Debian's python3): what it prints, typing
 * into it, and the terminal's ECHO flag at any moment. Waits are on output, never fixed sleeps.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const DRIVER = fileURLToPath(new URL('./pty-driver.py', import.meta.url));

export class Pty {
  output = '';
  exitCode: number | null | undefined;
  private readonly child: ChildProcessWithoutNullStreams;
  private pending = '';
  private echoWaiters: ((on: boolean) => void)[] = [];
  private listeners: (() => void)[] = [];

  constructor(argv: string[], env: NodeJS.ProcessEnv) {
    this.child = spawn('/usr/bin/python3', [DRIVER, ...argv], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => {
      this.pending += chunk;
      let nl: number;
      while ((nl = this.pending.indexOf('\n')) !== -1) {
        const msg = JSON.parse(this.pending.slice(0, nl)) as { out?: string; echo?: boolean; exit?: number };
        this.pending = this.pending.slice(nl + 1);
        if (msg.out !== undefined) this.output += msg.out;
        if (msg.echo !== undefined) this.echoWaiters.shift()?.(msg.echo);
        if (msg.exit !== undefined) this.exitCode = msg.exit;
      }
      for (const l of this.listeners) l();
    });
    this.child.on('close', () => { if (this.exitCode === undefined) this.exitCode = null; for (const l of this.listeners) l(); });
  }

  private send(msg: object): void {
    this.child.stdin.write(`${JSON.stringify(msg)}\n`);
  }

  type(text: string): void {
    this.send({ write: text });
  }

  signal(name: NodeJS.Signals): void {
    this.send({ signal: name });
  }

  /** The terminal's ECHO flag now. */
  echo(): Promise<boolean> {
    return new Promise((resolve) => { this.echoWaiters.push(resolve); this.send({ echo: true }); });
  }

  /** Until `pattern` shows in the output (from `from` on), or the process ended, or the time limit. */
  waitFor(pattern: RegExp | string, from = 0, ms = 30_000): Promise<void> {
    const seen = () => (typeof pattern === 'string' ? this.output.indexOf(pattern, from) !== -1 : pattern.test(this.output.slice(from)));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { done(); reject(new Error(`never saw ${String(pattern)} in: ${this.output}`)); }, ms);
      const check = () => {
        if (seen()) { done(); resolve(); } else if (this.exitCode !== undefined) { done(); reject(new Error(`exited (${this.exitCode}) before ${String(pattern)}: ${this.output}`)); }
      };
      const done = () => { clearTimeout(timer); this.listeners = this.listeners.filter((l) => l !== check); };
      this.listeners.push(check);
      check();
    });
  }

  /** Until the process ended; its exit code. */
  exited(ms = 30_000): Promise<number | null> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { done(); this.child.kill('SIGKILL'); reject(new Error(`did not exit: ${this.output}`)); }, ms);
      const check = () => { if (this.exitCode !== undefined) { done(); resolve(this.exitCode); } };
      const done = () => { clearTimeout(timer); this.listeners = this.listeners.filter((l) => l !== check); };
      this.listeners.push(check);
      check();
    });
  }

  close(): void {
    this.child.stdin.end();
  }
}
