/**
 * The card's report of a torn certificate directory: a commit cut across two writes leaves a directory
 * that does not parse, and the card read says so as card-inconsistent with `directory: 'unreadable'` and
 * the card number (card/moica.ts). One predicate for it: the card access opens such a card in its 'torn'
 * state (engine/card-access.ts), the step machine puts the directory back from the backup (check/rewrite.ts).
 */
import { isMoicaError, type MoicaError } from '../errors.js';

export function isTornDirectory(e: unknown): e is MoicaError {
  return isMoicaError(e, 'card-inconsistent') && e.detail.directory === 'unreadable' && typeof e.detail.cardNumber === 'string';
}
