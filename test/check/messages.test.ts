import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorText, placeholders, text as t } from '../../source/i18n/t.js';
import { isCheckKey as hasMessage, TEXTS } from '../../source/i18n/check.js';
import { guidanceFor } from '../../source/check/guidance.js';
import { decideVerdict } from '../../source/check/verdict.js';
import { MoicaError } from '../../source/errors.js';
import { ERROR_EXIT } from '../../source/exit.js';
import type { OcspReport } from '../../source/registry/types.js';
import type { RewriteStep } from '../../source/check/types.js';
import { DAY_MS } from '../../source/check/renewal.js';
import { card, NOT_AFTER, NOW, ocsp, OLD0, OLD1, registry } from './fixtures.js';

const LANGS = ['zh-TW', 'en'] as const;
const STEPS: Record<RewriteStep, true> = {
  'fresh-check': true, download: true, prove: true, pin: true, 'verify-pin': true, 'key-proof': true, backup: true,
  write: true, commit: true, 'read-back': true, record: true, done: true,
};
const REASONS: Record<NonNullable<OcspReport['notCheckedReason']>, true> = {
  disabled: true, unreachable: true, timeout: true, 'bad-signature': true, 'nonce-mismatch': true, stale: true,
  invalid: true, 'no-responder': true, 'no-issuer': true, unverifiable: true, unknown: true,
};

test('messages: every key has a non-empty text in both languages, with the same parameters', () => {
  for (const [key, text] of Object.entries(TEXTS)) {
    for (const lang of LANGS) assert.ok(text[lang].trim().length > 0, `${key} ${lang}`);
    assert.deepEqual(placeholders(text['zh-TW']).sort(), placeholders(text.en).sort(), key);
  }
});

test('messages: every error code, rewrite step, status and OCSP reason has its text', () => {
  for (const code of Object.keys(ERROR_EXIT)) assert.ok(hasMessage(`error.${code}`), code);
  // Step texts take no parameters: the progress detail (slot, bytes) is shown beside them.
  for (const step of Object.keys(STEPS)) {
    const key = `rewrite.step.${step}`;
    assert.ok(hasMessage(key), step);
    assert.deepEqual(placeholders(TEXTS[key].en), [], step);
  }
  for (const status of ['valid', 'revoked', 'suspended', 'expired']) assert.ok(hasMessage(`status.${status}`), status);
  for (const reason of Object.keys(REASONS)) assert.ok(hasMessage(`ocsp.not-checked.${reason}`), reason);
});

test('messages: the issuer\'s exact zh-TW wording (cli.md)', () => {
  assert.equal(t('zh-TW', 'verdict.A'), 'IC卡內容與憑證資料庫符合無需更新。憑證狀態為『有效』，可於應用服務正常使用。');
  assert.equal(t('zh-TW', 'verdict.B-1'), '憑證狀態為『有效』，可於應用服務正常使用。但IC卡內容與憑證資料庫不符合需進行憑證重寫。');
  assert.equal(t('zh-TW', 'rewrite.pin-prompt'), '請輸入卡片PIN碼(輸入長度為6~8)');
  assert.equal(t('zh-TW', 'rewrite.warning'), '請注意!憑證更新時請勿拔取卡片，以免造成卡片損毀');
  assert.equal(t('zh-TW', 'rewrite.done'), '完成憑證重寫流程！憑證已可正常使用。');
  assert.equal(t('zh-TW', 'verdict.B-2'), '完成憑證重寫流程！憑證已可正常使用。');
  assert.equal(t('zh-TW', 'verdict.C.revoked.match'), '憑證狀態為『廢止』，且IC卡內容與憑證資料庫符合無需更新。');
  assert.equal(t('zh-TW', 'verdict.C.suspended.match'), '憑證狀態為『停用』，且IC卡內容與憑證資料庫符合無需更新。');
  assert.equal(t('zh-TW', 'verdict.C.expired.match'), '憑證狀態為『已過期』，且IC卡內容與憑證資料庫符合無需更新。');
  for (const [status, label] of [['revoked', '廢止'], ['suspended', '停用'], ['expired', '已過期']] as const) {
    const text = t('zh-TW', `verdict.C.${status}.mismatch`);
    assert.ok(text.includes(`『${label}』`) && text.includes('不符合') && text.includes('不需要重寫憑證'), text);
    assert.match(t('en', `verdict.C.${status}.mismatch`), new RegExp(`"${status}".*not rewritten`));
  }
  assert.match(t('zh-TW', 'guidance.helpline'), /0800-080-117/);
  assert.match(t('zh-TW', 'guidance.lookup'), /moica\.nat\.gov\.tw 憑證作業\/查詢憑證簽發情形/);
  assert.match(t('zh-TW', 'guidance.reinstate'), /憑證作業\/憑證復用/);
  assert.match(t('zh-TW', 'guidance.reapply.revoked'), /身分證正本、IC卡工本費250元及E-MAIL信箱，親臨任一戶政事務所/);
});

