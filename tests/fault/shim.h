/* SPDX-License-Identifier: MIT */
/* shim.h: what the LD_PRELOAD shims of the fault tests (iofail.c, powercut.c) share. */
#ifndef CV_TEST_SHIM_H
#define CV_TEST_SHIM_H

#include <dlfcn.h>
#include <string.h>

/* Declares real_NAME, the libc function the shim's NAME stands in front of. */
#define NEXT(name)                                                                                 \
    __typeof__(&name) real_##name;                                                                 \
    do {                                                                                           \
        void *p_ = dlsym(RTLD_NEXT, #name);                                                        \
        memcpy(&real_##name, &p_, sizeof(p_));                                                     \
    } while (0)

#endif
