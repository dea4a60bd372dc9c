/**
 * The one key table. Key handling (resolveCommand), the status-bar hints (hintsFor) and the help view
 * (HelpView lists KEYMAP) all read it, so a key cannot work without being shown or be shown without working.
 * Order matters: the first binding whose mode and key match wins.
 */
import type { Key } from 'ink';
import type { Glyphs } from './theme.js';
import type { UiKey } from './i18n.js';

export type Mode = 'main' | 'help' | 'pin' | 'pin-confirm' | 'rewrite-path' | 'rewrite-running' | 'rewrite-result';

export interface KeyContext {
  mode: Mode;
  /** A card with verdict B-1 is on screen. */
  canRewrite: boolean;
  /** A card was read: its status can be checked again. */
  canCheck: boolean;
  demo: boolean;
}

export type Command =
  | 'interrupt' | 'quit' | 'select-prev' | 'select-next' | 'redetect' | 'check' | 'rewrite' | 'help' | 'close'
  | 'scenario' | 'lang' | 'scroll-up' | 'scroll-down' | 'page-up' | 'page-down' | 'pin-digit' | 'pin-backspace' | 'pin-submit' | 'pin-cancel'
  | 'pin-invalid' | 'pin-confirm' | 'pin-confirm-back';

type KeyName = 'escape' | 'return' | 'upArrow' | 'downArrow' | 'pageUp' | 'pageDown' | 'backspace' | 'delete';

export interface KeySpec {
  input?: string;
  name?: KeyName;
  ctrl?: boolean;
  /** Any run of digits (a paste arrives as one input). */
  digits?: boolean;
  /** Any other printable input (refused visibly in the PIN prompt). */
  printable?: boolean;
}

export interface Binding {
  command: Command;
  keys: KeySpec[];
  /** How the key is written in hints and help. */
  label: (glyph: Glyphs) => string;
  /** What it does (ui/i18n.ts). */
  hint: UiKey;
  when: (ctx: KeyContext) => boolean;
  /** Shown in the status bar (Ctrl-C and the arrows in help are not worth the room). */
  inBar: boolean;
  /** Not a key of its own (a refusal): left out of the help. */
  hidden?: boolean;
}

const inMain = (ctx: KeyContext): boolean => ctx.mode === 'main';
const notTyping = (ctx: KeyContext): boolean => ctx.mode !== 'pin' && ctx.mode !== 'pin-confirm' && ctx.mode !== 'rewrite-running';

