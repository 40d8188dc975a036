#!/bin/sh
# SPDX-License-Identifier: MIT
# outbox_io.sh: RELIABILITY.md D4. The k-th write, sync or truncate of the database's files
# fails with EIO (tests/fault/iofail.c, preloaded), for every k of "queue the invitations"
# (`convene invite`) and of "send and mark sent" (`convene outbox send` to smtp-sink), once and
# from then on. Every k: no crash, an error reaches the command (one line, exit 74) or the run
# succeeds, integrity_check is ok, the queueing is wholly there or not at all, and a clean run
# afterwards delivers every message, at most one twice (the one whose mark could not be written).
# shellcheck source=lib.sh
. "$CONVENE_SOURCE_ROOT/tests/fault/lib.sh"
need_sink
SINK_PID=
[ -f "${IOFAIL_LIB:-}" ] || { echo "SKIP: the iofail shim is not built"; exit 77; }
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0"
export CONVENE_NOW=2024-01-15T09:00:00Z
N=5

export CONVENE_DB="$T/base.db"
run "$C" init
people_csv "$N" "$T/people.csv"
run "$C" people import "$T/people.csv"

# with_fault K MODE CMD...: CMD with the K-th operation on io.db's files failing (K 0: none,
# counting them into $T/count).
with_fault() {
    k=$1 mode=$2
    shift 2
    rc=0
    LD_PRELOAD="$IOFAIL_LIB" IOFAIL_MATCH=io.db IOFAIL_AT="$k" IOFAIL_MODE="$mode" \
        IOFAIL_COUNT="$T/count" "$@" >"$T/out" 2>"$T/err" || rc=$?
    out=$(cat "$T/out")
    err=$(cat "$T/err")
}

# check_error WHAT: the command either succeeded or said why in one line with EX_IOERR.
check_error() {
    if [ "$rc" -ge 128 ]; then
        fail "$1: crashed (exit $rc): $err"
    elif [ "$rc" -ne 0 ]; then
        [ "$rc" -eq 74 ] && ok || fail "$1: exit $rc, not 74: $err"
        expect_one_line "$1"
    fi
    [ "$(sql "PRAGMA integrity_check")" = ok ] && ok || fail "$1: integrity_check"
}

export CONVENE_DB="$T/io.db"
cp "$T/base.db" "$CONVENE_DB"
with_fault 0 once "$C" invite africa-regional-meeting --to country:KE
K=$(cat "$T/count")
[ "$rc" -eq 0 ] && [ "$K" -gt 0 ] && ok || fail "enqueue: the clean run ($rc, $K operations)"
failed=0
for mode in once always; do
    k=1
    while [ "$k" -le "$K" ]; do
        rm -f "$CONVENE_DB"*
        cp "$T/base.db" "$CONVENE_DB"
        with_fault "$k" "$mode" "$C" invite africa-regional-meeting --to country:KE
        [ "$rc" -ne 0 ] && failed=$((failed + 1))
        check_error "enqueue, operation $k failing $mode"
        n=$(sql "SELECT count(*) FROM outbox")
        [ "$n" -eq 0 ] || [ "$n" -eq "$N" ] && ok || fail "enqueue, operation $k failing $mode: $n of $N messages queued"
        if [ "$rc" -ne 0 ] && [ "$n" -ne 0 ]; then
            # Committed, then an error: the report must not claim it was not queued.
            echo "enqueue, operation $k failing $mode: exit $rc after the commit ($err)"
        fi
        k=$((k + 1))
    done
done
echo "enqueue: $K operations, each failed once and from then on: $failed runs reported an error"

cp "$T/base.db" "$CONVENE_DB"
run "$C" invite africa-regional-meeting --to country:KE
cp "$CONVENE_DB" "$T/queued.db"
sink_start
with_fault 0 once "$C" outbox send --smtp "$SMTP"
sink_stop
K=$(cat "$T/count")
[ "$rc" -eq 0 ] && [ "$K" -gt 0 ] && ok || fail "send: the clean run ($rc, $K operations)"
failed=0
dups=0
for mode in once always; do
    k=1
    while [ "$k" -le "$K" ]; do
        rm -f "$CONVENE_DB"*
        cp "$T/queued.db" "$CONVENE_DB"
        sink_start
        with_fault "$k" "$mode" "$C" outbox send --smtp "$SMTP"
        [ "$rc" -ne 0 ] && failed=$((failed + 1))
        check_error "send, operation $k failing $mode"
        run "$C" outbox send --smtp "$SMTP"
        sink_stop
        expect_rc 0 "send, operation $k failing $mode: the clean run after it"
        check_delivered "send, operation $k failing $mode" "$N" 1 "$SINK_DIR"
        dups=$((dups + copies - unique))
        k=$((k + 1))
    done
done
echo "send: $K operations, each failed once and from then on: $failed runs reported an error, $dups duplicates in all"
finish
