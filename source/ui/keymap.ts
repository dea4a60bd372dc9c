/**
 * The one key table. Key handling (resolveCommand), the status-bar hints (hintsFor) and the help view
 * (HelpView lists KEYMAP) all read it, so a key cannot work without being shown or be shown without working.
 * The command palette (view/palette.ts) lists it too: every binding but the editing keys (palette: false),
 * with its name and description, dimmed with `why` when its `when` is false. Order matters: the first
 * binding whose mode and key match wins.
 */
import type { Key } from 'ink';
import type { Glyphs } from './theme.js';
import type { UiKey } from '../i18n/ui.js';

export type Mode = 'main' | 'help' | 'pin' | 'pin-confirm' | 'certificates' | 'rewrite-path' | 'rewrite-running' | 'rewrite-result' | 'palette' | 'report';

export interface KeyContext {
  mode: Mode;
  /** A card with verdict B-1 is on screen. */
  canRewrite: boolean;
  /** A card was read: its status can be checked again. */
  canCheck: boolean;
  demo: boolean;
  /** With the palette open: the mode under it (what its commands are judged by). */
  under?: Mode;
  /** The focus panel (result and guidance, rewrite, help) has more than the screen shows. */
  canScroll?: boolean;
  /** The Output panel: closed, a bottom panel, or the whole screen (short terminals). */
  output?: 'closed' | 'panel' | 'full';
  /** An error is on screen (a read, check, rewrite or certificate file failed): the report key is hinted. */
  error?: boolean;
  /** Readers holding a card: one tab each; Tab / Shift-Tab switch between two or more. */
  tabs?: number;
  /** Some tab (shown or not) is writing a card: leaving, re-detecting and the demo's card swap wait. */
  writing?: boolean;
}

/** What a key does in the TUI (not the CLI's subcommand, options.ts Command). */
export type UiCommand =
  | 'interrupt' | 'quit' | 'select-prev' | 'select-next' | 'redetect' | 'check' | 'rewrite' | 'help' | 'close'
  | 'scenario' | 'lang' | 'scroll-up' | 'scroll-down' | 'page-up' | 'page-down' | 'pin-digit' | 'pin-backspace' | 'pin-submit' | 'pin-cancel'
  | 'pin-invalid' | 'pin-confirm' | 'pin-confirm-back'
  | 'cert-type' | 'cert-backspace' | 'cert-submit' | 'cert-cancel'
  | 'palette' | 'palette-close' | 'palette-run' | 'palette-prev' | 'palette-next' | 'palette-backspace' | 'palette-type'
  | 'report' | 'report-close'
  | 'output' | 'output-up' | 'output-down' | 'output-end' | 'output-line-up' | 'output-line-down'
  | 'tab-next' | 'tab-prev';

type KeyName = 'escape' | 'return' | 'upArrow' | 'downArrow' | 'pageUp' | 'pageDown' | 'end' | 'backspace' | 'delete' | 'tab' | 'f1';

/**
 * A key as the keymap reads it: the flags of Ink's Key it matches on (an Ink Key is one), plus F1 (Ink
 * parses it but reports no flag for it: ui/hooks/use-function-keys.ts does).
 */
export type KeyPress = Pick<Key, 'ctrl' | 'meta' | Exclude<KeyName, 'f1' | 'tab'>> & { f1?: boolean; tab?: boolean; shift?: boolean };

/** One key event: what the keymap matches (`input`, `key`) and the text its command takes (`text`). */
export interface KeyEvent {
  input: string;
  key: KeyPress;
  text: string;
}

export interface KeySpec {
  input?: string;
  name?: KeyName;
  ctrl?: boolean;
  /** Set: the key only with (true) or without (false) Shift (Tab and Shift-Tab). */
  shift?: boolean;
  /** Any run of digits (a paste arrives as one input). */
  digits?: boolean;
  /** Any other printable input (refused visibly in the PIN prompt; the palette's filter line). */
  printable?: boolean;
}

