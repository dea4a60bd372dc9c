/**
 * The CRL download's progress on stderr in text mode (issue 11 item 5): at a terminal one line redrawn in
 * place (at most every 100 ms) with a bar when the size is known; elsewhere (a pipe, a log) one line when a
 * download starts, so logs stay readable. Never on stdout (that is the result) and never with --json.
 * The URL is ours or from a certificate's CDP: it goes through sanitize().
 */
import type { Writable } from 'node:stream';
import type { Lang } from '../options.js';
import { sanitize } from '../text/sanitize.js';

export interface CrlProgress {
  url: string;
  bytes: number;
  total: number | undefined;
}

const WIDTH = 20;
const mb = (n: number) => (n / 1_000_000).toFixed(1);

export function crlProgressLine(p: CrlProgress, lang: Lang): string {
  const what = lang === 'zh-TW' ? '下載憑證廢止清冊(CRL)' : 'Downloading the CRL';
  if (p.total === undefined || p.total <= 0) return `${what} ${mb(p.bytes)} MB`;
  const done = Math.min(WIDTH, Math.floor((p.bytes / p.total) * WIDTH));
  return `${what} [${'#'.repeat(done)}${'.'.repeat(WIDTH - done)}] ${mb(p.bytes)} / ${mb(p.total)} MB`;
}

export function crlProgressOnStderr(stderr: Writable & { isTTY?: boolean }, lang: Lang, now: () => number = Date.now) {
  const tty = stderr.isTTY === true;
  const started = new Set<string>();
  let last = Number.NEGATIVE_INFINITY;
  let open = false;
  return {
    onProgress(p: CrlProgress): void {
      if (!tty) {
        if (!started.has(p.url)) {
          started.add(p.url);
          stderr.write(`${lang === 'zh-TW' ? '下載憑證廢止清冊(CRL)' : 'Downloading the CRL'}: ${sanitize(p.url)}\n`);
        }
        return;
      }
      const finished = p.total !== undefined && p.bytes >= p.total;
      if (!finished && now() - last < 100) return;
      last = now();
      stderr.write(`\r\u001b[2K${crlProgressLine(p, lang)}`);
      open = true;
      if (finished) this.end();
    },
    /** Ends the redrawn line (called when the command is done, whatever happened). */
    end(): void {
      if (open) stderr.write('\r\u001b[2K');
      open = false;
    },
  };
}
