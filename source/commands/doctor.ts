/** `moica-check doctor [--json]`: what works and what does not, each with what to do next (source/doctor/). */
import type { Options } from '../options.js';
import { runDoctor } from '../doctor/run.js';
import { doctorJson, doctorTextReport } from '../doctor/report.js';
import { fail, printJson, type Io, printText } from './io.js';

export async function run(options: Options, io: Io): Promise<number> {
  try {
    const report = await runDoctor(options);
    if (options.json) printJson(io, doctorJson(report, options.lang));
    else printText(io.stdout, doctorTextReport(report, options.lang, options.ascii));
    return report.exitCode;
  } catch (e) {
    // Every probe reports its own failure; reaching here is a bug, still typed, never a stack trace.
    return fail(io, options.json, {}, e);
  }
}
