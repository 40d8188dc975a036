#!/bin/sh
# SPDX-License-Identifier: MIT
# outbox_lock.sh: RELIABILITY.md D7 as convene runs it: one delivery run at a time per database.
# Four `convene outbox send` started at once, five times over, on 300 queued messages: the send
# lock (taken by the mail module, so any caller of cv_outbox_send() gets it) lets one run send
# while the others stop at once (exit 75, nothing claimed). Without it, a second run would take
# the first one's message in `sending` for one a killed run left and send it again. The sink's
# Message-IDs: each queued message exactly once, no SQLITE_BUSY reported as a failure.
# shellcheck source=lib.sh
. "$CONVENE_SOURCE_ROOT/tests/fault/lib.sh"
need_sink
N=300
export CONVENE_NOW=2024-01-15T09:00:00Z
export CONVENE_BUSY_TIMEOUT_MS=5000
setup_outbox "$N"
sink_start
round=0
refused=0
while [ "$round" -lt 5 ]; do
    round=$((round + 1))
    pids=""
    for w in 1 2 3 4; do
        "$C" outbox send --smtp "$SMTP" >"$T/out.$w" 2>"$T/err.$w" &
        pids="$pids $!"
    done
    w=0
    for pid in $pids; do
        w=$((w + 1))
        rc=0
        wait "$pid" || rc=$?
        case $rc in
        0) ok ;;
        75)
            if grep -q "another 'convene outbox send' is sending" "$T/err.$w"; then
                refused=$((refused + 1))
                ok
            else
                fail "round $round, run $w: exit 75 for another reason: $(cat "$T/err.$w")"
            fi
            ;;
        *) fail "round $round, run $w: exit $rc: $(cat "$T/err.$w")" ;;
        esac
    done
done
sink_stop
copies=$(ids "$SINK_DIR" | wc -l)
unique=$(ids "$SINK_DIR" | sort -u | wc -l)
echo "5 rounds of 4 concurrent runs: $refused refused by the lock, $copies messages at the sink ($unique distinct)"
[ "$unique" -eq "$N" ] && ok || fail "$unique of $N messages reached the sink"
[ "$copies" -eq "$N" ] && ok || fail "$((copies - unique)) duplicates"
[ "$refused" -ge 1 ] && ok || fail "no run was ever refused: the runs did not overlap (too fast to test)"
left=$(sql "SELECT count(*) FROM outbox WHERE state <> 'sent'")
[ "$left" -eq 0 ] && ok || fail "$left messages not sent"
n=$(sql "SELECT count(*) FROM outbox WHERE attempts <> 1")
[ "$n" -eq 0 ] && ok || fail "$n messages claimed more than once"

# A lock left by a killed run does not block the next one (flock goes with the process).
"$C" outbox send --smtp "$SMTP" >"$T/out" 2>"$T/err" &
pid=$!
kill -KILL "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
sink_start
run "$C" outbox send --smtp "$SMTP"
sink_stop
expect_rc 0 "a run after a killed one is not blocked by its lock"
finish
