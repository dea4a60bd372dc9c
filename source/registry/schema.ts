/** The registry's JSON shapes (registry-api.md), checked with zod. Serials come out normalised, dates as Dates. */
import * as z from '../zod.js';
import { CARD_NUMBER, CARD_NUMBER_RULE } from '../domain/card-number.js';
import { tryNormaliseSerial } from '../domain/serial.js';

type RefinementCtx = { addIssue(issue: { code: 'custom'; message: string; path?: PropertyKey[] }): void };

/** The one card-number rule (domain/card-number.ts): the registry's JSON and its URL path use it too. */
export { CARD_NUMBER };
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export const cardNumberSchema = z.string().check(z.regex(CARD_NUMBER, CARD_NUMBER_RULE.en));

export const serialSchema = z.pipe(z.string(), z.transform((value: string, ctx) => {
  const serial = tryNormaliseSerial(value);
  if (serial === null) {
    ctx.issues.push({ code: 'custom', message: 'not a hexadecimal serial number', input: value });
    return z.NEVER;
  }
  return serial;
}));

export const isoDateString = z.string().check(z.refine((v) => ISO_DATE.test(v) && !Number.isNaN(Date.parse(v)), 'not an ISO 8601 date-time'));
const isoDate = z.pipe(isoDateString, z.transform((v: string) => new Date(v)));

export const statusSchema = z.enum(['valid', 'revoked', 'suspended', 'expired']);

/** Slot 0 is the signature certificate, slot 1 the encryption one; each at most once. */
function slotsWellFormed(certs: ReadonlyArray<{ slot: number; usage: string }>, ctx: RefinementCtx): void {
  const seen = new Set<number>();
  for (const c of certs) {
    if (seen.has(c.slot)) ctx.addIssue({ code: 'custom', message: `slot ${c.slot} listed twice` });
    seen.add(c.slot);
    if ((c.slot === 0) !== (c.usage === 'signature')) ctx.addIssue({ code: 'custom', message: `slot ${c.slot} cannot be ${c.usage}` });
  }
}

/** A validity that ends before it starts is not a certificate's: the whole answer is invalid (registry-invalid). */
function datesInOrder(c: { notBefore: Date | string; notAfter: Date | string }, ctx: RefinementCtx): void {
  if (new Date(c.notBefore).getTime() > new Date(c.notAfter).getTime()) {
    ctx.addIssue({ code: 'custom', message: 'notBefore is after notAfter', path: ['notAfter'] });
  }
}

const certificateFields = {
  slot: z.union([z.literal(0), z.literal(1)]),
  usage: z.enum(['signature', 'encryption']),
  serialNumber: serialSchema,
  status: statusSchema,
  renewedFrom: z.nullable(serialSchema),
};

/** GET /v1/cards/{cardNumber} → 200 */
export const cardResponseSchema = z.object({
  cardNumber: cardNumberSchema,
  certificates: z.array(z.object({ ...certificateFields, notBefore: isoDate, notAfter: isoDate }).check(z.superRefine(datesInOrder))).check(z.maxLength(2), z.superRefine(slotsWellFormed)),
});

/** POST /v1/cards/{cardNumber}/rewrites body. */
export const rewriteRecordSchema = z.object({
  serialNumbers: z.array(serialSchema).check(z.minLength(1), z.maxLength(2)),
  result: z.enum(['completed', 'failed']),
  detail: z.string().check(z.maxLength(2000)),
});
export type RewriteRecordBody = z.infer<typeof rewriteRecordSchema>;

/** The `serve-registry --data FILE` format (RegistryData in types.ts); dates stay strings, serials normalised. */
export const registryDataSchema = z.object({
  cards: z.record(
    cardNumberSchema,
    z.object({
      certificates: z.array(z.object({ ...certificateFields, notBefore: isoDateString, notAfter: isoDateString }).check(z.superRefine(datesInOrder))).check(z.maxLength(2), z.superRefine(slotsWellFormed)),
    }),
  ),
  certificates: z.record(z.string(), z.string().check(z.regex(/^[A-Za-z0-9+/]+={0,2}$/, 'not base64'))),
});

/** zod's complaint in one short line, for error messages. */
export function describeIssues(error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> }): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}
