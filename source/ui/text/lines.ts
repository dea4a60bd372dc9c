/** A screen line as styled segments, cut and wrapped by display width before Ink sees it. */
import type { Tone } from '../theme.js';
import { displayWidth, truncateToWidth, wrapToWidth } from './width.js';

export interface Segment {
  text: string;
  tone?: Tone;
}
export type Line = Segment[];

export function lineText(line: Line): string {
  return line.map((s) => s.text).join('');
}

/** Cut a line to `width` columns; the last kept segment ends in the ellipsis. */
export function truncateLine(line: Line, width: number, ellipsis: string): Line {
  if (displayWidth(lineText(line)) <= width) return line;
  const out: Line = [];
  let used = 0;
  for (const segment of line) {
    const w = displayWidth(segment.text);
    if (used + w <= width - displayWidth(ellipsis) || (used + w <= width && segment === line.at(-1))) {
      out.push(segment);
      used += w;
      continue;
    }
    out.push({ ...segment, text: truncateToWidth(segment.text, width - used, ellipsis) });
    break;
  }
  return out;
}

/**
 * A paragraph wrapped to `width`: the first line starts with `lead` (a glyph), the following ones are
 * indented by the lead's width so the text stays in one column.
 */
export function paragraph(text: string, width: number, tone?: Tone, lead?: Segment): Line[] {
  const leadWidth = lead ? displayWidth(lead.text) + 1 : 0;
  const rows = wrapToWidth(text, Math.max(1, width - leadWidth));
  return rows.map((row, i) => {
    const body: Segment = { text: row, tone };
    if (!lead) return [body];
    return i === 0 ? [lead, { text: ' ' }, body] : [{ text: ' '.repeat(leadWidth) }, body];
  });
}
