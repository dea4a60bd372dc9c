/**
 * Every date shown to a person is the issuer's: Asia/Taipei, whatever TZ says (issue 14 item 5). Taiwan
 * has kept UTC+8 with no daylight saving since 1979, so the offset is fixed: no ICU time-zone data is
 * needed and the result cannot depend on the machine's zone. JSON keeps ISO 8601 instants (`…Z` from
 * Date#toJSON, or `taipeiIso` with the +08:00 offset spelled out).
 */
export const TAIPEI_OFFSET_MS = 8 * 3_600_000;

const shifted = (d: Date): string => new Date(d.getTime() + TAIPEI_OFFSET_MS).toISOString();

/** `YYYY-MM-DD` in Asia/Taipei. */
export function taipeiDate(d: Date): string {
  return shifted(d).slice(0, 10);
}

/** `YYYY-MM-DD HH:mm` in Asia/Taipei, where a time is shown. */
export function taipeiDateTime(d: Date): string {
  const s = shifted(d);
  return `${s.slice(0, 10)} ${s.slice(11, 16)}`;
}

/**
 * `HH:mm:ss.SSS` in Asia/Taipei: the time of an event (the Output panel, the helpdesk report's log). Fixed
 * offset as above: an Intl.DateTimeFormat with a time zone would load ICU's zone and locale data
 * (≈ 15 ms and ≈ 6 MiB of the binary's pages at start: issue 15) for the same digits.
 */
export function taipeiClock(at: number): string {
  return shifted(new Date(at)).slice(11, 23);
}

/** ISO 8601 with the Taipei offset: `YYYY-MM-DDTHH:mm:ss+08:00` (the same instant as toISOString()). */
export function taipeiIso(d: Date): string {
  return `${shifted(d).slice(0, 19)}+08:00`;
}
