// Mends a hang in the pcsclite binding (1.0.1, the version the lockfile holds) and rebuilds it: run by
// `npm ci` / `npm install` (package.json postinstall) and by scripts/test-deps.sh; idempotent. `--check`:
// change nothing, exit 1 unless the built binding is the mended one.
//
// The hang: CardReader::Close and PCSCLite::Close (src/cardreader.cpp, src/pcsclite.cpp) stop their status
// thread by calling SCardCancel at most five times, 10 ms apart, and then join the thread on the main
// thread. pcsc-lite's SCardCancel wakes only a SCardGetStatusChange that is already waiting; a thread that
// was between two waits (handling a status event, on a busy machine) and enters its INFINITE wait after
// the last cancel is never woken, and the join blocks the whole process for good: no JS timer fires.
// Found as a rare hang of test/e2e/tabs-rig, reproduced by bench/pcsc-close-race.ts, confirmed with gdb;
// test/card/pcsclite-close.test.ts makes it happen every time (a preloaded SCardGetStatusChange that waits
// 200 ms before each INFINITE wait) and proves the mended close returns.
//
// The mend: the status thread says, under the object's mutex, when it has left its loop; close cancels
// every 10 ms until it has (a cancel that finds no wait costs nothing), then joins. A thread closed before
// its loop ran still ends its async handle, so the process can exit. The destructors take the same path
// (CardReader's cancelled the wrong context). CardReader's constructor now zeroes the thread and context
// it tests later. The binding's prototype gains MOICA_CLOSE_FIX = 1, so the tests (and this script) can
// tell a mended build from an unmended one. Nothing else changes: events, errors and their texts are
// the original's.
//
// Like scripts/patches.mjs, each file is pinned by its SHA-256 and each replaced text must occur exactly
// once: a pcsclite that is not 1.0.1 fails the install loudly instead of shipping an unreviewed binding.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyPatch } from './patches.mjs';

const MARK = 'moica-check (scripts/pcsclite-fix.mjs)';
export const BUILT_MARK = 'MOICA_CLOSE_FIX';

const COMMENT = `// Patched by ${MARK}:
// the original close cancelled at most five times, 10 ms apart, then joined the status thread; a thread
// that entered its INFINITE wait after the last cancel was never woken, and the join blocked the process
// for good. This cancels until the thread has left its loop.`;

/** The members both classes gain, after their last two (`last`, which end the class). */
const membersAfter = (last) => [
  `${last}};`,
  `${last}        // ${MARK}: set by the status thread, under m_mutex, once it has left its loop
        bool m_status_stopped;
        LONG stop_status_thread();
};`,
];

/**
 * The close both classes share, defined before their Close: cancel until the thread has left its loop
 * (`cancel`: the class's cancel lines; `note`: comment lines of its own).
 */
const closeDefinedBefore = (cls, cancel, note = '') => [
  `NAN_METHOD(${cls}::Close) {\n`,
  `${COMMENT}\n${note}${stopStatusThread(cls, cancel)}NAN_METHOD(${cls}::Close) {\n`,
];

const stopStatusThread = (cls, cancel) => `LONG ${cls}::stop_status_thread() {
    LONG result = SCARD_S_SUCCESS;
    if (!m_status_thread) {
        return result;
    }

    uv_mutex_lock(&m_mutex);
    if (m_state == 0) {
        m_state = 1;
    }
    while (!m_status_stopped) {
${cancel}        uv_cond_timedwait(&m_cond, &m_mutex, 10000000);
    }
    uv_mutex_unlock(&m_mutex);

    int joined = uv_thread_join(&m_status_thread);
    assert(joined == 0);
    (void)joined;
    m_status_thread = 0;
    return result;
}

`;

const CARDREADER_H = {
  label: 'pcsclite 1.0.1 src/cardreader.h',
  file: 'src/cardreader.h',
  sha256: '249569cfdc5a517eab64e5024f9de46f8f01fed189efb9ffb721caba904314cc',
  replacements: [
    membersAfter('        uv_cond_t m_cond;\n        int m_state;\n'),
  ],
};

