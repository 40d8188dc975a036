#!/bin/sh
# SPDX-License-Identifier: MIT
# source.sh: the house rules a grep can check (STYLE.md): SPDX lines, banned.h in every
# library and command file, each third-party header in its one module, SQL never built from
# strings, and the .clang-format layout.
set -u
SRC=${CONVENE_SOURCE_ROOT:?set CONVENE_SOURCE_ROOT}
cd "$SRC" || exit 1
failures=0
checks=0
fail() {
    failures=$((failures + 1))
    printf 'FAIL: %s\n' "$*"
}

files=$(find src include tests -name '*.[ch]' | sort)
for f in $files; do
    checks=$((checks + 1))
    head -n 1 "$f" | grep -q 'SPDX-License-Identifier: MIT' || fail "$f: no SPDX line"
done

# banned.h: every .c of the library and the command (the build tool embed.c runs natively).
for f in $(find src -name '*.c' ! -name embed.c | sort); do
    checks=$((checks + 1))
    grep -q '#include "banned.h"' "$f" || fail "$f does not include banned.h"
done

# Each third-party library is included in exactly one module (libcurl in net, which mail uses).
only_in() {
    header=$1 dir=$2
    checks=$((checks + 1))
    bad=$(grep -rl "#include <$header" src include tests | grep -v "^$dir/" || true)
    [ -z "$bad" ] || fail "<$header> outside $dir: $bad"
}
only_in sqlite3.h src/store
only_in libical/ src/ical
only_in curl/ src/net
only_in microhttpd.h src/http
only_in zlib.h src/http
only_in qrencode.h src/html

# SQL text is constant: no printf-style building of statements (RELIABILITY.md I4).
checks=$((checks + 1))
bad=$(grep -rnE 'sqlite3_mprintf|sqlite3_vmprintf|snprintf\([^;]*"(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP)' src || true)
# The one exception: PRAGMA user_version takes no parameters, with an integer from the code.
bad=$(printf '%s\n' "$bad" | grep -v 'PRAGMA user_version = %d' | grep -v '^$' || true)
[ -z "$bad" ] || fail "SQL built from strings: $bad"

# Layout.
if command -v clang-format >/dev/null 2>&1; then
    for f in $files; do
        checks=$((checks + 1))
        clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || fail "$f differs from .clang-format"
    done
fi

printf '%d checks, %d failed\n' "$checks" "$failures"
[ "$failures" -eq 0 ]
