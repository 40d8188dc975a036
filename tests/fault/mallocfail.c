/* SPDX-License-Identifier: MIT */
/* mallocfail.c: an LD_PRELOAD shim that fails the k-th allocation of the process once, then
 * lets every later one through (RELIABILITY.md D5, after SQLite's OOM loop and curl's torture
 * tests). It stands in front of malloc itself, so one counter covers SQLite's allocator (its
 * default SQLITE_CONFIG_MALLOC is malloc), libical, libcurl, the C library's own allocations
 * (strdup, asprintf, fopen) and convene's: the binaries under test are the shipped ones.
 *
 *   MALLOCFAIL_AT=k [MALLOCFAIL_COUNT=file] [MALLOCFAIL_SKIP=name,name] [MALLOCFAIL_PROG=name]
 *   [MALLOCFAIL_MIN=bytes]
 *
 * Counting starts at main (the libraries' constructors before it are start-up, not the paths
 * under test: 1,294 allocations, each failed once by hand under `convene --version` without a
 * crash), and counts every malloc,
 * calloc, realloc, reallocarray, posix_memalign, aligned_alloc, memalign, valloc and pvalloc; a
 * realloc to size 0 (a free) is not counted. MALLOCFAIL_COUNT names a file that receives, at exit,
 * how many allocations the process made (a run without MALLOCFAIL_AT tells the test how far k
 * goes). MALLOCFAIL_MIN counts, and fails, only allocations of at least that many bytes: the few
 * as large as a message (SQLite's copy of one bound to a statement among them) can each be failed
 * where every k of all the allocations would take thousands of runs.
 *
 * MALLOCFAIL_SKIP names libraries (parts of their file names) whose own calls are neither counted
 * nor failed: libical 3.0 does not check its allocations (icalparser_get_line writes through the
 * NULL of icalmemory_new_buffer; icaltimezone_get_utc_timezone copies into one), so failing them
 * tests libical, not convene. strdup and strndup are stood in front of too, so that they count
 * as their caller's (convene's, or a skipped library's); other allocations made inside the C
 * library (fopen) count as the C library's, whoever asked.
 *
 * The real allocator is the next one (dlsym RTLD_NEXT): the C library's, or the sanitizer's in
 * an ASan build, or valgrind's (given --soname-synonyms=somalloc=libc.so.6, else valgrind
 * replaces this shim's malloc too). While dlsym itself allocates, a small static arena answers. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static long count, fail_at = -1;
static size_t min_size;
static int armed;

#define MAX_SKIP 16
static struct range {
    uintptr_t lo, hi;
} skip[MAX_SKIP];
static int nskip;

static _Alignas(16) char arena[16384];
static size_t arena_used;
static int resolving;

static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static void (*real_free)(void *);
static int (*real_posix_memalign)(void **, size_t, size_t);

static void *sym(const char *name)
{
    return dlsym(RTLD_NEXT, name);
}

static void resolve(void)
{
    if (real_free || resolving)
        return;
    resolving = 1;
    void *p;
    p = sym("malloc");
    memcpy(&real_malloc, &p, sizeof(p));
    p = sym("calloc");
    memcpy(&real_calloc, &p, sizeof(p));
    p = sym("realloc");
    memcpy(&real_realloc, &p, sizeof(p));
    p = sym("posix_memalign");
    memcpy(&real_posix_memalign, &p, sizeof(p));
    p = sym("free");
    memcpy(&real_free, &p, sizeof(p));
    resolving = 0;
}

static int in_arena(const void *p)
{
    return (const char *)p >= arena && (const char *)p < arena + sizeof(arena);
}

static void *arena_alloc(size_t n)
{
    size_t at = (arena_used + 15) & ~(size_t)15;
    if (n > sizeof(arena) - at)
        return NULL;
    arena_used = at + n;
    return arena + at; /* zeroed: static, never reused */
}

/* One more allocation of @n bytes, asked for by code at @caller: @return whether it must fail. */
static int injected(size_t n, const void *caller)
{
    if (!__atomic_load_n(&armed, __ATOMIC_SEQ_CST) || n < min_size)
        return 0;
    for (int i = 0; i < nskip; i++)
        if ((uintptr_t)caller >= skip[i].lo && (uintptr_t)caller < skip[i].hi)
            return 0;
    /* Counted from any thread (libcurl resolves names in one). */
    long k = __atomic_add_fetch(&count, 1, __ATOMIC_SEQ_CST);
    if (fail_at > 0 && k == fail_at) {
        errno = ENOMEM;
        return 1;
    }
    return 0;
}

__attribute__((destructor)) static void report(void)
{
    const char *path = getenv("MALLOCFAIL_COUNT");
    if (!path || !__atomic_load_n(&armed, __ATOMIC_SEQ_CST))
        return;
    /* No stdio: it would allocate (and count). */
    char line[32];
    int n = snprintf(line, sizeof(line), "%ld\n", __atomic_load_n(&count, __ATOMIC_SEQ_CST));
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd >= 0) {
        if (n > 0 && write(fd, line, (size_t)n) < 0)
            n = 0;
        close(fd);
    }
}

#define CALLER __builtin_return_address(0)

static void *do_malloc(size_t n, const void *caller)
{
    resolve();
    if (!real_malloc)
        return arena_alloc(n);
    return injected(n, caller) ? NULL : real_malloc(n);
}

void *malloc(size_t n)
{
    return do_malloc(n, CALLER);
}

