/**
 * The first frame's line ("title · starting..."), shared by the Boot component and the pre-paint
 * (source/pre-paint.ts), which writes the same bytes before anything heavy loads. Kept free of Ink,
 * React and string-width, and its words in their own small catalogue (i18n/boot.ts), so that the
 * pre-paint stays cheap.
 */
import type { Lang } from '../options.js';
import { text } from '../i18n/shelf.js';
import type { BootKey } from '../i18n/boot.js';
import '../i18n/boot.js';
import { makeTheme, type Tone } from './theme.js';

export interface BootLineProps {
  lang: Lang;
  color: boolean;
  ascii: boolean;
}

/** The tone the starting line is drawn in. */
export const STARTING_TONE: Tone = 'muted';

/** The starting line before it is cut to the terminal's width (it fits in PREPAINT_MIN_COLUMNS - 1). */
export function startingLine(props: BootLineProps): string {
  const theme = makeTheme(props);
  const say = (key: BootKey) => text(props.lang, key);
  return `${say('app.title')} ${theme.glyph.sep.trim()} ${say('app.starting')}`;
}

/** Below this many columns the pre-paint is skipped (the line would be cut; a test holds the line under it). */
export const PREPAINT_MIN_COLUMNS = 60;