export interface Binding {
  command: UiCommand;
  keys: KeySpec[];
  /** How the key is written in hints and help. */
  label: (glyph: Glyphs) => string;
  /** What it does (i18n/ui.ts). */
  hint: UiKey;
  when: (ctx: KeyContext) => boolean;
  /** Shown in the status bar (Ctrl-C and the arrows in help are not worth the room); a function: only when it holds. */
  inBar: boolean | ((ctx: KeyContext) => boolean);
  /** Not a key of its own (a refusal): left out of the help. */
  hidden?: boolean;
  /** The palette's name for it, when the hint is shared with other bindings or too short; else the hint. */
  name?: UiKey;
  /** The palette's one-line description. Required unless `palette: false`. */
  desc?: UiKey;
  /** Why `when` is false (the palette shows it beside the dimmed entry); a generic reason when absent. */
  why?: (ctx: KeyContext) => UiKey | undefined;
  /** false: an editing key (PIN digits, the palette's own keys), not a command the palette lists. */
  palette?: false;
}

const inMain = (ctx: KeyContext): boolean => ctx.mode === 'main';
const notTyping = (ctx: KeyContext): boolean =>
  ctx.mode !== 'pin' && ctx.mode !== 'pin-confirm' && ctx.mode !== 'certificates' && ctx.mode !== 'rewrite-running' && ctx.mode !== 'palette';
const inPalette = (ctx: KeyContext): boolean => ctx.mode === 'palette';
/** The Output panel scrolls wherever the help does not take PgUp/PgDn and no prompt takes the keys. */
const outputScrolls = (c: KeyContext): boolean =>
  (c.output ?? 'closed') !== 'closed' && ['main', 'rewrite-path', 'rewrite-running', 'rewrite-result'].includes(c.mode);
const outputFull = (c: KeyContext): boolean => c.output === 'full' && c.mode === 'main';
const outputClosed = (c: KeyContext): UiKey | undefined => ((c.output ?? 'closed') === 'closed' ? 'why.outputClosed' : undefined);
/** The helpdesk report can be written from anywhere but a prompt, a running rewrite (it reads the card) and its own panel. */
const canReport = (c: KeyContext): boolean => notTyping(c) && c.mode !== 'report' && c.writing !== true;
const noCard = (ctx: KeyContext): UiKey | undefined => (ctx.mode === 'main' && !ctx.canCheck ? 'why.noCard' : undefined);
/**
 * The card tabs switch wherever the screens show a card and no prompt takes the keys: also while the shown
 * tab writes (a rewrite in one tab never keeps the others from being read and checked).
 */
const tabsSwitch = (c: KeyContext): boolean => (c.tabs ?? 0) > 1 && ['main', 'rewrite-running', 'rewrite-result'].includes(c.mode);
const oneCard = (c: KeyContext): UiKey | undefined => ((c.tabs ?? 0) > 1 ? undefined : 'why.oneCard');
/** Some tab writes a card: what would close its card access (re-detect, the demo's swap) or leave waits. */
const writing = (c: KeyContext): UiKey | undefined => (c.writing === true ? 'why.rewriting' : undefined);

