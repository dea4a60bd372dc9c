/**
 * Every string the TUI shows that came from outside (a card, a certificate, the registry, OCSP, a reader
 * name, an error's detail) passes here: the one sanitize() gate (source/text/sanitize.ts), so an escape
 * sequence in a registry or certificate field is shown as inert text, never run by the terminal.
 */
import { sanitize } from '../../text/sanitize.js';

export function outside(text: string): string {
  return sanitize(text);
}
