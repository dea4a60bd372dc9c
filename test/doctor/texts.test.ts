/** doctor's texts: every one in both languages, with the same parameters, and reports render in both. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DOCTOR_TEXTS, type DoctorTextKey } from '../../source/i18n/doctor.js';
import { t as doctorText } from '../../source/i18n/t.js';
import { doctorJson, doctorTextReport } from '../../source/doctor/report.js';
import { clockLine } from '../../source/doctor/network.js';
import { doctorExitCode } from '../../source/doctor/run.js';
import type { DoctorLine, DoctorReport } from '../../source/doctor/types.js';

const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const CJK = /[\u4e00-\u9fff]/;

test('every doctor text exists in zh-TW and en, non-empty, with the same parameters', () => {
  for (const [key, both] of Object.entries(DOCTOR_TEXTS)) {
    assert.ok(both.en.trim().length > 0 && both['zh-TW'].trim().length > 0, key);
    assert.deepEqual(params(both['zh-TW']), params(both.en), `${key}: parameters differ`);
    // The English text is English (the one Chinese term the tool names on purpose aside).
    assert.equal(CJK.test(both.en.replace('自然人憑證', '')), false, `${key}: CJK in the English text`);
  }
  // Lines that say something went wrong in zh-TW are in Chinese, not English left untranslated.
  for (const key of Object.keys(DOCTOR_TEXTS) as DoctorTextKey[]) {
    if (key.endsWith('.next') || key.startsWith('label.')) assert.ok(CJK.test(DOCTOR_TEXTS[key]['zh-TW']), key);
  }
});

test('a parameter naming a text is translated; a missing one is left visible', () => {
  // The ATR is named (issue 12 item 2): a known name, or "not on the list" for a card the probe found MOICA.
  assert.equal(doctorText('en', 'card.ok', { kind: 'card.kind.gen2', number: 'TP03130708163649', atr: '3B', atrName: 'card.atr-unlisted' }),
    'MOICA citizen certificate card, generation 2, card number TP03130708163649, ATR 3B (not on the list of MOICA ATRs; it answered the MOICA probe).');
  assert.match(doctorText('zh-TW', 'card.ok', { kind: 'card.kind.gen1', number: 'N', atr: 'A' }), /^自然人憑證（第一代卡），卡號 N/);
  assert.equal(doctorText('en', 'registry.ok', { ms: 3 }), 'reachable in 3 ms ({url}).');
});

const failing: DoctorLine = { check: 'registry', status: 'fail', code: 'registry-unreachable', exitClass: 4, summary: { key: 'registry.fail', params: { url: 'https://r.example', message: 'refused' } }, next: { key: 'registry.fail.next' }, details: {} };
const report: DoctorReport = {
  lines: [
    { check: 'pcsc', status: 'ok', summary: { key: 'pcsc.ok', params: { version: '1.9.9' } }, details: { version: '1.9.9' } },
    failing,
    clockLine({ at: new Date('2025-01-01T00:00:00Z'), localAt: new Date('2025-01-01T00:09:30Z'), source: 'producedAt' }),
  ],
  exitCode: 4,
};

test('the text report in both languages: glyphs, next steps, summary; ASCII mode has no ✔ ✖ ⚠ →', () => {
  const en = doctorTextReport(report, 'en', false);
  assert.match(en, /^✔ PC\/SC: pcsc-lite 1\.9\.9 is running/m);
  assert.match(en, /^✖ Registry: Not usable \(https:\/\/r\.example\): refused$/m);
  assert.match(en, /^ {4}→ Check the URL/m);
  assert.match(en, /^⚠ Clock: 570 s ahead of the OCSP responder \(producedAt\)\.$/m);
  const zh = doctorTextReport(report, 'zh-TW', false);
  assert.match(zh, /^✖ 憑證資料庫: 無法使用/m);
  assert.match(zh, /^⚠ 系統時鐘: 比 OCSP 伺服器快 570 秒/m);
  assert.doesNotMatch(zh, /\{\w+\}/);
  const ascii = doctorTextReport(report, 'en', true);
  assert.doesNotMatch(ascii, /[✔✖⚠→–]/);
  assert.match(ascii, /^\[FAIL\] Registry/m);
});

test('JSON: one check per line with message and next in the chosen language, ok and exitCode', () => {
  const doc = doctorJson(report, 'zh-TW');
  assert.equal(doc.ok, false);
  assert.equal(doc.exitCode, 4);
  const checks = doc.checks as Array<Record<string, unknown>>;
  assert.deepEqual(checks.map((c) => [c.check, c.status, c.code]), [['pcsc', 'ok', null], ['registry', 'fail', 'registry-unreachable'], ['clock', 'warn', null]]);
  assert.match(String(checks[1]!.next), /請確認網址/);
});

test('exit code: the first failing essential line decides; OCSP and clock failures never do', () => {
  const ocspDown: DoctorLine = { check: 'ocsp', status: 'fail', summary: { key: 'ocsp.off' }, details: {} };
  const pkcs11: DoctorLine = { check: 'pkcs11', status: 'fail', exitClass: 5, summary: { key: 'pkcs11.unset' }, details: {} };
  assert.equal(doctorExitCode([ocspDown]), 0);
  assert.equal(doctorExitCode([ocspDown, failing, pkcs11]), 4);
  assert.equal(doctorExitCode([pkcs11, failing]), 5);
  assert.equal(doctorExitCode([{ ...failing, status: 'warn' }]), 0);
});

test('clock: within 5 minutes is fine either way; beyond, a warning that says which way', () => {
  const at = new Date('2025-01-01T00:00:00Z');
  assert.equal(clockLine({ at, localAt: new Date(at.getTime() - 4 * 60_000), source: 'Date header' }).status, 'ok');
  const behind = clockLine({ at, localAt: new Date(at.getTime() - 6 * 60_000), source: 'Date header' });
  assert.equal(behind.status, 'warn');
  assert.equal(behind.summary.params?.direction, 'clock.behind');
  assert.equal(behind.details.skewMs, -360_000);
  assert.equal(clockLine(undefined).status, 'skip');
});
