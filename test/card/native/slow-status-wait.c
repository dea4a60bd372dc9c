/*
 * Preloaded into a PC/SC client by test/card/pcsclite-close.test.ts: every SCardGetStatusChange with an
 * INFINITE timeout (the binding's status threads) waits 200 ms before it calls pcsc-lite's. A status
 * thread then spends 200 ms between two waits after each event, so a close that comes right after an
 * event finds it there every time: the unmended binding's close (five cancels in 50 ms, then a join) blocks
 * the process for good; the mended one (scripts/pcsclite-fix.mjs) returns.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <time.h>
#include <winscard.h>

typedef LONG (*status_change_fn)(SCARDCONTEXT, DWORD, SCARD_READERSTATE *, DWORD);

LONG SCardGetStatusChange(SCARDCONTEXT context, DWORD timeout, SCARD_READERSTATE *states, DWORD count) {
    static status_change_fn real;
    if (real == NULL) {
        /* node loads the binding (and so libpcsclite) RTLD_LOCAL: RTLD_NEXT would not find it */
        void *library = dlopen("libpcsclite.so.1", RTLD_NOW | RTLD_NOLOAD);
        real = (status_change_fn)dlsym(library != NULL ? library : RTLD_NEXT, "SCardGetStatusChange");
    }
    if (timeout == INFINITE) {
        struct timespec between = { 0, 200 * 1000 * 1000 };
        nanosleep(&between, NULL);
    }
    return real(context, timeout, states, count);
}