export const KEYMAP: readonly Binding[] = [
  { command: 'interrupt', keys: [{ input: 'c', ctrl: true }], label: () => 'Ctrl-C', hint: 'key.interrupt', when: () => true, inBar: false },
  // The PIN prompt takes digits and editing keys only: a 'q' typed there is not "quit".
  { command: 'pin-digit', keys: [{ digits: true }], label: () => '0-9', hint: 'key.digits', when: (c) => c.mode === 'pin', inBar: true },
  {
    command: 'pin-backspace',
    // Backspace usually arrives as 0x7F, which Ink 6 reports as `delete`: both erase.
    keys: [{ name: 'backspace' }, { name: 'delete' }],
    label: (g) => (g.ok === '✔' ? '⌫' : 'Bksp'),
    hint: 'key.backspace',
    when: (c) => c.mode === 'pin',
    inBar: true,
  },
  { command: 'pin-submit', keys: [{ name: 'return' }], label: () => 'Enter', hint: 'key.submit', when: (c) => c.mode === 'pin', inBar: true },
  { command: 'pin-cancel', keys: [{ name: 'escape' }], label: () => 'Esc', hint: 'key.cancel', when: (c) => c.mode === 'pin', inBar: true },
  // Letters and other characters are refused with a word on screen, never taken into the PIN.
  { command: 'pin-invalid', keys: [{ printable: true }], label: () => '', hint: 'key.digits', when: (c) => c.mode === 'pin', inBar: false, hidden: true },
  // The last try: y spends it, n or Esc goes back to the prompt with the digits kept.
  { command: 'pin-confirm', keys: [{ input: 'y' }, { input: 'Y' }], label: () => 'y', hint: 'key.confirmLastTry', when: (c) => c.mode === 'pin-confirm', inBar: true },
  {
    command: 'pin-confirm-back',
    keys: [{ input: 'n' }, { input: 'N' }, { name: 'escape' }],
    label: () => 'n/Esc',
    hint: 'key.back',
    when: (c) => c.mode === 'pin-confirm',
    inBar: true,
  },
  {
    command: 'close',
    keys: [{ name: 'escape' }, { input: '?' }, { input: 'h' }],
    label: () => 'Esc',
    hint: 'key.close',
    when: (c) => c.mode === 'help' || c.mode === 'rewrite-path' || c.mode === 'rewrite-result',
    inBar: true,
  },
  { command: 'scroll-up', keys: [{ name: 'upArrow' }, { input: 'k' }], label: (g) => g.upDown, hint: 'key.scroll', when: (c) => c.mode === 'help', inBar: true },
  { command: 'scroll-down', keys: [{ name: 'downArrow' }, { input: 'j' }], label: (g) => g.upDown, hint: 'key.scroll', when: (c) => c.mode === 'help', inBar: false },
  { command: 'page-up', keys: [{ name: 'pageUp' }], label: () => 'PgUp', hint: 'key.scroll', when: (c) => c.mode === 'help', inBar: false },
  { command: 'page-down', keys: [{ name: 'pageDown' }, { input: ' ' }], label: () => 'PgDn', hint: 'key.scroll', when: (c) => c.mode === 'help', inBar: false },
  { command: 'select-prev', keys: [{ name: 'upArrow' }, { input: 'k' }], label: (g) => g.upDown, hint: 'key.select', when: inMain, inBar: true },
  { command: 'select-next', keys: [{ name: 'downArrow' }, { input: 'j' }], label: (g) => g.upDown, hint: 'key.select', when: inMain, inBar: false },
  { command: 'check', keys: [{ input: 'c' }, { name: 'return' }], label: () => 'c', hint: 'key.check', when: (c) => inMain(c) && c.canCheck, inBar: true },
  { command: 'rewrite', keys: [{ input: 'r' }], label: () => 'r', hint: 'key.rewrite', when: (c) => (inMain(c) || c.mode === 'rewrite-result') && c.canRewrite, inBar: true },
  { command: 'redetect', keys: [{ input: 'd' }], label: () => 'd', hint: 'key.redetect', when: inMain, inBar: true },
  { command: 'scenario', keys: [{ input: 's' }], label: () => 's', hint: 'key.scenario', when: (c) => inMain(c) && c.demo, inBar: true },
  { command: 'help', keys: [{ input: '?' }, { input: 'h' }], label: () => '?', hint: 'key.help', when: inMain, inBar: true },
  { command: 'lang', keys: [{ input: 'l' }], label: () => 'l', hint: 'key.lang', when: notTyping, inBar: true },
  { command: 'quit', keys: [{ input: 'q' }], label: () => 'q', hint: 'key.quit', when: notTyping, inBar: true },
];

function matches(spec: KeySpec, input: string, key: Key): boolean {
  if (spec.ctrl === true && !key.ctrl) return false;
  if (spec.ctrl !== true && key.ctrl) return false;
  if (spec.digits) return /^[0-9]+$/.test(input);
  if (spec.printable) return input.length > 0 && !key.meta && !key.escape && !key.return && !/[\u0000-\u001f\u007f]/.test(input);
  if (spec.name !== undefined) return key[spec.name];
  return spec.input === input;
}

export function resolveCommand(input: string, key: Key, ctx: KeyContext): Command | null {
  for (const binding of KEYMAP) {
    if (binding.when(ctx) && binding.keys.some((spec) => matches(spec, input, key))) return binding.command;
  }
  return null;
}

export function hintsFor(ctx: KeyContext): Binding[] {
  return KEYMAP.filter((b) => b.inBar && b.when(ctx));
}