export const KEYMAP: readonly Binding[] = [
  { command: 'interrupt', keys: [{ input: 'c', ctrl: true }], label: () => 'Ctrl-C', hint: 'key.interrupt', when: () => true, inBar: false, name: 'cmd.interrupt', desc: 'desc.interrupt' },
  // The palette: Ctrl-P and F1, and ':' for terminals that keep those for themselves. Its own keys come
  // first while it is open, so a 'q' typed in the filter is text, not "quit".
  {
    command: 'palette',
    keys: [{ input: 'p', ctrl: true }, { name: 'f1' }, { input: ':' }],
    label: () => 'Ctrl-P',
    hint: 'key.palette',
    when: (c) => c.mode !== 'pin' && c.mode !== 'pin-confirm' && c.mode !== 'certificates' && c.mode !== 'palette',
    inBar: true,
    palette: false,
  },
  { command: 'palette-close', keys: [{ name: 'escape' }, { input: 'p', ctrl: true }], label: () => 'Esc', hint: 'key.close', when: inPalette, inBar: true, palette: false },
  { command: 'palette-run', keys: [{ name: 'return' }], label: () => 'Enter', hint: 'key.run', when: inPalette, inBar: true, palette: false },
  { command: 'palette-prev', keys: [{ name: 'upArrow' }], label: (g) => g.upDown, hint: 'key.choose', when: inPalette, inBar: true, palette: false },
  { command: 'palette-next', keys: [{ name: 'downArrow' }], label: (g) => g.upDown, hint: 'key.choose', when: inPalette, inBar: false, palette: false },
  {
    command: 'palette-backspace',
    keys: [{ name: 'backspace' }, { name: 'delete' }],
    label: (g) => (g.ok === '✔' ? '⌫' : 'Bksp'),
    hint: 'key.backspace',
    when: inPalette,
    inBar: false,
    palette: false,
  },
  { command: 'palette-type', keys: [{ printable: true }], label: () => 'abc', hint: 'key.filter', when: inPalette, inBar: true, palette: false },
  // The certificate file's path (no registry): any printable text, editing keys, Enter adds it, Esc cancels.
  { command: 'cert-submit', keys: [{ name: 'return' }], label: () => 'Enter', hint: 'key.addFile', when: (c) => c.mode === 'certificates', inBar: true, palette: false },
  {
    command: 'cert-backspace',
    keys: [{ name: 'backspace' }, { name: 'delete' }],
    label: (g) => (g.ok === '✔' ? '⌫' : 'Bksp'),
    hint: 'key.backspace',
    when: (c) => c.mode === 'certificates',
    inBar: true,
    palette: false,
  },
  { command: 'cert-cancel', keys: [{ name: 'escape' }], label: () => 'Esc', hint: 'key.cancel', when: (c) => c.mode === 'certificates', inBar: true, palette: false },
  { command: 'cert-type', keys: [{ printable: true }, { digits: true }], label: () => 'abc', hint: 'key.path', when: (c) => c.mode === 'certificates', inBar: true, palette: false },
  // The PIN prompt takes digits and editing keys only: a 'q' typed there is not "quit".
  { command: 'pin-digit', keys: [{ digits: true }], label: () => '0-9', hint: 'key.digits', when: (c) => c.mode === 'pin', inBar: true, palette: false },
  {
    command: 'pin-backspace',
    // Backspace usually arrives as 0x7F, which Ink 6 reports as `delete`: both erase.
    keys: [{ name: 'backspace' }, { name: 'delete' }],
    label: (g) => (g.ok === '✔' ? '⌫' : 'Bksp'),
    hint: 'key.backspace',
    when: (c) => c.mode === 'pin',
    inBar: true,
    palette: false,
  },
  { command: 'pin-submit', keys: [{ name: 'return' }], label: () => 'Enter', hint: 'key.submit', when: (c) => c.mode === 'pin', inBar: true, palette: false },
  { command: 'pin-cancel', keys: [{ name: 'escape' }], label: () => 'Esc', hint: 'key.cancel', when: (c) => c.mode === 'pin', inBar: true, palette: false },
  // Letters and other characters are refused with a word on screen, never taken into the PIN.
  { command: 'pin-invalid', keys: [{ printable: true }], label: () => '', hint: 'key.digits', when: (c) => c.mode === 'pin', inBar: false, hidden: true, palette: false },
  // The last try: y spends it, n or Esc goes back to the prompt with the digits kept.
  { command: 'pin-confirm', keys: [{ input: 'y' }, { input: 'Y' }], label: () => 'y', hint: 'key.confirmLastTry', when: (c) => c.mode === 'pin-confirm', inBar: true, palette: false },
  {
    command: 'pin-confirm-back',
    keys: [{ input: 'n' }, { input: 'N' }, { name: 'escape' }],
    label: () => 'n/Esc',
    hint: 'key.back',
    when: (c) => c.mode === 'pin-confirm',
    inBar: true,
    palette: false,
  },
  {
    command: 'close',
    keys: [{ name: 'escape' }, { input: '?' }, { input: 'h' }],
    label: () => 'Esc',
    hint: 'key.close',
    when: (c) => c.mode === 'help' || c.mode === 'rewrite-path' || c.mode === 'rewrite-result',
    inBar: true,
    name: 'cmd.close',
    desc: 'desc.close',
    why: () => 'why.nothingOpen',
  },
  { command: 'scroll-up', keys: [{ name: 'upArrow' }, { input: 'k' }], label: (g) => g.upDown, hint: 'key.scroll', when: (c) => c.mode === 'help', inBar: true, name: 'cmd.scrollUp', desc: 'desc.scrollUp', why: () => 'why.helpOnly' },
  { command: 'scroll-down', keys: [{ name: 'downArrow' }, { input: 'j' }], label: (g) => g.upDown, hint: 'key.scroll', when: (c) => c.mode === 'help', inBar: false, name: 'cmd.scrollDown', desc: 'desc.scrollDown', why: () => 'why.helpOnly' },
  { command: 'page-up', keys: [{ name: 'pageUp' }], label: () => 'PgUp', hint: 'key.scroll', when: (c) => c.mode === 'help', inBar: false, name: 'cmd.pageUp', desc: 'desc.pageUp', why: () => 'why.helpOnly' },
  { command: 'page-down', keys: [{ name: 'pageDown' }, { input: ' ' }], label: () => 'PgDn', hint: 'key.scroll', when: (c) => c.mode === 'help', inBar: false, name: 'cmd.pageDown', desc: 'desc.pageDown', why: () => 'why.helpOnly' },
  // The result, guidance and rewrite panels page when the screen is too small for them (↑↓ stay the readers').
  {
    command: 'page-down',
    keys: [{ name: 'pageDown' }, { input: ' ' }],
    label: () => 'PgDn',
    hint: 'key.page',
    when: (c) => c.canScroll === true && (c.mode === 'main' || c.mode === 'rewrite-result' || c.mode === 'rewrite-path' || c.mode === 'rewrite-running'),
    inBar: true,
    palette: false,
  },
  {
    command: 'page-up',
    keys: [{ name: 'pageUp' }],
    label: () => 'PgUp',
    hint: 'key.page',
    when: (c) => c.canScroll === true && (c.mode === 'main' || c.mode === 'rewrite-result' || c.mode === 'rewrite-path' || c.mode === 'rewrite-running'),
    inBar: false,
    palette: false,
  },
  // In the PIN prompt the space is refused like any non-digit; the page keys still page.
  { command: 'page-down', keys: [{ name: 'pageDown' }], label: () => 'PgDn', hint: 'key.page', when: (c) => c.canScroll === true && (c.mode === 'pin' || c.mode === 'pin-confirm'), inBar: false, palette: false },
  { command: 'page-up', keys: [{ name: 'pageUp' }], label: () => 'PgUp', hint: 'key.page', when: (c) => c.canScroll === true && (c.mode === 'pin' || c.mode === 'pin-confirm'), inBar: false, palette: false },
  // Full-screen Output (short terminals): the arrows scroll it, since the readers are not on screen.
  { command: 'output-line-up', keys: [{ name: 'upArrow' }], label: (g) => g.upDown, hint: 'key.scroll', when: outputFull, inBar: true, name: 'cmd.outputLineUp', desc: 'desc.outputLineUp', why: outputClosed },
  { command: 'output-line-down', keys: [{ name: 'downArrow' }], label: (g) => g.upDown, hint: 'key.scroll', when: outputFull, inBar: false, name: 'cmd.outputLineDown', desc: 'desc.outputLineDown', why: outputClosed },
  { command: 'select-prev', keys: [{ name: 'upArrow' }, { input: 'k' }], label: (g) => g.upDown, hint: 'key.select', when: inMain, inBar: true, name: 'cmd.selectPrev', desc: 'desc.selectPrev' },
  { command: 'select-next', keys: [{ name: 'downArrow' }, { input: 'j' }], label: (g) => g.upDown, hint: 'key.select', when: inMain, inBar: false, name: 'cmd.selectNext', desc: 'desc.selectNext' },
  { command: 'check', keys: [{ input: 'c' }, { name: 'return' }], label: () => 'c', hint: 'key.check', when: (c) => inMain(c) && c.canCheck, inBar: true, name: 'cmd.check', desc: 'desc.check', why: noCard },
  {
    command: 'rewrite',
    keys: [{ input: 'r' }],
    label: () => 'r',
    hint: 'key.rewrite',
    when: (c) => (inMain(c) || c.mode === 'rewrite-result') && c.canRewrite,
    inBar: true,
    name: 'cmd.rewrite',
    desc: 'desc.rewrite',
    why: (c) => noCard(c) ?? (c.mode === 'main' ? 'why.notB1' : undefined),
  },
  // Shift-Tab first: a Tab with Shift is the previous tab, not the next.
  { command: 'tab-prev', keys: [{ name: 'tab', shift: true }], label: () => 'Shift-Tab', hint: 'key.tabPrev', when: tabsSwitch, inBar: false, name: 'cmd.tabPrev', desc: 'desc.tabPrev', why: oneCard },
  { command: 'tab-next', keys: [{ name: 'tab', shift: false }], label: () => 'Tab', hint: 'key.tab', when: tabsSwitch, inBar: true, name: 'cmd.tabNext', desc: 'desc.tabNext', why: oneCard },
  { command: 'redetect', keys: [{ input: 'd' }], label: () => 'd', hint: 'key.redetect', when: (c) => inMain(c) && c.writing !== true, inBar: true, name: 'cmd.redetect', desc: 'desc.redetect', why: writing },
  {
    command: 'scenario',
    keys: [{ input: 's' }],
    label: () => 's',
    hint: 'key.scenario',
    when: (c) => inMain(c) && c.demo && c.writing !== true,
    inBar: true,
    name: 'cmd.scenario',
    desc: 'desc.scenario',
    why: (c) => (c.demo ? writing(c) : 'why.demoOnly'),
  },
  { command: 'help', keys: [{ input: '?' }, { input: 'h' }], label: () => '?', hint: 'key.help', when: inMain, inBar: true, name: 'cmd.help', desc: 'desc.help' },
  // The helpdesk report: works (and is in the palette and the help) always; hinted in the bar on any error.
  {
    command: 'report',
    keys: [{ input: 'e' }],
    label: () => 'e',
    hint: 'key.report',
    when: canReport,
    inBar: (c) => c.error === true,
    name: 'cmd.report',
    desc: 'desc.report',
    // Another tab writing counts too: the report reads the cards.
    why: (c) => (c.mode === 'rewrite-running' || c.writing === true ? 'why.rewriting' : undefined),
  },
  { command: 'report-close', keys: [{ name: 'escape' }, { name: 'return' }, { input: 'e' }], label: () => 'Esc', hint: 'key.close', when: (c) => c.mode === 'report', inBar: true, palette: false },
  {
    command: 'output',
    keys: [{ input: 'o' }],
    label: () => 'o',
    hint: 'key.output',
    // While a rewrite writes too: the log is where its steps show.
    when: (c) => ['main', 'help', 'rewrite-path', 'rewrite-running', 'rewrite-result'].includes(c.mode),
    inBar: true,
    name: 'cmd.output',
    desc: 'desc.output',
  },
  // [ and ] always page the Output panel; PgUp/PgDn do too when no other panel takes them (bindings above win).
  { command: 'output-up', keys: [{ input: '[' }, { name: 'pageUp' }], label: () => '[', hint: 'key.scroll', when: outputScrolls, inBar: false, name: 'cmd.outputUp', desc: 'desc.outputUp', why: outputClosed },
  { command: 'output-down', keys: [{ input: ']' }, { name: 'pageDown' }], label: () => ']', hint: 'key.scroll', when: outputScrolls, inBar: false, name: 'cmd.outputDown', desc: 'desc.outputDown', why: outputClosed },
  { command: 'output-end', keys: [{ name: 'end' }], label: () => 'End', hint: 'key.scroll', when: outputScrolls, inBar: false, name: 'cmd.outputEnd', desc: 'desc.outputEnd', why: outputClosed },
  { command: 'lang', keys: [{ input: 'l' }], label: () => 'l', hint: 'key.lang', when: notTyping, inBar: true, name: 'cmd.lang', desc: 'desc.lang' },
  // While another tab writes, q waits as Ctrl-C does (app.tsx): leaving never interrupts a write.
  { command: 'quit', keys: [{ input: 'q' }], label: () => 'q', hint: 'key.quit', when: notTyping, inBar: true, name: 'cmd.quit', desc: 'desc.quit' },
];