const CARDREADER_CPP = {
  label: 'pcsclite 1.0.1 src/cardreader.cpp',
  file: 'src/cardreader.cpp',
  sha256: '43c03182f5d7afd282f0c880495cb7eac8dbe6ab46e4d2751da7f7011beb92a9',
  replacements: [
    [
      '    Nan::SetPrototypeTemplate(tpl, "close", Nan::New<FunctionTemplate>(Close));\n',
      `    Nan::SetPrototypeTemplate(tpl, "close", Nan::New<FunctionTemplate>(Close));
    Nan::SetPrototypeTemplate(tpl, "${BUILT_MARK}", Nan::New(1)); // ${MARK}
`,
    ],
    [
      '                                                        m_state(0) {\n',
      `                                                        m_state(0) {
    // ${MARK}: both are tested before they are set
    m_status_card_context = 0;
    m_status_thread = 0;
    m_status_stopped = false;
`,
    ],
    [
      '    if (m_status_thread) {\n        SCardCancel(m_card_context);\n        assert(uv_thread_join(&m_status_thread) == 0);\n    }\n',
      '    stop_status_thread();\n',
    ],
    [
      `    if (obj->m_status_thread) {
        uv_mutex_lock(&obj->m_mutex);
        if (obj->m_state == 0) {
            int ret;
            int times = 0;
            obj->m_state = 1;
            do {
                result = SCardCancel(obj->m_status_card_context);
                ret = uv_cond_timedwait(&obj->m_cond, &obj->m_mutex, 10000000);
            } while ((ret != 0) && (++ times < 5));
        }

        uv_mutex_unlock(&obj->m_mutex);
        assert(uv_thread_join(&obj->m_status_thread) == 0);
        obj->m_status_thread = 0;
    }
`,
      '    result = obj->stop_status_thread();\n',
    ],
    closeDefinedBefore('CardReader', '        result = SCardCancel(m_status_card_context);\n'),
    [
      '    while (!reader->m_state) {\n',
      `    bool exit_sent = false; // ${MARK}
    while (!reader->m_state) {
`,
    ],
    [
      '        uv_mutex_unlock(&reader->m_mutex);\n\n        uv_async_send(&async_baton->async);\n        card_reader_state.dwCurrentState = card_reader_state.dwEventState;\n    }\n',
      `        exit_sent = async_baton->async_result->do_exit;
        uv_mutex_unlock(&reader->m_mutex);

        uv_async_send(&async_baton->async);
        card_reader_state.dwCurrentState = card_reader_state.dwEventState;
    }

    // ${MARK}: tell close the loop is over. A loop that
    // ended without an exit message (closed before it ran, or between two waits) still ends the async handle.
    uv_mutex_lock(&reader->m_mutex);
    if (!exit_sent) {
        async_baton->async_result->do_exit = true;
        async_baton->async_result->result = SCARD_S_SUCCESS;
        async_baton->async_result->status = 0;
    }
    reader->m_status_stopped = true;
    uv_cond_signal(&reader->m_cond);
    uv_mutex_unlock(&reader->m_mutex);
    if (!exit_sent) {
        uv_async_send(&async_baton->async);
    }
`,
    ],
  ],
};

const PCSCLITE_H = {
  label: 'pcsclite 1.0.1 src/pcsclite.h',
  file: 'src/pcsclite.h',
  sha256: '874a335f810c9a08b90e78d7f44a56bd4d7511750ac97739d90e1c8d1827f2d1',
  replacements: [
    membersAfter('        bool m_pnp;\n        int m_state;\n'),
  ],
};

