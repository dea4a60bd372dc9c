/** What every line builder needs: language, theme, the width it may use, and "today". */
import type { Lang } from '../../options.js';
import type { Theme } from '../theme.js';

export interface ViewContext {
  lang: Lang;
  theme: Theme;
  width: number;
  now: Date;
  /** The spinner's current frame while something is read, checked or downloaded. */
  spinner?: string;
}

export function isoDate(d: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

const DAY = 86_400_000;

/** Whole days from `now` to `then` (negative when past). */
export function daysBetween(now: Date, then: Date): number {
  return Math.floor((then.getTime() - now.getTime()) / DAY);
}
