/**
 * `moica-check read [--json]`: card number, both serials and validity. The card only, no network. The card
 * is a PC/SC card, the demo's, or a PKCS#11 token (--pkcs11-token, or --pkcs11-module with no PC/SC card).
 */
import { MoicaError } from '../errors.js';
import type { Options } from '../options.js';
import type { Learned } from '../card/open.js';
import { openCardAccess } from '../engine/card-access.js';
import { cardJson, cardText } from './card-report.js';
import { fail, printJson, type Io, printText } from './io.js';

export async function run(options: Options, io: Io): Promise<number> {
  const learned: Learned = {};
  let opened;
  try {
    opened = await openCardAccess(options, undefined, learned);
  } catch (e) {
    return fail(io, options.json, learned.reader ? { reader: learned.reader } : {}, e);
  }
  try {
    const { info, reader } = opened;
    const doc = { reader, card: cardJson(info) };
    if (!info.consistent) {
      const bad = info.certificates.filter((c) => !c.consistent).map((c) => c.slot);
      const err = new MoicaError('card-inconsistent',
        `The card's certificate directory disagrees with the certificate body in slot ${bad.join(', ')} (an interrupted rewrite?).`, { slots: bad });
      if (!options.json) printText(io.stdout, cardText(reader, info, options.lang));
      return fail(io, options.json, doc, err);
    }
    if (options.json) printJson(io, doc);
    else printText(io.stdout, cardText(reader, info, options.lang));
    return 0;
  } finally {
    await opened.close();
  }
}