const PCSCLITE_CPP = {
  label: 'pcsclite 1.0.1 src/pcsclite.cpp',
  file: 'src/pcsclite.cpp',
  sha256: 'dc2c6cf85edba5093f33f043220e0a5f9da3f9ffbe5a9a58a3540a4c390d0683',
  replacements: [
    ['                      m_state(0) {\n', '                      m_state(0),\n                      m_status_stopped(false) {\n'],
    [
      '    if (m_status_thread) {\n        SCardCancel(m_card_context);\n        assert(uv_thread_join(&m_status_thread) == 0);\n    }\n',
      '    stop_status_thread();\n',
    ],
    [
      `    LONG result = SCARD_S_SUCCESS;
    if (obj->m_pnp) {
        if (obj->m_status_thread) {
            uv_mutex_lock(&obj->m_mutex);
            if (obj->m_state == 0) {
                int ret;
                int times = 0;
                obj->m_state = 1;
                do {
                    result = SCardCancel(obj->m_card_context);
                    ret = uv_cond_timedwait(&obj->m_cond, &obj->m_mutex, 10000000);
                } while ((ret != 0) && (++ times < 5));
            }

            uv_mutex_unlock(&obj->m_mutex);
        }
    } else {
        obj->m_state = 1;
    }

    if (obj->m_status_thread) {
        assert(uv_thread_join(&obj->m_status_thread) == 0);
        obj->m_status_thread = 0;
    }
`,
      '    LONG result = obj->stop_status_thread();\n',
    ],
    closeDefinedBefore('PCSCLite', '        if (m_pnp) {\n            result = SCardCancel(m_card_context);\n        }\n',
      '// Without PnP the thread polls once a second and is never in a wait a cancel could end.\n'),
    [
      '    async_baton->async_result->do_exit = true;\n    uv_async_send(&async_baton->async);\n}\n',
      `    async_baton->async_result->do_exit = true;
    // ${MARK}: tell close the loop is over
    uv_mutex_lock(&pcsclite->m_mutex);
    pcsclite->m_status_stopped = true;
    uv_cond_signal(&pcsclite->m_cond);
    uv_mutex_unlock(&pcsclite->m_mutex);
    uv_async_send(&async_baton->async);
}
`,
    ],
  ],
};

export const NATIVE_PATCHES = [CARDREADER_H, CARDREADER_CPP, PCSCLITE_H, PCSCLITE_CPP];

/** The pcsclite package's directory as the project resolves it, or undefined when it is not installed. */
export function pcscliteDir(root) {
  try {
    return dirname(createRequire(join(root, 'package.json')).resolve('pcsclite/package.json'));
  } catch {
    return undefined;
  }
}

/** The built binding of `dir`, and whether it was built from the mended sources. */
export function builtBinding(dir) {
  const path = join(dir, 'build', 'Release', 'pcsclite.node');
  if (!existsSync(path)) return { path, exists: false, mended: false };
  return { path, exists: true, mended: readFileSync(path).includes(BUILT_MARK) };
}

/** Patch the sources of `dir` where they are not yet; returns the labels patched now. */
export function mendSources(dir) {
  const patched = [];
  for (const patch of NATIVE_PATCHES) {
    const path = join(dir, patch.file);
    const source = readFileSync(path, 'utf8');
    if (source.includes(MARK)) continue;
    writeFileSync(path, applyPatch(patch, source));
    patched.push(patch.label);
  }
  return patched;
}

function main() {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const dir = pcscliteDir(root);
  if (dir === undefined) {
    console.log('pcsclite-fix: pcsclite is not installed (an optional dependency): nothing to mend');
    return 0;
  }
  if (process.argv.includes('--check')) {
    const built = builtBinding(dir);
    if (built.mended) return 0;
    console.log(`pcsclite-fix: ${built.exists ? `${built.path} is not the mended build` : 'the binding is not built'}; mend it with: node scripts/pcsclite-fix.mjs`);
    return 1;
  }
  const patched = mendSources(dir);
  if (patched.length > 0) console.log(`pcsclite-fix: mended ${patched.join(', ')}`);
  const built = builtBinding(dir);
  if (!built.exists) {
    // its own install failed (no libpcsclite-dev): the next `npm rebuild pcsclite` builds the mended sources
    console.log('pcsclite-fix: the binding is not built; `npm rebuild pcsclite` will build the mended sources');
    return 0;
  }
  if (built.mended && patched.length === 0) return 0; // sources just mended: a marked binary is an older mend
  // Built the way npm built it: under npm (postinstall) its node-gyp, with npm's configuration (nodedir…)
  // already in the environment; otherwise through npm itself.
  const gyp = process.env['npm_config_node_gyp'];
  if (gyp !== undefined && gyp !== '' && existsSync(gyp)) {
    console.log(`pcsclite-fix: + node-gyp rebuild (in ${dir})`);
    execFileSync(process.execPath, [gyp, 'rebuild'], { cwd: dir, stdio: 'inherit' });
  } else {
    console.log('pcsclite-fix: + npm rebuild pcsclite');
    execFileSync('npm', ['rebuild', 'pcsclite'], { cwd: root, stdio: 'inherit' });
  }
  if (!builtBinding(dir).mended) {
    console.error(`pcsclite-fix: the rebuilt ${built.path} still lacks ${BUILT_MARK}`);
    return 1;
  }
  return 0;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    process.exitCode = main();
  } catch (error) {
    console.error(`pcsclite-fix: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
