/**
 * zod for the project's schemas (registry/schema.ts, check/backup.ts): its tree-shakable `zod/mini` with the
 * English messages, the same checks and texts as zod's classic API. Classic `zod` loaded all of zod
 * (≈ 360 KB of code, ≈ 4 MiB of the TUI's memory at the first check: issue 15) for two small schema files.
 * Import it as a namespace (`import * as z from '../zod.js'`) and use its members by name: the bundle then
 * keeps only those. (A namespace object handed on as a value, `export { z }`, made esbuild keep all of
 * zod/mini's exports, its 40-odd locales among them: its chunk 432 KB, now 27 KB.)
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';
