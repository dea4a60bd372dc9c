/** A read card and the reader list as plain text (commands/card-report.ts); one catalogue shape: i18n/t.ts. */
import { register, type Catalogue } from './shelf.js';

export const REPORT = register({
  'report.reader': { 'zh-TW': '讀卡機', en: 'Reader' },
  'report.number': { 'zh-TW': '卡號', en: 'Card number' },
  'report.generation': { 'zh-TW': '世代', en: 'Generation' },
  'report.slot': { 'zh-TW': '憑證序號', en: 'Certificate' },
  'report.serial': { 'zh-TW': '序號', en: 'serial' },
  'report.valid': { 'zh-TW': '效期', en: 'valid' },
  'report.inconsistent': { 'zh-TW': '不一致（憑證重寫中斷？）', en: 'INCONSISTENT (interrupted rewrite?)' },
  'report.signature': { 'zh-TW': '簽章', en: 'signature' },
  'report.encryption': { 'zh-TW': '加密', en: 'encryption' },
  'report.noCard': { 'zh-TW': '無卡片', en: 'no card' },
  'report.moica': { 'zh-TW': '自然人憑證', en: 'MOICA card' },
  'report.other': { 'zh-TW': 'ATR 不在自然人憑證清單中：`read` 會實際讀取判斷', en: 'ATR not on the list of MOICA cards: `read` tries it' },
} as const satisfies Catalogue, { missing: 'keep' });

export type ReportKey = keyof typeof REPORT;
