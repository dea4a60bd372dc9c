/** What every line builder needs: language, theme, the width it may use, and "today". */
import type { Lang } from '../../options.js';
import type { Theme } from '../theme.js';
import type { CrlDownload } from '../engine.js';
import { taipeiDate } from '../../text/dates.js';

export interface ViewContext {
  lang: Lang;
  theme: Theme;
  width: number;
  now: Date;
  /** The spinner's current frame while something is read, checked or downloaded. */
  spinner?: string;
  /** The CRL download the shown check waits on (the result panel draws its bar). */
  crl?: CrlDownload;
}

/** A date in the card panel: YYYY-MM-DD in Asia/Taipei, whatever TZ says (source/text/dates.ts). */
export function isoDate(d: Date): string {
  return taipeiDate(d);
}

const DAY = 86_400_000;

/** Whole days from `now` to `then` (negative when past). */
export function daysBetween(now: Date, then: Date): number {
  return Math.floor((then.getTime() - now.getTime()) / DAY);
}