function matches(spec: KeySpec, input: string, key: KeyPress): boolean {
  if (spec.ctrl === true && !key.ctrl) return false;
  if (spec.ctrl !== true && key.ctrl) return false;
  if (spec.shift !== undefined && spec.shift !== (key.shift === true)) return false;
  if (spec.digits) return /^[0-9]+$/.test(input);
  if (spec.printable) return input.length > 0 && !key.meta && !key.escape && !key.return && !/[\u0000-\u001f\u007f]/.test(input);
  if (spec.name !== undefined) return key[spec.name] === true;
  return spec.input === input;
}

export function resolveCommand(input: string, key: KeyPress, ctx: KeyContext): UiCommand | null {
  for (const binding of KEYMAP) {
    if (binding.when(ctx) && binding.keys.some((spec) => matches(spec, input, key))) return binding.command;
  }
  return null;
}

/**
 * One chunk from the terminal as the key events it stands for. A paste or a fast typist delivers several
 * keys in one chunk ("123456\r"); in the PIN prompt each character counts on its own, so the chunk is
 * taken apart. The palette's filter line likewise ("ab\x7F\x7F" from a fast typist is two letters and two
 * erasures). The certificate prompt's path line too: a pasted path is one piece of text, not a run of
 * commands. Elsewhere a chunk of plain keys ("sss", "jjk") is each key in turn; an escape sequence stays
 * whole. A character taken apart is a key of its own: Enter (CR, LF), Delete (0x7F), Backspace (0x08), or
 * the character typed.
 */
export function keyEvents(input: string, key: KeyPress, mode: Mode): KeyEvent[] {
  const entry = mode === 'pin' || mode === 'palette' || mode === 'certificates';
  const typed = mode === 'pin' ? /^[0-9]+$/ : /^[^\u0000-\u001f\u007f]+$/;
  const chunk = !entry && input.length > 1 && /^[\x20-\x7e]+$/.test(input) && !key.meta;
  if (!chunk && !(entry && input.length > 1 && !typed.test(input))) return [{ input, key, text: input }];
  return [...input].map((ch) => {
    const control = ch === '\r' || ch === '\n' || ch === '\u007F' || ch === '\b';
    return { input: control ? '' : ch, key: { ...key, return: ch === '\r' || ch === '\n', delete: ch === '\u007F', backspace: ch === '\b' }, text: ch };
  });
}

export function hintsFor(ctx: KeyContext): Binding[] {
  return KEYMAP.filter((b) => (typeof b.inBar === 'function' ? b.inBar(ctx) : b.inBar) && b.when(ctx));
}
