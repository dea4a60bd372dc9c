/**
 * The first frame's words: the Boot line, which the pre-paint (source/pre-paint.ts) writes before the app
 * loads. A catalogue of its own, part of the UI's (i18n/ui.ts spreads it in), so that the pre-paint's
 * self-contained bundle (dist/pre-paint.cjs) carries these entries and not the UI's and the check's whole
 * catalogues: 85 → 21 KB to compile before the first line (issue 15).
 */
import { register, type Catalogue } from './shelf.js';

export const BOOT = register({
  'app.title': { 'zh-TW': '自然人憑證 IC卡檢測重寫', en: 'MOICA card check & rewrite' },
  'app.starting': { 'zh-TW': '啟動中...', en: 'starting...' },
} as const satisfies Catalogue, { missing: 'keep' });

export type BootKey = keyof typeof BOOT;
