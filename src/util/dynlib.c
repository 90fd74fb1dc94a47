/*
 * dynlib.c: iom_lib_need for programs linked with libpq, libmicrohttpd and libigraph themselves
 * (the test and bench programs): nothing to load. The `iom` binary links src/dynlib/lazy.c,
 * whose definition is taken instead (this one is weak, and its archive member is not even
 * pulled in then).
 */
#include "util/dynlib.h"

__attribute__((weak)) iom_err iom_lib_need(iom_lib lib, iom_error *e)
{
    (void)lib;
    (void)e;
    return IOM_OK;
}