void *calloc(size_t n, size_t size)
{
    resolve();
    if (!real_calloc)
        return size && n > SIZE_MAX / size ? NULL : arena_alloc(n * size);
    return injected(n * size, CALLER) ? NULL : real_calloc(n, size);
}

static void *do_realloc(void *p, size_t n, const void *caller)
{
    resolve();
    if (in_arena(p)) {
        /* Rare (dlsym's own buffers): moved out of the arena, never back. */
        void *q = do_malloc(n, caller);
        size_t room = (size_t)(arena + sizeof(arena) - (char *)p);
        if (q)
            memcpy(q, p, n < room ? n : room);
        return q;
    }
    if (!real_realloc)
        return NULL;
    if (p && n == 0)
        return real_realloc(p, n);
    return injected(n, caller) ? NULL : real_realloc(p, n);
}

void *realloc(void *p, size_t n)
{
    return do_realloc(p, n, CALLER);
}

void *reallocarray(void *p, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size) {
        errno = ENOMEM;
        return NULL;
    }
    return do_realloc(p, n * size, CALLER);
}

char *strndup(const char *s, size_t max)
{
    size_t n = strnlen(s, max);
    char *p = do_malloc(n + 1, CALLER);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

char *strdup(const char *s)
{
    size_t n = strlen(s);
    char *p = do_malloc(n + 1, CALLER);
    if (p)
        memcpy(p, s, n + 1);
    return p;
}

void free(void *p)
{
    if (!p || in_arena(p))
        return;
    resolve();
    if (real_free)
        real_free(p);
}

static int do_memalign(void **ret, size_t align, size_t n, const void *caller)
{
    resolve();
    if (!real_posix_memalign)
        return ENOMEM;
    return injected(n, caller) ? ENOMEM : real_posix_memalign(ret, align, n);
}

int posix_memalign(void **ret, size_t align, size_t n)
{
    return do_memalign(ret, align, n, CALLER);
}

static void *aligned(size_t align, size_t n, const void *caller)
{
    void *p = NULL;
    int rc = do_memalign(&p, align < sizeof(void *) ? sizeof(void *) : align, n, caller);
    if (rc) {
        errno = rc;
        return NULL;
    }
    return p;
}

void *aligned_alloc(size_t align, size_t n)
{
    return aligned(align, n, CALLER);
}

void *memalign(size_t align, size_t n)
{
    return aligned(align, n, CALLER);
}

void *valloc(size_t n)
{
    return aligned((size_t)sysconf(_SC_PAGESIZE), n, CALLER);
}

void *pvalloc(size_t n)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    return aligned(page, (n + page - 1) / page * page, CALLER);
}

/* main, wrapped: the counting starts when it does. */
typedef int (*main_fn)(int, char **, char **);
static main_fn real_main;

/* dl_iterate_phdr: the address ranges of the libraries named in MALLOCFAIL_SKIP. */
static int find_skipped(struct dl_phdr_info *info, size_t size, void *data)
{
    const char *names = data;
    (void)size;
    if (!info->dlpi_name || !*info->dlpi_name)
        return 0;
    int hit = 0;
    for (const char *p = names; *p && !hit;) {
        size_t n = strcspn(p, ",");
        if (n && n < 256) {
            char name[256];
            memcpy(name, p, n);
            name[n] = '\0';
            hit = strstr(info->dlpi_name, name) != NULL;
        }
        p += n + (p[n] == ',');
    }
    for (int i = 0; hit && i < info->dlpi_phnum && nskip < MAX_SKIP; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X)) {
            skip[nskip].lo = info->dlpi_addr + ph->p_vaddr;
            skip[nskip].hi = skip[nskip].lo + ph->p_memsz;
            nskip++;
        }
    }
    return 0;
}

static int counted_main(int argc, char **argv, char **envp)
{
    resolve();
    /* Not a program in between (valgrind's wrapper script): only the one named counts. */
    const char *prog = getenv("MALLOCFAIL_PROG");
    const char *base = argc > 0 && argv[0] ? strrchr(argv[0], '/') : NULL;
    base = base ? base + 1 : argc > 0 && argv[0] ? argv[0] : "";
    if (prog && *prog && strcmp(prog, base) != 0)
        return real_main(argc, argv, envp);
    /* Read here, not at the first allocation: a sanitizer allocates before environ is set. */
    const char *at = getenv("MALLOCFAIL_AT");
    if (at && *at)
        fail_at = strtol(at, NULL, 10);
    const char *min = getenv("MALLOCFAIL_MIN");
    if (min && *min)
        min_size = (size_t)strtoul(min, NULL, 10);
    const char *names = getenv("MALLOCFAIL_SKIP");
    if (names && *names)
        dl_iterate_phdr(find_skipped, (void *)names);
    __atomic_store_n(&armed, 1, __ATOMIC_SEQ_CST);
    return real_main(argc, argv, envp);
}

int __libc_start_main(main_fn main, int argc, char **argv, void (*init)(void), void (*fini)(void),
                      void (*rtld_fini)(void), void *stack_end);

int __libc_start_main(main_fn main, int argc, char **argv, void (*init)(void), void (*fini)(void),
                      void (*rtld_fini)(void), void *stack_end)
{
    int (*next)(main_fn, int, char **, void (*)(void), void (*)(void), void (*)(void), void *);
    void *p = sym("__libc_start_main");
    memcpy(&next, &p, sizeof(p));
    real_main = main;
    return next(counted_main, argc, argv, init, fini, rtld_fini, stack_end);
}
