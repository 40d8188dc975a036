# SPDX-License-Identifier: MIT
# lib.sh: helpers for the command-line tests. Source it; it sets $C (the convene binary), $T (a
# fresh temporary folder, removed at exit) and counts failures. End a test with `finish`.
set -u
C=${CONVENE:?set CONVENE to the convene binary}
SRC=${CONVENE_SOURCE_ROOT:?set CONVENE_SOURCE_ROOT to the source tree}
T=$(mktemp -d "${TMPDIR:-/tmp}/convene-cli.XXXXXX")
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
export CONVENE_NOW=2024-01-15T09:00:00Z
export CONVENE_DB="$T/convene.db"
unset CONVENE_SMTP_URL
failures=0
checks=0

fail() {
    failures=$((failures + 1))
    printf 'FAIL: %s\n' "$*"
}

ok() {
    checks=$((checks + 1))
}

# run CMD...: runs it, keeping $out, $err (file contents) and $rc.
run() {
    rc=0
    "$@" >"$T/out" 2>"$T/err" || rc=$?
    out=$(cat "$T/out")
    err=$(cat "$T/err")
}

# expect_rc N DESCRIPTION
expect_rc() {
    if [ "$rc" -eq "$1" ]; then ok; else fail "$2: exit $rc, expected $1 (stderr: $err)"; fi
}

# expect_out TEXT DESCRIPTION: stdout contains TEXT (a fixed string)
expect_out() {
    if printf '%s\n' "$out" | grep -qF -- "$1"; then ok; else fail "$2: stdout lacks '$1': $out"; fi
}

# expect_err TEXT DESCRIPTION: stderr contains TEXT
expect_err() {
    if printf '%s\n' "$err" | grep -qF -- "$1"; then ok; else fail "$2: stderr lacks '$1': $err"; fi
}

# expect_one_line DESCRIPTION: stderr is exactly one line starting "convene: error: "
expect_one_line() {
    n=$(printf '%s' "$err" | awk 'END { print NR }')
    case "$err" in
    "convene: error: "*) [ "$n" -eq 1 ] && ok || fail "$1: stderr has $n lines: $err" ;;
    *) fail "$1: stderr is not 'convene: error: ...': $err" ;;
    esac
}

# expect_same FILE-A FILE-B DESCRIPTION
expect_same() {
    if cmp -s "$1" "$2"; then ok; else fail "$3: $1 and $2 differ"; diff "$1" "$2" | head -20; fi
}

# db_hash: the database file's SHA-256 (with any -wal appended, so unflushed writes count too)
db_hash() {
    cat "$CONVENE_DB" "$CONVENE_DB-wal" 2>/dev/null | sha256sum | cut -d' ' -f1
}

finish() {
    printf '%d checks, %d failed\n' "$((checks + failures))" "$failures"
    [ "$failures" -eq 0 ]
    exit $?
}
