/**
 * The reader side bar: each reader, whether a card is in it and whether that card is a MOICA card. The
 * selection is marked with a glyph (text), not only colour. Whether a card is MOICA is known once it was
 * read; other cards just show as present.
 */
import type { Lang, ScenarioName } from '../../options.js';
import { t } from '../../i18n/t.js';
import '../../i18n/ui.js';
import type { Line } from '../text/lines.js';
import type { AppState } from '../state/types.js';
import type { ViewContext } from './context.js';
import { outside } from '../text/outside.js';

export type CardKind = 'moica' | 'not-moica' | 'unknown';

/** What the side bar can say about the card in the selected reader. */
export function selectedCardKind(state: AppState): CardKind {
  return cardKind(state.card);
}

/** What a tab's card is, once read (a parked tab's too: the side bar and the tabs agree). */
function cardKind(card: AppState['card']): CardKind {
  if (card.phase === 'read-failed') return card.error.code === 'not-moica' ? 'not-moica' : 'unknown';
  if (card.phase === 'checking' || card.phase === 'checked' || card.phase === 'check-failed') return 'moica';
  return 'unknown';
}

export function readerLines(ctx: ViewContext, state: AppState, compact: boolean): Line[] {
  const { lang, theme } = ctx;
  const g = theme.glyph;
  const { readers } = state;
  if (!readers.serviceUp) return [[{ text: `${g.error} ${t(lang, 'readers.pcscDown')}`, tone: 'error' }]];
  if (readers.list.length === 0) return [[{ text: `${g.cardOut} ${t(lang, 'readers.empty')}`, tone: 'muted' }]];
  const lines: Line[] = [];
  for (const reader of readers.list) {
    const selected = reader.name === readers.selected;
    const parked = state.tabs[reader.name];
    const kind = selected ? selectedCardKind(state) : parked !== undefined && parked.card.key !== null ? cardKind(parked.card) : 'unknown';
    const cardWord = !reader.cardPresent
      ? `${g.cardOut} ${t(lang, 'readers.noCard')}`
      : kind === 'moica'
        ? `${g.cardIn} ${t(lang, 'readers.moica')}`
        : kind === 'not-moica'
          ? `${g.cardIn} ${t(lang, 'readers.notMoica')}`
          : `${g.cardIn} ${t(lang, 'readers.card')}`;
    const tone = !reader.cardPresent ? 'muted' : kind === 'not-moica' ? 'warn' : kind === 'moica' ? 'ok' : 'plain';
    const mark = { text: `${selected ? g.selected : g.unselected} `, tone: selected ? ('selected' as const) : undefined };
    const name = { text: outside(reader.name), tone: selected ? ('selected' as const) : undefined };
    if (compact) lines.push([mark, name, { text: '  ' }, { text: cardWord, tone }]);
    else lines.push([mark, name], [{ text: '   ' }, { text: cardWord, tone }]);
  }
  return lines;
}

/** A demo scenario as the UI's language names it (有效, 需重寫 … in zh-TW; the flag's name in English). */
export function scenarioName(lang: Lang, name: ScenarioName | null): string {
  return name === null ? '' : t(lang, `scenario.${name}`);
}

export function scenarioLines(ctx: ViewContext, scenarios: readonly ScenarioName[], current: ScenarioName | null): Line[] {
  const g = ctx.theme.glyph;
  return [
    [{ text: t(ctx.lang, 'readers.scenarios'), tone: 'title' }],
    ...scenarios.map((name): Line => [{ text: `${name === current ? g.selected : g.unselected} ${scenarioName(ctx.lang, name)}`, tone: name === current ? 'selected' : 'muted' }]),
  ];
}
