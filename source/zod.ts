/**
 * zod for the project's schemas (registry/schema.ts, check/backup.ts): its tree-shakable `zod/mini` with the
 * English messages, the same checks and texts as zod's classic API. Classic `zod` loaded all of zod
 * (≈ 360 KB of code, ≈ 4 MiB of the TUI's memory at the first check: issue 15) for two small schema files.
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

z.config(en());

export { z };
