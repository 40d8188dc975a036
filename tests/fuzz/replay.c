/* SPDX-License-Identifier: MIT */
/* replay.c: runs a fuzz target over the files named on the command line, for builds without
 * libFuzzer: the seed corpus becomes a regression test under the sanitizers. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) {
            perror(argv[i]);
            return 1;
        }
        size_t cap = 1 << 20, n = 0;
        uint8_t *buf = malloc(cap);
        if (!buf)
            return 1;
        size_t r;
        while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
            n += r;
            if (n == cap) {
                uint8_t *bigger = realloc(buf, cap *= 2);
                if (!bigger)
                    return 1;
                buf = bigger;
            }
        }
        fclose(f);
        LLVMFuzzerTestOneInput(buf, n);
        free(buf);
    }
    printf("%d inputs replayed\n", argc - 1);
    return 0;
}
