# SPDX-License-Identifier: MIT
# lib.sh: helpers for the interop tests. Source it; it sets $C (the convene binary), $HERE
# (tests/interop), $PY (Debian's python3 with python3-icalendar), $T (a fresh temporary folder,
# removed at exit, the current directory), $NODE_OK (1 when node and the local ical.js are
# there), and counts failures. End a test with `finish`.
set -u
C=${CONVENE:?set CONVENE to the convene binary}
SRC=${CONVENE_SOURCE_ROOT:?set CONVENE_SOURCE_ROOT to the source tree}
HERE="$SRC/tests/interop"
PY=/usr/bin/python3

if ! [ -x "$PY" ] || ! "$PY" -c 'import icalendar' 2>/dev/null; then
    echo "SKIP: $PY with python3-icalendar is missing (apt-get install python3-icalendar)"
    exit 77
fi
NODE_OK=1
NODE_WHY=
if ! command -v node >/dev/null 2>&1; then
    NODE_OK=0
    NODE_WHY="node is not installed"
elif ! [ -f "$HERE/node_modules/ical.js/package.json" ]; then
    NODE_OK=0
    NODE_WHY="ical.js is not installed in tests/interop/node_modules (npm ci --prefix tests/interop)"
fi

# The command-line tests' helpers: $T, run, expect_*, fail, ok, finish.
. "$SRC/tests/cli/lib.sh"
trap 'exit 130' INT TERM
export CONVENE_NOW=2026-11-26T12:00:00Z
# must CMD...: a setup step that has to work, else the test cannot go on.
must() {
    run "$@"
    if [ "$rc" -ne 0 ]; then
        fail "$*: exit $rc: $err"
        finish
    fi
}

# token EMAIL: mints a private-feed token and prints it (the 32 hex digits of the URL).
token() {
    run "$C" people token "$1"
    if [ "$rc" -ne 0 ]; then
        fail "people token $1: exit $rc: $err"
        return 1
    fi
    printf '%s\n' "$out" | sed -n 's|^ *http://[^ ]*/private/\([0-9a-f]*\)\.ics$|\1|p'
}

sha256() {
    "$PY" "$HERE/feedtool.py" sha256 "$1"
}

# icaljs DIR OUT.jsonl [FILE...]: what ical.js reads (empty file when node is missing).
icaljs() {
    _dir=$1
    _out=$2
    shift 2
    if [ "$NODE_OK" -ne 1 ]; then
        : >"$_out"
        return 0
    fi
    node "$HERE/check_icaljs.mjs" "$_dir" "$@" >"$_out" 2>"$T/icaljs.err"
}

# check_feeds DIR [JSONL]: runs check_feeds.py; keeps $out and $rc.
check_feeds() {
    if [ $# -ge 2 ] && [ -s "$2" ]; then
        run "$PY" "$HERE/check_feeds.py" --icaljs "$2" "$1" "$CONVENE_DB"
    else
        run "$PY" "$HERE/check_feeds.py" "$1" "$CONVENE_DB"
    fi
}

finish() {
    echo "$checks passed, $failures failed"
    if [ "$failures" -gt 0 ]; then
        exit 1
    fi
    if [ "$NODE_OK" -ne 1 ]; then
        echo "SKIP: the ical.js checks did not run: $NODE_WHY"
        exit 77
    fi
    exit 0
}
