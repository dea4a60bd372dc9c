/**
 * Issue 14 item 5: every date shown to a person is Asia/Taipei's, whatever TZ says: the formatter, the
 * `read`/`check` text, the guidance's dates and the TUI card panel, under TZ=UTC and TZ=America/New_York,
 * for instants just before and after midnight in Taipei.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { taipeiClock, taipeiDate, taipeiDateTime, taipeiIso } from '../../source/text/dates.js';
import { taiwanDate } from '../../source/check/renewal.js';
import { cardText } from '../../source/commands/card-report.js';
import { isoDate } from '../../source/ui/view/context.js';
import { card, holder, SERIAL0, SERIAL1 } from '../check/fixtures.js';

const savedTz = process.env.TZ;
after(() => { if (savedTz === undefined) delete process.env.TZ; else process.env.TZ = savedTz; });

// 2026-12-31 16:30 UTC is 2027-01-01 00:30 in Taipei, and 2026-12-31 11:30 in New York.
const AFTER_MIDNIGHT = new Date('2026-12-31T16:30:00Z');
// 2026-12-31 15:59 UTC is 2026-12-31 23:59 in Taipei.
const BEFORE_MIDNIGHT = new Date('2026-12-31T15:59:00Z');

for (const tz of ['UTC', 'America/New_York', 'Asia/Taipei', 'Pacific/Kiritimati']) {
  test(`TZ=${tz}: dates are Taipei's (YYYY-MM-DD, YYYY-MM-DD HH:mm), JSON-style ISO keeps the instant`, () => {
    process.env.TZ = tz;
    if (tz === 'America/New_York') assert.equal(AFTER_MIDNIGHT.getDate(), 31, 'the zone took effect in this process');
    assert.equal(taipeiDate(AFTER_MIDNIGHT), '2027-01-01');
    assert.equal(taipeiDate(BEFORE_MIDNIGHT), '2026-12-31');
    assert.equal(taipeiDateTime(AFTER_MIDNIGHT), '2027-01-01 00:30');
    assert.equal(taipeiDateTime(BEFORE_MIDNIGHT), '2026-12-31 23:59');
    assert.equal(taipeiIso(AFTER_MIDNIGHT), '2027-01-01T00:30:00+08:00');
    assert.equal(new Date(taipeiIso(AFTER_MIDNIGHT)).getTime(), AFTER_MIDNIGHT.getTime());
    assert.equal(taiwanDate(AFTER_MIDNIGHT), '2027-01-01', 'the guidance');
    assert.equal(isoDate(AFTER_MIDNIGHT), '2027-01-01', 'the TUI card panel');
    assert.equal(isoDate(BEFORE_MIDNIGHT), '2026-12-31', 'the TUI card panel');
    const info = card([SERIAL0, SERIAL1], {
      certificates: [
        holder(0, SERIAL0, { notBefore: BEFORE_MIDNIGHT, notAfter: AFTER_MIDNIGHT }),
        holder(1, SERIAL1, { notBefore: BEFORE_MIDNIGHT, notAfter: AFTER_MIDNIGHT }),
      ],
    });
    const text = cardText('Virtual PCD 00 00', info, 'en');
    assert.match(text, /valid 2026-12-31 – 2027-01-01/, text);
    // JSON: an instant (Date#toJSON), the same whatever the zone.
    assert.equal(JSON.stringify({ at: AFTER_MIDNIGHT }), '{"at":"2026-12-31T16:30:00.000Z"}');
  });
}

test('taipeiClock: the digits ICU writes for Asia/Taipei (en-GB, 24 h) with the milliseconds, over midnights, hours and random instants', () => {
  // The formatter the Output panel and the event log used before (issue 15: ICU's zone data cost ≈ 15 ms at start).
  const icu = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Taipei', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  const instants = [AFTER_MIDNIGHT.getTime(), BEFORE_MIDNIGHT.getTime(), Date.UTC(2026, 11, 31, 16, 0, 0, 0), Date.UTC(2026, 11, 31, 15, 59, 59, 999), Date.UTC(1980, 0, 1), Date.UTC(2099, 5, 30, 23, 59, 59, 1)];
  let seed = 15;
  for (let i = 0; i < 2000; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    instants.push(Date.UTC(1980, 0, 1) + Math.floor((seed / 2 ** 31) * (Date.UTC(2099, 0, 1) - Date.UTC(1980, 0, 1))));
  }
  for (const at of instants) {
    assert.equal(taipeiClock(at), `${icu.format(new Date(at))}.${String(at % 1000).padStart(3, '0')}`, new Date(at).toISOString());
  }
  assert.equal(taipeiClock(Date.UTC(2026, 11, 31, 16, 0, 0, 7)), '00:00:00.007');
});
