import { MoicaError } from '../errors.js';
import type { Options } from '../options.js';
import { fail, type Io } from './io.js';

// Placeholder until the owning module lands; replaced, never shipped as "done".
export async function run(options: Options, io: Io): Promise<number> {
  return fail(io, options.json, {}, new MoicaError('internal', 'serve-registry is not built yet'));
}
