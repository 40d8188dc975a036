#!/bin/sh
# SPDX-License-Identifier: MIT
# outbox_alloc.sh: RELIABILITY.md D5. The k-th allocation fails once (tests/fault/mallocfail.c,
# preloaded; k counted from main, SQLite's, libcurl's and the C library's allocations included,
# libical's own left out: libical 3.0 writes through the NULL of a failed allocation, as the
# first version of this test found, in icalparser_get_line and icaltimezone_get_utc_timezone)
# in "queue and render the invitations" (`convene invite`) and in "send and mark sent"
# (`convene outbox send` to smtp-sink). Every k: the process exits (no signal), with 0 only
# when it did everything, else with a sysexits code and one line on stderr; integrity_check is
# ok; the queueing is wholly there or not at all; and a clean run afterwards leaves exactly N
# queued, or delivers every message, at most one twice (the one whose `sent` mark could not be
# written). Every k when the run has at most $CONVENE_ALLOC_RUNS of them (default 150; 50
# under ASan), else an even stride, said in the output; CONVENE_ALLOC_STRIDE=1 tries all.
# Then queueing once more, failing each k of the allocations at least as large as a message
# (MALLOCFAIL_MIN): SQLite's copy of a message bound to its INSERT is one of them, and every
# failure must be out of memory (exit 71), never the NOT NULL constraint the unbound value
# breaks (exit 65, as while the store did not check its binds).
# Leaks: under ASan, LeakSanitizer checks every run (its exit 23 is not a sysexits code); in
# the plain build CONVENE_ALLOC_VALGRIND=N (default 4) more k, evenly spread, run under
# valgrind: no definite leak. CONVENE_ALLOC_LOG=FILE keeps each run's exit and error line.
# shellcheck source=lib.sh
. "$CONVENE_SOURCE_ROOT/tests/fault/lib.sh"
need_sink
SINK_PID=
[ -f "${MALLOCFAIL_LIB:-}" ] || { echo "SKIP: the mallocfail shim is not built"; exit 77; }
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0"
export MALLOCFAIL_SKIP=libical.so MALLOCFAIL_PROG=convene
export CONVENE_NOW=2024-01-15T09:00:00Z
N=5
# Under ASan (LeakSanitizer checks every run) fewer runs and no valgrind; in the plain build a
# few runs under valgrind check the leaks.
if ldd "$C" 2>/dev/null | grep -q libasan; then
    RUNS=${CONVENE_ALLOC_RUNS:-50}
    VG=0
else
    RUNS=${CONVENE_ALLOC_RUNS:-150}
    VG=${CONVENE_ALLOC_VALGRIND:-4}
fi
VALGRIND=
if [ "$VG" -gt 0 ] && ! command -v valgrind >/dev/null 2>&1; then
    echo "valgrind is missing: no run under it"
    VG=0
fi

export CONVENE_DB="$T/base.db"
run "$C" init
people_csv "$N" "$T/people.csv"
run "$C" people import "$T/people.csv"

# with_fault K CMD...: CMD with the K-th allocation failing (K 0: none, counting them into
# $T/count). VALGRIND set: under valgrind, a definite leak giving exit 99.
with_fault() {
    k=$1
    shift
    rc=0
    if [ -n "$VALGRIND" ]; then
        # The synonym: valgrind stands in for the C library's malloc only, behind the shim.
        set -- valgrind -q --soname-synonyms=somalloc=libc.so.6 --leak-check=full \
            --errors-for-leak-kinds=definite --error-exitcode=99 "$@"
    fi
    LD_PRELOAD="$MALLOCFAIL_LIB" MALLOCFAIL_AT="$k" MALLOCFAIL_COUNT="$T/count" \
        "$@" >"$T/out" 2>"$T/err" || rc=$?
    out=$(cat "$T/out")
    err=$(cat "$T/err")
    [ -z "${CONVENE_ALLOC_LOG:-}" ] || echo "$*: k=$k rc=$rc $err" >>"$CONVENE_ALLOC_LOG"
}

# check_exit WHAT [CODE]: no signal; a failure is a sysexits code (CODE when given) with one line
# of error. Every failure here is an allocation that failed: the line must say so (a message
# naming bad data, a time zone or a long description for it misleads whoever reads it).
check_exit() {
    if [ "$rc" -ge 128 ]; then
        fail "$1: crashed (exit $rc): $err"
    elif [ "$rc" -eq 99 ] && [ -n "$VALGRIND" ]; then
        fail "$1: valgrind found a leak or an error: $err"
    elif [ "$rc" -ne 0 ]; then
        if [ -n "${2:-}" ]; then
            [ "$rc" -eq "$2" ] && ok || fail "$1: exit $rc, not $2: $err"
        else
            [ "$rc" -ge 64 ] && [ "$rc" -le 78 ] && ok ||
                fail "$1: exit $rc, not a sysexits code: $err"
        fi
        expect_one_line "$1"
        case $err in
        *"out of memory"*) ok ;;
        *) fail "$1: the error does not say out of memory: $err" ;;
        esac
    fi
}

# stride K: the step through 1..K (every k when K is small enough, or when asked).
stride() {
    if [ -n "${CONVENE_ALLOC_STRIDE:-}" ]; then
        echo "$CONVENE_ALLOC_STRIDE"
    else
        echo $((($1 + RUNS - 1) / RUNS))
    fi
}

# ks K: the k to try, one a line: every stride-th from 1, and K itself.
ks() {
    s=$(stride "$1")
    seq 1 "$s" "$1"
    [ $(($1 % s)) -eq 1 ] || [ "$s" -eq 1 ] || echo "$1"
}