test('messages: every key and parameter the verdicts and guidance produce exists and is used', () => {
  const scenarios: Array<{ reg: ReturnType<typeof registry>; now: Date; serials?: [string, string] }> = [
    { reg: registry(), now: NOW },
    { reg: registry(), now: new Date(NOT_AFTER.getTime() - 5 * DAY_MS), serials: [OLD0, OLD1] as [string, string] },
    { reg: registry([{ renewedFrom: '1A' }, { renewedFrom: '1A' }]), now: new Date(NOT_AFTER.getTime() - 5 * DAY_MS) },
    ...(['revoked', 'suspended', 'expired'] as const).flatMap((status) =>
      [undefined, [OLD0, OLD1] as [string, string]].map((serials) => ({ reg: registry([{ status }, { status }]), now: NOW, serials }))),
    ...['2029-06-01', '2033-06-01', '2027-06-01'].map((d) => ({ reg: registry([{ status: 'expired' }, { status: 'expired', renewedFrom: 'AB' }]), now: new Date(d) })),
    { reg: registry([{ status: 'expired', notBefore: new Date('2021-03-01') }, {}]), now: new Date('2029-06-01') },
  ];
  let seen = 0;
  for (const s of scenarios) {
    const v = decideVerdict(card(s.serials), s.reg, ocsp(null), s.now);
    for (const item of [v.message, ...guidanceFor(v, s.reg, s.now)]) {
      assert.ok(hasMessage(item.key), item.key);
      for (const lang of LANGS) {
        const text: string = TEXTS[item.key as keyof typeof TEXTS][lang];
        assert.deepEqual(placeholders(text).sort(), Object.keys(item.params).sort(), `${item.key} ${lang}`);
        assert.doesNotMatch(t(lang, item.key, item.params), /\{\w+\}|\?/);
      }
      seen++;
    }
  }
  assert.ok(seen > 40);
});

test('messages: t fills parameters; a missing one shows "?", an unknown key shows itself', () => {
  assert.equal(t('en', 'error.pin-wrong', { triesLeft: 2 }), 'Wrong PIN: 2 tries left.');
  assert.equal(t('zh-TW', 'error.pin-wrong', { triesLeft: 1 }), 'PIN碼錯誤，尚可嘗試 1 次。');
  assert.equal(t('en', 'error.pin-wrong'), 'Wrong PIN: ? tries left.');
  assert.equal(t('en', 'no.such.key'), 'no.such.key');
});

test('messages: errorText takes parameters from the error\'s detail', () => {
  assert.equal(errorText('zh-TW', new MoicaError('pin-wrong', 'wrong PIN', { triesLeft: 2 })), 'PIN碼錯誤，尚可嘗試 2 次。');
  assert.equal(errorText('en', new MoicaError('card-removed', 'gone')), 'The card was removed.');
});
