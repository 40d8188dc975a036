#!/bin/sh
# SPDX-License-Identifier: MIT
# smtp_stall.sh: RELIABILITY.md R6, servers that never answer. (1) An address that drops every
# SYN (a listener on 127.0.0.1 whose accept queue is full: the blackholed IP): the connect
# timeout (30 s) ends the attempt, the run stops as "unavailable" (exit 75) and nothing is
# marked: the message stays queued with no attempt counted. (2) With CONVENE_LONG_TESTS=1, a
# server that accepts the connection and then stalls on MAIL (smtp-sink -W mail:3600, its own
# reply limit raised past that): the attempt ends by the reply timeout (600 s), the message is
# deferred, and a healthy server takes it later. smtp-sink holds MAIL's reply back but answers
# the RCPT and DATA pipelined after it at once ("503 need MAIL"), so the reply kept is that 503,
# which says nothing of the message: deferred, not failed. Times are printed, never asserted.
# shellcheck source=lib.sh
. "$CONVENE_SOURCE_ROOT/tests/fault/lib.sh"
need_sink
export CONVENE_NOW=2024-01-15T09:00:00Z
SINK_PID=
elapsed() { "$PY" -c 'import sys, time; print(f"{time.monotonic() - float(sys.argv[1]):.1f}")' "$1"; }
mono() { "$PY" -c 'import time; print(time.monotonic())'; }

export CONVENE_DB="$T/r6.db"
setup_outbox 2
"$PY" - >"$T/bh.port" <<'PYEOF' &
import socket, time
l = socket.socket()
l.bind(("127.0.0.1", 0))
l.listen(0)
port = l.getsockname()[1]
fill = []
for _ in range(4):
    c = socket.socket()
    c.setblocking(False)
    try:
        c.connect(("127.0.0.1", port))
    except BlockingIOError:
        pass
    fill.append(c)
time.sleep(0.5)
print(port, flush=True)
time.sleep(600)
PYEOF
BH_PID=$!
i=0
while ! [ -s "$T/bh.port" ] && [ "$i" -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
t0=$(mono)
run "$C" outbox send --smtp "smtp+plain://127.0.0.1:$(cat "$T/bh.port")"
echo "r6-blackhole: the run ended after $(elapsed "$t0") s (connect timeout 30 s)"
kill "$BH_PID" 2>/dev/null
wait "$BH_PID" 2>/dev/null
expect_rc 75 "r6-blackhole: the run stops, to be run again later"
expect_err "no connection within 30 s" "r6-blackhole: the connect timeout is named"
n=$(sql "SELECT count(*) FROM outbox WHERE state = 'queued' AND attempts = 0")
[ "$n" -eq 2 ] && ok || fail "r6-blackhole: $n of 2 messages left queued with no attempt counted"

if [ "${CONVENE_LONG_TESTS:-0}" = 1 ]; then
    export CONVENE_DB="$T/r6-stall.db"
    setup_outbox 1
    sink_start -t 4000 -W mail:3600
    t0=$(mono)
    run "$C" outbox send --smtp "$SMTP"
    echo "r6-stall: the attempt ended after $(elapsed "$t0") s (reply 600 s, transaction 900 s)"
    sink_stop
    expect_rc 0 "r6-stall: the run ends normally"
    expect_out "sent 0, deferred 1, failed 0" "r6-stall: the stalled message is deferred"
    n=$(sql "SELECT count(*) FROM outbox WHERE state = 'deferred' AND ambiguous = 0 AND attempts = 1")
    [ "$n" -eq 1 ] && ok || fail "r6-stall: not deferred before the final dot: $(sql "SELECT state, ambiguous, last_reply FROM outbox")"
    echo "r6-stall: the reply kept: $(sql "SELECT last_reply FROM outbox")"
    later 10
    sink_start
    run "$C" outbox send --smtp "$SMTP"
    sink_stop
    expect_out "sent 1, deferred 0, failed 0" "r6-stall: sent to a healthy server later"
    n=$(ids "$SINK_DIR" | wc -l)
    [ "$n" -eq 1 ] && ok || fail "r6-stall: $n copies at the healthy server"
else
    echo "r6-stall: skipped (the 600 s reply timeout; set CONVENE_LONG_TESTS=1)"
fi
finish