# vks K: the VG k under valgrind, evenly spread over 1..K.
vks() {
    [ "$VG" -gt 0 ] || return 0
    seq 1 $((($1 + VG - 1) / VG)) "$1"
}

enqueue() {
    rm -f "$CONVENE_DB"*
    cp "$T/base.db" "$CONVENE_DB"
    with_fault "$1" "$C" invite africa-regional-meeting --to country:KE
    what="enqueue, allocation $1${MALLOCFAIL_MIN:+ of $MALLOCFAIL_MIN bytes or more} failing"
    what="$what${VALGRIND:+ (valgrind)}"
    check_exit "$what" 71
    set -- $(sql "PRAGMA integrity_check; SELECT count(*) FROM outbox")
    [ "${1:-}" = ok ] && ok || fail "$what: integrity_check: $*"
    n=${2:-x}
    if [ "$rc" -eq 0 ]; then
        [ "$n" = "$N" ] && ok || fail "$what: exit 0 with $n of $N queued: $out"
        expect_out "queued $N invitations" "$what: exit 0"
    else
        failed=$((failed + 1))
        [ "$n" = 0 ] || [ "$n" = "$N" ] && ok || fail "$what: $n of $N messages queued"
        [ "$n" = 0 ] || echo "$what: exit $rc after the commit ($err)"
    fi
    run "$C" invite africa-regional-meeting --to country:KE
    expect_rc 0 "$what: the clean run after it"
    n=$(sql "SELECT count(*) FROM outbox")
    [ "$n" = "$N" ] && ok || fail "$what: after the clean run, $n queued, not $N"
}

send() {
    rm -f "$CONVENE_DB"*
    cp "$T/queued.db" "$CONVENE_DB"
    what="send, allocation $1 failing${VALGRIND:+ (valgrind)}"
    with_fault "$1" "$C" outbox send --smtp "$SMTP"
    check_exit "$what"
    set -- $(sql "PRAGMA integrity_check; SELECT count(*) FROM outbox WHERE state <> 'sent'")
    [ "${1:-}" = ok ] && ok || fail "$what: integrity_check: $*"
    if [ "$rc" -eq 0 ]; then
        [ "${2:-x}" = 0 ] && ok || fail "$what: exit 0 with ${2:-x} messages not sent: $out"
    else
        failed=$((failed + 1))
    fi
    # An hour on: a message deferred by the failed run is due again.
    CONVENE_NOW=2024-01-15T10:00:00Z run "$C" outbox send --smtp "$SMTP"
    expect_rc 0 "$what: the clean run after it"
    left=$(sql "SELECT count(*) FROM outbox WHERE state <> 'sent'")
    [ "$left" = 0 ] && ok || fail "$what: $left messages not sent after the clean run"
    # smtp-sink has written each message before its reply: all are in the folder now.
    mkdir "$T/got"
    mv "$SINK_DIR"/* "$T/got/" 2>/dev/null
    ids "$T/got" >"$T/ids"
    unique=$(sort -u "$T/ids" | wc -l)
    copies=$(wc -l <"$T/ids")
    rm -rf "$T/got"
    [ "$unique" -eq "$N" ] && ok || fail "$what: $unique of $N messages delivered"
    [ $((copies - unique)) -le 1 ] && ok || fail "$what: $((copies - unique)) duplicates"
    dups=$((dups + copies - unique))
}

# each PHASE K: PHASE (enqueue or send) with each k to try failing, then the valgrind ones; sets
# $summary.
each() {
    failed=0 tried=0
    for k in $(ks "$2"); do
        "$1" "$k"
        tried=$((tried + 1))
    done
    VALGRIND=1
    for k in $(vks "$2"); do
        "$1" "$k"
        tried=$((tried + 1))
    done
    VALGRIND=
    summary="$2 allocations, k from 1 in steps of $(stride "$2") and k = $2"
    summary="$summary$([ "$VG" -gt 0 ] && echo ", and $VG more under valgrind")"
    summary="$summary: $tried runs, $failed reported an error"
}

export CONVENE_DB="$T/io.db"
cp "$T/base.db" "$CONVENE_DB"
with_fault 0 "$C" invite africa-regional-meeting --to country:KE
K=$(cat "$T/count")
[ "$rc" -eq 0 ] && [ "$K" -gt 0 ] && ok || fail "enqueue: the clean run ($rc, $K allocations)"
each enqueue "$K"
echo "enqueue: $summary"

# Out of memory (EX_OSERR) at every allocation as large as the smallest message.
export MALLOCFAIL_MIN
MALLOCFAIL_MIN=$(sql "SELECT min(length(data)) FROM outbox_data")
cp "$T/base.db" "$CONVENE_DB"
with_fault 0 "$C" invite africa-regional-meeting --to country:KE
K=$(cat "$T/count")
[ "$rc" -eq 0 ] && [ "$K" -gt 0 ] && ok || fail "enqueue: the clean run ($rc, $K large allocations)"
failed=0
for k in $(seq 1 "$K"); do
    enqueue "$k"
done
echo "enqueue: $K allocations of $MALLOCFAIL_MIN bytes or more, every k: $failed reported an error"
unset MALLOCFAIL_MIN

cp "$T/base.db" "$CONVENE_DB"
run "$C" invite africa-regional-meeting --to country:KE
cp "$CONVENE_DB" "$T/queued.db"
sink_start
with_fault 0 "$C" outbox send --smtp "$SMTP"
K=$(cat "$T/count")
[ "$rc" -eq 0 ] && [ "$K" -gt 0 ] && ok || fail "send: the clean run ($rc, $K allocations)"
rm -f "$SINK_DIR"/*
dups=0
each send "$K"
sink_stop
echo "send: $summary, $dups duplicates in all"
finish
