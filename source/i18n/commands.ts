/**
 * Texts of the headless commands that are theirs alone (usage of a command, the terminal questions, the
 * interrupted-rewrite report), in zh-TW and en (one catalogue shape and t(): i18n/t.ts). Shared texts
 * (verdicts, steps, errors) live in i18n/check.ts.
 */
import { register, type Catalogue } from './shelf.js';

export const CLI_TEXTS = register({
  'usage.pin-stdin': {
    en: 'rewrite reads the PIN from standard input: pass --pin-stdin (a PIN is never taken from the command line).',
    'zh-TW': 'rewrite 從標準輸入讀取PIN碼：請加上 --pin-stdin(PIN碼不從命令列讀取)。',
  },
  'usage.needs-yes': {
    en: 'Without a terminal to confirm at, rewrite needs --yes.',
    'zh-TW': '沒有可供確認的終端機時，rewrite 需要加上 --yes。',
  },
  'pin.empty': {
    en: 'No PIN was given on standard input; nothing was sent to the card.',
    'zh-TW': '標準輸入沒有提供PIN碼；未傳送任何資料至卡片。',
  },
  'pin.too-long': {
    en: 'The PIN must be 6 to 8 digits; it was not sent to the card.',
    'zh-TW': 'PIN碼須為6至8位數字；未傳送至卡片。',
  },
  'pin.last-try.question': {
    en: 'The card has ONE PIN try left: a wrong PIN now blocks the card. Spend the last try?',
    'zh-TW': '卡片只剩「最後一次」PIN碼嘗試：輸入錯誤將鎖住卡片。確定要使用最後一次嘗試？',
  },
  'pin.last-try.headless': {
    en: 'The card has one PIN try left: the PIN was not asked or sent. To spend the last try (a wrong PIN then blocks the card), run again with --last-try.',
    'zh-TW': '卡片只剩一次PIN碼嘗試：未詢問也未傳送PIN碼。若確定要使用最後一次嘗試(輸入錯誤將鎖住卡片)，請加上 --last-try 重新執行。',
  },
  'interrupt.cancelling': {
    en: 'moica-check: {signal}: cancelling; nothing has been written to the card.',
    'zh-TW': 'moica-check：{signal}：取消中；尚未寫入任何資料至卡片。',
  },
  'interrupt.still-cancelling': { en: 'moica-check: still cancelling: {seconds} s', 'zh-TW': 'moica-check：仍在取消：{seconds} 秒' },
  'interrupt.cancelled': {
    en: 'Cancelled ({signal}) before anything was written: the card is as it was.',
    'zh-TW': '已取消({signal})，未寫入任何資料：卡片維持原狀。',
  },
  'interrupt.finishing': {
    en: 'moica-check: {signal} while writing: finishing the write first (cutting it off would leave a half-written card). Do not remove the card.',
    'zh-TW': 'moica-check：寫入中收到 {signal}：先完成寫入(中斷會使卡片只寫入一半)。請勿拔取卡片。',
  },
  'interrupt.still-finishing': {
    en: 'moica-check: still finishing: {seconds} s (do not remove the card)',
    'zh-TW': 'moica-check：仍在完成寫入：{seconds} 秒(請勿拔取卡片)',
  },
  'interrupt.completed': {
    en: 'Interrupted ({signal}) while writing: the write was finished first. The card holds the new certificates (B-2); nothing is left to do.',
    'zh-TW': '寫入中被中斷({signal})：已先完成寫入。卡片已是新的憑證(B-2)，不需再做任何事。',
  },
  'state.unfinished': {
    en: 'The card may be half-written (stopped at: {stage}). Its certificates as they were are in the backup: {backup}',
    'zh-TW': '卡片可能只寫入一半(停在：{stage})。原有憑證的備份：{backup}',
  },
  'state.finish-with': {
    en: 'To finish the job, put the card back if it was removed and run: {command}',
    'zh-TW': '要完成作業，如卡片已拔出請插回，並執行：{command}',
  },
} as const satisfies Catalogue, { missing: 'mark' });

export type CliTextKey = keyof typeof CLI_TEXTS;
