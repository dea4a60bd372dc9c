/** Frame assertions shared by the UI tests. */
import assert from 'node:assert/strict';
import { stripVTControlCharacters } from 'node:util';
import stringWidth from 'string-width';

/** Frame text without borders, spaces or line breaks: a wrapped sentence reads whole again (stacked layout). */
export function squash(text: string): string {
  return stripVTControlCharacters(text).replace(/[\s│╭╮╰╯─|+]/g, '');
}

export function assertContains(frame: string, text: string, what = text): void {
  assert.ok(squash(frame).includes(squash(text)), `${what} not on screen:\n${frame}`);
}

/** No line wider than the terminal, no more than rows - 1 lines. */
export function assertFits(frame: string, columns: number, rows: number): void {
  const lines = stripVTControlCharacters(frame).split('\n');
  assert.ok(lines.length <= rows - 1, `${lines.length} lines on a ${rows}-row terminal:\n${frame}`);
  for (const line of lines) assert.ok(stringWidth(line) <= columns, `line of ${stringWidth(line)} columns on ${columns}: "${line}"`);
}

/** Box edges line up: on every line, each vertical border sits at the same column as in the first framed line. */
export function assertBoxEdges(frame: string): void {
  const lines = stripVTControlCharacters(frame).split('\n');
  const edgeColumns = (line: string): number[] => {
    const cols: number[] = [];
    let col = 0;
    for (const ch of line) {
      if ('│╮╯╭╰'.includes(ch)) cols.push(col);
      col += stringWidth(ch);
    }
    return cols;
  };
  const framed = lines.filter((l) => l.startsWith('│') || l.startsWith('╭') || l.startsWith('╰'));
  const right = Math.max(...framed.map((l) => edgeColumns(l).at(-1) ?? 0));
  for (const line of framed) assert.equal(edgeColumns(line).at(-1), right, `right edge moved: "${line}"`);
}
