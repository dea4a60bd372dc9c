/**
 * Interim texts until check/messages.ts lands: the same keys (verdict.*, rewrite.step.*, error.*) with
 * the wording of cli.md. Replaced by a re-export of check/messages.ts's `t` once that module exists.
 */
import type { Lang } from '../options.js';

const C_STATUS: Record<string, [string, string]> = {
  revoked: ['廢止', 'revoked'],
  suspended: ['停用', 'suspended'],
  expired: ['已過期', 'expired'],
};

const zh: Record<string, string> = {
  'verdict.A': 'IC卡內容與憑證資料庫符合無需更新。憑證狀態為『有效』，可於應用服務正常使用。',
  'verdict.B-1': '憑證狀態為『有效』，可於應用服務正常使用。但IC卡內容與憑證資料庫不符合需進行憑證重寫。',
  'verdict.B-2': '完成憑證重寫流程！憑證已可正常使用。',
  'rewrite.step.fresh-check': '再次檢查',
  'rewrite.step.download': '下載憑證',
  'rewrite.step.prove': '驗證憑證',
  'rewrite.step.pin': 'PIN碼',
  'rewrite.step.verify-pin': '驗證PIN碼',
  'rewrite.step.key-proof': '確認金鑰',
  'rewrite.step.backup': '備份',
  'rewrite.step.write': '寫入',
  'rewrite.step.commit': '確認寫入',
  'rewrite.step.read-back': '讀回比對',
  'rewrite.step.record': '記錄',
  'rewrite.step.done': '完成',
};
const en: Record<string, string> = {
  'verdict.A': 'The card matches the registry: no update needed. Status "valid": the certificates can be used.',
  'verdict.B-1': 'Status "valid": the certificates can be used. But the card differs from the registry: rewrite the certificates.',
  'verdict.B-2': 'Certificate rewrite completed! The certificates can be used.',
  'rewrite.step.fresh-check': 'fresh check',
  'rewrite.step.download': 'download',
  'rewrite.step.prove': 'prove',
  'rewrite.step.pin': 'PIN',
  'rewrite.step.verify-pin': 'verify PIN',
  'rewrite.step.key-proof': 'key proof',
  'rewrite.step.backup': 'backup',
  'rewrite.step.write': 'write',
  'rewrite.step.commit': 'commit',
  'rewrite.step.read-back': 'read back',
  'rewrite.step.record': 'record',
  'rewrite.step.done': 'done',
};
for (const [status, [zhWord, enWord]] of Object.entries(C_STATUS)) {
  zh[`verdict.C.${status}.match`] = `憑證狀態為『${zhWord}』，且IC卡內容與憑證資料庫符合無需更新。`;
  zh[`verdict.C.${status}.mismatch`] = `憑證狀態為『${zhWord}』，IC卡內容與憑證資料庫不符合；${zhWord}的憑證不需重寫。`;
  en[`verdict.C.${status}.match`] = `Status "${enWord}". The card matches the registry: no update needed.`;
  en[`verdict.C.${status}.mismatch`] = `Status "${enWord}". The card differs from the registry, but ${enWord} certificates are not rewritten.`;
}

export function t(lang: Lang, key: string, params: Record<string, string | number>): string {
  const text = (lang === 'zh-TW' ? zh : en)[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (all, name: string) => (name in params ? String(params[name]) : all));
}
