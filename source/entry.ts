/**
 * Set on globalThis by tui-entry.ts when the bin started the TUI itself: dist/cli.js, imported later for a
 * chunk of its own (the helpdesk report), then runs no command of its own.
 */
export const TUI_ENTRY = Symbol.for('moica-check.tui-entry');
