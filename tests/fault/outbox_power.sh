#!/bin/sh
# SPDX-License-Identifier: MIT
# outbox_power.sh: RELIABILITY.md D2 and D3, power cuts. tests/fault/powercut.c (preloaded)
# keeps the database's writes in the process's memory until they are synced, so SIGKILL loses
# every unsynced write, as a power cut would. D2: `convene invite` and `convene outbox send` of
# 300 messages to smtp-sink cut at random moments, restarted until drained: an acknowledged
# queueing ("queued 300") is never lost, integrity_check is ok after every cut, 0 messages
# lost, at most one duplicate per cut. D3: the same with the deferred syncs ignored (what
# synchronous=NORMAL would give): the duplicates per cut are counted, not bounded.
# CONVENE_POWER_TRIALS sets the trials of each (3 here).
# shellcheck source=lib.sh
. "$CONVENE_SOURCE_ROOT/tests/fault/lib.sh"
need_sink
SINK_PID=
[ -f "${POWERCUT_LIB:-}" ] || { echo "SKIP: the powercut shim is not built"; exit 77; }
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0"
export CONVENE_NOW=2024-01-15T09:00:00Z
N=300
TRIALS=${CONVENE_POWER_TRIALS:-3}
random_delay() { "$PY" -c "import random; print(round(random.uniform(0.01, $1), 3))"; }

# cut_run SECONDS CMD...: CMD under the shim, killed after SECONDS unless done; sets $cut (1: killed).
cut_run() {
    delay=$1
    shift
    LD_PRELOAD="$POWERCUT_LIB" POWERCUT_MATCH=power "$@" >"$T/out" 2>"$T/err" &
    pid=$!
    sleep "$delay"
    cut=0
    if kill -KILL "$pid" 2>/dev/null; then
        cut=1
    fi
    rc=0
    wait "$pid" 2>/dev/null || rc=$?
    [ "$cut" -eq 1 ] || [ "$rc" -eq 0 ] || fail "a run failed ($rc): $(cat "$T/err")"
}

for variant in full normal; do
    # full: every sync takes 20 ms (a slow disk), so a sender that sent a final dot before the
    # last `sent` mark was on disk would have several delivered messages unmarked at a cut.
    if [ "$variant" = full ]; then
        export POWERCUT_SYNC_MS=20
    else
        unset POWERCUT_SYNC_MS
        export POWERCUT_NORMAL=1
    fi
    cuts=0
    dups=0
    acked=0
    trial=1
    while [ "$trial" -le "$TRIALS" ]; do
        export CONVENE_DB="$T/power-$variant-$trial.db"
        run "$C" init
        people_csv "$N" "$T/people.csv"
        run "$C" people import "$T/people.csv"
        cut_run "$(random_delay 2.0)" "$C" invite africa-regional-meeting --to country:KE
        [ "$(sql "PRAGMA integrity_check")" = ok ] && ok || fail "$variant $trial: integrity_check after cutting the queueing"
        n=$(sql "SELECT count(*) FROM outbox")
        if grep -q "queued $N invitations" "$T/out"; then
            acked=$((acked + 1))
            [ "$n" -eq "$N" ] && ok || fail "$variant $trial: an acknowledged queueing lost: $n of $N"
        else
            [ "$n" -eq 0 ] || [ "$n" -eq "$N" ] && ok || fail "$variant $trial: $n of $N queued"
        fi
        run "$C" invite africa-regional-meeting --to country:KE
        expect_rc 0 "$variant $trial: queueing after the cut"
        sink_start
        kills=0
        round=0
        while [ "$round" -lt 21 ]; do
            round=$((round + 1))
            if [ "$round" -le 20 ]; then
                cut_run "$(random_delay 0.3)" "$C" outbox send --smtp "$SMTP"
                kills=$((kills + cut))
            else
                # At most 20 cuts: then a run to the end (a slow build, or the rolled-back marks
                # of D3, could otherwise be cut forever).
                run "$C" outbox send --smtp "$SMTP"
                expect_rc 0 "$variant $trial: the last run"
            fi
            [ "$(sql "PRAGMA integrity_check")" = ok ] && ok || fail "$variant $trial: integrity_check after cut $kills"
            [ "$(sql "SELECT count(*) FROM outbox WHERE state <> 'sent'")" -eq 0 ] && break
        done
        sink_stop
        check_delivered "$variant $trial" "$N" "$([ "$variant" = full ] && echo "$kills" || echo 1000000)" "$SINK_DIR"
        cuts=$((cuts + kills))
        dups=$((dups + copies - unique))
        trial=$((trial + 1))
    done
    echo "$variant: $TRIALS trials of $N messages: $acked queueings acknowledged before their cut, $cuts cuts while sending, $dups duplicates, 0 lost"
done
finish
