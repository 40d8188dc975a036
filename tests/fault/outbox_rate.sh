#!/bin/sh
# SPDX-License-Identifier: MIT
# outbox_rate.sh: the provider profiles' sending limits, end to end against real servers on
# 127.0.0.1 (RELIABILITY.md R9, R10). The clock is CONVENE_NOW: the per-minute limit's waits move
# it forward instead of sleeping (cv_ctx_sleep), so a 33-minute mailing runs in seconds and the
# outbox's sent_at times are the times a real run would have. Nothing here reads a wall clock.
# shellcheck source=lib.sh
. "$CONVENE_SOURCE_ROOT/tests/fault/lib.sh"
need_sink
START=2024-01-15T09:00:00Z

# R9: 1,000 invitations with the Microsoft 365 profile (30 a minute): no 60 s window holds
# more than 30 sends, the mailing takes at least 33 minutes, nothing fails.
export CONVENE_DB="$T/r9.db" CONVENE_NOW=$START
setup_outbox 1000
sink_start
run "$C" outbox send --smtp "$SMTP" --profile microsoft365
sink_stop
expect_rc 0 "r9: the run ends normally"
expect_out "sent 1000, deferred 0, failed 0" "r9: every message sent, none failed by throttling"
# Any 31 sends in a row span at least 60 s: no 60-second window holds 31.
worst=$(sql "WITH s AS (SELECT sent_at, row_number() OVER (ORDER BY sent_at, id) AS k FROM outbox
             WHERE state = 'sent') SELECT min(b.sent_at - a.sent_at) FROM s a JOIN s b ON b.k = a.k + 30")
[ "$worst" -ge 60 ] && ok || fail "r9: 31 messages went out within $worst s"
span=$(sql "SELECT max(sent_at) - min(sent_at) FROM outbox WHERE state = 'sent'")
[ "$span" -ge 1980 ] && [ "$span" -lt 2040 ] && ok || fail "r9: the mailing took $span s, not 33 minutes (1,980 s)"
n=$(ids "$SINK_DIR" | sort -u | wc -l)
[ "$n" -eq 1000 ] && ok || fail "r9: $n of 1000 messages at the sink"
echo "r9: 1000 messages over $span s (virtual clock), at most 30 in any 60 s"
# The control: the same mailing without a profile goes out at once (so the check above can fail).
export CONVENE_DB="$T/r9-none.db" CONVENE_NOW=$START
setup_outbox 100
sink_start
run "$C" outbox send --smtp "$SMTP"
sink_stop
span=$(sql "SELECT max(sent_at) - min(sent_at) FROM outbox WHERE state = 'sent'")
[ "$span" -eq 0 ] && ok || fail "r9 control: without a profile the clock moved $span s"

# R10: the Google Workspace profile, 2,000 messages in a rolling 24 hours. 2,050 queued: the run
# stops at 2,000 (exit 75, the rest still queued); 23 h 59 min later the window still holds
# 2,000; a minute past 24 hours after the first attempts the rest goes.
export CONVENE_DB="$T/r10.db" CONVENE_NOW=$START
setup_outbox 2050
sink_start
run "$C" outbox send --smtp "$SMTP" --profile google-workspace
expect_rc 75 "r10: the daily limit stops the run"
expect_out "sent 2000, deferred 0, failed 0" "r10: 2,000 sent"
expect_err "limit of 2000 messages a day" "r10: the limit is named"
later 1439
run "$C" outbox send --smtp "$SMTP" --profile google-workspace
expect_rc 75 "r10: still at the limit after 23 h 59 min"
expect_out "sent 0," "r10: nothing sent inside the 24 hours"
later 2
run "$C" outbox send --smtp "$SMTP" --profile google-workspace
expect_rc 0 "r10: the next day's run"
expect_out "sent 50," "r10: the rest sent 24 hours later"
sink_stop
n=$(ids "$SINK_DIR"* | sort -u | wc -l)
copies=$(ids "$SINK_DIR" | wc -l)
[ "$n" -eq 2050 ] && [ "$copies" -eq 2050 ] && ok || fail "r10: $n distinct of $copies messages at the sink, not 2050"

# R10: Gmail's "421 4.7.28" (too much mail from this sender): the run stops at once and every
# due message waits 5 minutes (CV_THROTTLE_PAUSE), in this run and the next.
if "$PY" -c 'import aiosmtpd' 2>/dev/null; then
    export CONVENE_DB="$T/r10-421.db" CONVENE_NOW=$START
    setup_outbox 10
    AIO_DIR="$T/aio"
    mkdir -p "$AIO_DIR"
    AIO_PORT=$(free_port)
    "$PY" "$SRC/tests/fixtures/smtpd.py" --port "$AIO_PORT" --dir "$AIO_DIR" --tls none \
        --throttle 3 2>>"$T/aio.log" &
    AIO_PID=$!
    wait_port "$AIO_PORT" || fail "aiosmtpd did not start: $(cat "$T/aio.log")"
    run "$C" outbox send --smtp "smtp+plain://127.0.0.1:$AIO_PORT"
    expect_rc 75 "r10-421: the run stops"
    expect_out "sent 3, deferred 1, failed 0" "r10-421: 3 sent, the fourth deferred"
    expect_err "asks to slow down (421 4.7.28" "r10-421: the reason is named"
    n=$(sql "SELECT count(*) FROM outbox WHERE state IN ('queued', 'deferred') AND next_attempt >= strftime('%s', '2024-01-15T09:05:00')")
    [ "$n" -eq 7 ] && ok || fail "r10-421: $n of 7 messages wait 5 minutes"
    kill "$AIO_PID"
    wait "$AIO_PID" 2>/dev/null
    sink_start
    later 4
    run "$C" outbox send --smtp "$SMTP"
    expect_out "sent 0," "r10-421: nothing goes to the server within the pause"
    later 1
    run "$C" outbox send --smtp "$SMTP"
    sink_stop
    expect_out "sent 7, deferred 0, failed 0" "r10-421: everything goes after 5 minutes"
    n=$(($(ls "$AIO_DIR" | grep -c '\.eml$') + $(ids "$SINK_DIR" | wc -l)))
    [ "$n" -eq 10 ] && ok || fail "r10-421: $n messages delivered, not 10"
else
    echo "r10-421: skipped (no python3-aiosmtpd)"
fi
finish
