#!/bin/sh
# SPDX-License-Identifier: MIT
# outbox_kill.sh: RELIABILITY.md D1. `convene outbox send` of 1,000 messages to smtp-sink,
# killed with SIGKILL at random moments and restarted until the outbox is drained; each trial
# counts the Message-IDs the sink kept: 0 lost, at most one duplicate per kill (the message in
# flight), and PRAGMA integrity_check ok after every kill. 3 trials here; CONVENE_KILL_TRIALS
# and CONVENE_KILL_MESSAGES set a longer run (the README gives the 20-trial figures). A kill
# comes at a uniformly random moment in the first 0.4 s of a run; a trial whose whole mailing
# went out before it (a fast build sends 1,000 in about 0.3 s) is run again with the moment drawn
# within 80% of the time that run took, at most 3 times.
# shellcheck source=lib.sh
. "$CONVENE_SOURCE_ROOT/tests/fault/lib.sh"
need_sink
N=${CONVENE_KILL_MESSAGES:-1000}
TRIALS=${CONVENE_KILL_TRIALS:-3}
export CONVENE_NOW=2024-01-15T09:00:00Z

total_kills=0
total_dups=0
trial=1
window=0.4
again=0
now() { "$PY" -c 'import time; print(time.monotonic())'; }
while [ "$trial" -le "$TRIALS" ]; do
    export CONVENE_DB="$T/kill$trial-$again.db"
    setup_outbox "$N"
    sink_start
    kills=0
    round=0
    while [ "$round" -lt 200 ]; do
        round=$((round + 1))
        started=$(now)
        "$C" outbox send --smtp "$SMTP" >"$T/send.out" 2>"$T/send.err" &
        pid=$!
        sleep "$("$PY" -c "import random; print(round(random.uniform(0.01, $window), 3))")"
        if kill -KILL "$pid" 2>/dev/null; then
            wait "$pid" 2>/dev/null
            kills=$((kills + 1))
        else
            wait "$pid"
            rc=$?
            took=$("$PY" -c "print(round($(now) - $started, 3))")
            if [ "$rc" -ne 0 ]; then
                fail "trial $trial: a run failed ($rc): $(cat "$T/send.err")"
                break
            fi
        fi
        check=$(sql "PRAGMA integrity_check")
        [ "$check" = ok ] && ok || fail "trial $trial: integrity_check after round $round: $check"
        left=$(sql "SELECT count(*) FROM outbox WHERE state <> 'sent'")
        [ "$left" -eq 0 ] && break
    done
    sink_stop
    if [ "$kills" -eq 0 ] && [ "$left" -eq 0 ] && [ "$again" -lt 3 ]; then
        window=$("$PY" -c "print(round(max(0.02, 0.8 * $took), 3))")
        again=$((again + 1))
        echo "trial $trial: all sent in ${took}s before the kill; again, kills within ${window}s"
        continue
    fi
    again=0
    unique=$(ids "$SINK_DIR" | sort -u | wc -l)
    copies=$(ids "$SINK_DIR" | wc -l)
    dups=$((copies - unique))
    queued=$(sql "SELECT count(*) FROM outbox")
    ids "$SINK_DIR" | sort -u >"$T/at-sink"
    sql "SELECT message_id FROM outbox" | sort -u >"$T/queued"
    strangers=$(comm -23 "$T/at-sink" "$T/queued" | wc -l)
    echo "trial $trial: $round runs, $kills kills, $unique of $queued messages at the sink, $dups duplicates"
    [ "$left" -eq 0 ] && ok || fail "trial $trial: $left messages never sent"
    [ "$unique" -eq "$N" ] && ok || fail "trial $trial: $unique of $N messages reached the sink (lost: $((N - unique)))"
    [ "$strangers" -eq 0 ] && ok || fail "trial $trial: $strangers unknown Message-IDs at the sink"
    [ "$dups" -le "$kills" ] && ok || fail "trial $trial: $dups duplicates for $kills kills"
    [ "$kills" -ge 1 ] && ok || fail "trial $trial: the run was never killed (too fast to test)"
    total_kills=$((total_kills + kills))
    total_dups=$((total_dups + dups))
    trial=$((trial + 1))
done
echo "$TRIALS trials of $N messages: $total_kills kills, $total_dups duplicates, 0 lost"
finish
