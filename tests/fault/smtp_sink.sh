#!/bin/sh
# SPDX-License-Identifier: MIT
# smtp_sink.sh: `convene outbox send` against Postfix's smtp-sink on 127.0.0.1 injecting
# faults (RELIABILITY.md R1-R5, S4, S9): 4xx, 5xx, 421 and silent drops at MAIL, RCPT, DATA and
# the final dot, and a delay before the reply to the final dot. After each, a clean server
# takes what is due; the Message-IDs the servers kept are counted: 0 lost, 0 duplicates except
# after no reply to the final dot (then at most one more copy each, with the same Message-ID).
# shellcheck source=lib.sh
. "$CONVENE_SOURCE_ROOT/tests/fault/lib.sh"
need_sink
N=5
START=2024-01-15T09:00:00Z

# fresh NAME: a new database with N invitations queued, the clock at START.
fresh() {
    export CONVENE_DB="$T/$1.db"
    CONVENE_NOW=$START
    export CONVENE_NOW
    setup_outbox "$N"
}

# drain WHAT: after a fault, a clean server 10 minutes later takes every deferred message,
# each once, over one connection; then no message is lost.
drain() {
    later 10
    sink_start
    run "$C" outbox send --smtp "$SMTP"
    sink_stop
    expect_rc 0 "$1: the retry runs"
    expect_out "sent $N, deferred 0, failed 0" "$1: every deferred message is sent on retry"
    expect_out "1 SMTP connection" "$1: one connection for the whole run (S9)"
    got=$(ids "$SINK_DIR" | sort)
    want=$(sql "SELECT message_id FROM outbox WHERE kind = 'invitation'" | sort)
    if [ "$got" = "$want" ]; then ok; else fail "$1: the server kept other Message-IDs than queued: $got"; fi
    dups=$(ids "$SINK_DIR" | sort | uniq -d | wc -l)
    [ "$dups" -eq 0 ] && ok || fail "$1: $dups duplicates"
    left=$(sql "SELECT count(*) FROM outbox WHERE state <> 'sent'")
    [ "$left" -eq 0 ] && ok || fail "$1: $left messages not sent"
}

# temporary NAME SINK-OPTIONS...: R1, R3 and drops before the final dot: deferred, then sent.
temporary() {
    name=$1
    shift
    fresh "$name"
    sink_start "$@"
    run "$C" outbox send --smtp "$SMTP"
    sink_stop
    expect_rc 0 "$name: the run ends normally"
    expect_out "sent 0, deferred $N, failed 0" "$name: every message deferred"
    n=$(sql "SELECT count(*) FROM outbox WHERE state = 'deferred' AND attempts = 1 AND next_attempt = strftime('%s', '2024-01-15T09:05:00')")
    [ "$n" -eq "$N" ] && ok || fail "$name: $n of $N deferred for 5 minutes after 1 attempt"
    stuck=$(sql "SELECT count(*) FROM outbox WHERE state = 'sending'")
    [ "$stuck" -eq 0 ] && ok || fail "$name: $stuck messages stuck in sending"
    # Not due yet: nothing is tried again before the backoff.
    sink_start
    run "$C" outbox send --smtp "$SMTP"
    sink_stop
    expect_out "sent 0, deferred 0, failed 0" "$name: nothing is due before 5 minutes"
    drain "$name"
}

# R1: a 4xx reply at each point.
temporary r1-mail -r mail
temporary r1-rcpt -r rcpt
temporary r1-data -r data
temporary r1-dot -r .
n=$(sql "SELECT count(*) FROM outbox WHERE last_code = 250")
[ "$n" -eq "$N" ] && ok || fail "r1-dot: the 250 of the retry is kept"
# R3: 421 and a disconnection.
temporary r3-mail -Q mail
temporary r3-rcpt -Q rcpt
temporary r3-dot -Q .
# A connection dropped without a reply before the final dot: nothing can have been delivered.
temporary drop-mail -q mail
temporary drop-rcpt -q rcpt
temporary drop-data -q data

# R2: a 5xx reply at each point: failed after one attempt, the reply kept, never retried; the
# organizer is sent a notice.
for point in mail rcpt data .; do
    name="r2-$point"
    fresh "$name"
    sink_start -f "$point"
    run "$C" outbox send --smtp "$SMTP"
    sink_stop
    expect_rc 0 "$name: the run ends normally"
    n=$(sql "SELECT count(*) FROM outbox WHERE kind = 'invitation' AND state = 'failed' AND attempts = 1 AND last_code BETWEEN 500 AND 599 AND last_reply LIKE '5%'")
    [ "$n" -eq "$N" ] && ok || fail "$name: $n of $N failed with the 5xx reply kept"
    n=$(sql "SELECT count(*) FROM outbox WHERE kind = 'notice' AND recipient = 'cochair-office@example.org'")
    [ "$n" -eq "$N" ] && ok || fail "$name: $n notices to the organizer, not $N"
    later 120
    sink_start
    run "$C" outbox send --smtp "$SMTP"
    sink_stop
    got=$(ids "$SINK_DIR" | wc -l)
    [ "$got" -eq 0 ] && ok || fail "$name: $got failed messages were sent again"
    n=$(sql "SELECT count(*) FROM outbox WHERE kind = 'invitation' AND attempts = 1")
    [ "$n" -eq "$N" ] && ok || fail "$name: a failed invitation was tried again"
done

# resent_once NAME FIRST: 10 minutes after messages went without a usable reply to their final
# dot, a clean server takes each once more; TOTAL and UNIQUE count the copies in FIRST (the
# first server's folder) and the clean server's.
resent_once() {
    later 10
    sink_start
    run "$C" outbox send --smtp "$SMTP"
    sink_stop
    expect_out "sent $N," "$1: resent once"
    TOTAL=$(ids "$2" "$SINK_DIR" | wc -l)
    UNIQUE=$(ids "$2" "$SINK_DIR" | sort -u | wc -l)
}

# Replies smtp-sink cannot give, from tests/fixtures/oddsmtp.py (which offers PIPELINING and
# answers in order).
odd_start() {
    fixture_start oddsmtp.py odd "$@"
    ODD_DIR=$FIXTURE_DIR ODD_PID=$FIXTURE_PID
    ODD="smtp+plain://127.0.0.1:$FIXTURE_PORT"
}
odd_stop() {
    kill "$ODD_PID" 2>/dev/null
    wait "$ODD_PID" 2>/dev/null
}

# R2 with pipelining: a 550 to RCPT stays final when the server then closes the connection on
# the DATA pipelined after it (the connection lost while the replies after a refusal are read
# does not turn the refusal into a deferral).
fresh r2-rcpt-close
odd_start --refuse-rcpt-then-close
run "$C" outbox send --smtp "$ODD"
odd_stop
expect_rc 0 "r2-rcpt-close: the run ends normally"
n=$(sql "SELECT count(*) FROM outbox WHERE kind = 'invitation' AND state = 'failed' AND attempts = 1 AND last_code = 550 AND last_reply LIKE '550 5.1.1%'")
[ "$n" -eq "$N" ] && ok || fail "r2-rcpt-close: $n of $N failed with the 550 kept: $(sql "SELECT state, last_code, last_reply FROM outbox LIMIT 1")"
n=$(sql "SELECT count(*) FROM outbox WHERE kind = 'notice'")
[ "$n" -eq "$N" ] && ok || fail "r2-rcpt-close: $n notices to the organizer, not $N"

# 503 (bad sequence of commands) says the conversation is out of step, not that the message
# is unwanted: deferred, not failed (the 503s to the RCPT and DATA after it do not count).
fresh r2-503
odd_start --mail-reply "503 5.5.1 Error: send HELO/EHLO first"
run "$C" outbox send --smtp "$ODD"
odd_stop
expect_rc 0 "r2-503: the run ends normally"
n=$(sql "SELECT count(*) FROM outbox WHERE kind = 'invitation' AND state = 'deferred' AND attempts = 1 AND last_code = 503 AND last_reply LIKE '503 5.5.1 Error: send HELO%'")
[ "$n" -eq "$N" ] && ok || fail "r2-503: $n of $N deferred with the 503 kept: $(sql "SELECT state, last_code, last_reply FROM outbox LIMIT 1")"

# Another positive reply to the final dot than 250 (a 2yz): taken, so sent, and never again.
fresh dot-2yz
odd_start --dot-reply "200 2.0.0 queued"
run "$C" outbox send --smtp "$ODD"
expect_rc 0 "dot-2yz: the run ends normally"
expect_out "sent $N, deferred 0, failed 0" "dot-2yz: a 200 after the final dot is a delivery"
later 120
run "$C" outbox send --smtp "$ODD"
odd_stop
n=$(ids "$ODD_DIR" | wc -l)
[ "$n" -eq "$N" ] && ok || fail "dot-2yz: $n copies of $N messages at the server"

# A reply to the final dot with no code: neither taken nor refused, so ambiguous like no reply
# (sent again once, with the same Message-ID), not a deferral sent again without limit.
fresh dot-nocode
odd_start --dot-reply "queued, thanks"
run "$C" outbox send --smtp "$ODD"
odd_stop
expect_out "sent 0, deferred $N, failed 0 (0 gave up), no reply after the final dot $N" "dot-nocode: ambiguous, deferred"
n=$(sql "SELECT count(*) FROM outbox WHERE ambiguous = 1 AND state = 'deferred'")
[ "$n" -eq "$N" ] && ok || fail "dot-nocode: $n of $N recorded as ambiguous"
resent_once dot-nocode "$ODD_DIR"
[ "$UNIQUE" -eq "$N" ] && [ "$TOTAL" -eq $((2 * N)) ] && ok || fail "dot-nocode: $TOTAL copies of $UNIQUE messages, not two of each of $N"

# A server that refuses in its greeting (a 554 for a listed address, a 421 when busy) refuses
# the client, not a message: the run stops (exit 75, the reply named) and every message stays
# queued with no attempt counted, no notice queued.
for greeting in "554 5.7.1 Service unavailable; client host blocked" "421 4.3.2 Too busy, try later"; do
    name="greeting-${greeting%% *}"
    fresh "$name"
    odd_start --greeting "$greeting"
    run "$C" outbox send --smtp "$ODD"
    odd_stop
    expect_rc 75 "$name: the run stops, to be run again later"
    expect_err "${greeting%%;*}" "$name: the server's reply is named"
    n=$(sql "SELECT count(*) FROM outbox WHERE state = 'queued' AND attempts = 0 AND last_attempt IS NULL")
    [ "$n" -eq "$N" ] && ok || fail "$name: $n of $N left queued with no attempt: $(sql "SELECT state, attempts, last_reply FROM outbox LIMIT 1")"
    n=$(sql "SELECT count(*) FROM outbox WHERE kind = 'notice'")
    [ "$n" -eq 0 ] && ok || fail "$name: $n notices queued"
done

# A run stopped before any attempt (the server refuses the client) leaves each message's last
# attempt as it was: deferred at START by a 4xx, then refused at the greeting 10 minutes later.
fresh unavailable-keeps
sink_start -r mail
run "$C" outbox send --smtp "$SMTP"
sink_stop
later 10
odd_start --greeting "421 4.3.2 Too busy, try later"
run "$C" outbox send --smtp "$ODD"
odd_stop
expect_rc 75 "unavailable-keeps: the run stops"
n=$(sql "SELECT count(*) FROM outbox WHERE state = 'deferred' AND attempts = 1 AND last_attempt = strftime('%s', '$START')")
[ "$n" -eq "$N" ] && ok || fail "unavailable-keeps: $n of $N kept their attempt at $START: $(sql "SELECT state, attempts, last_attempt FROM outbox LIMIT 1")"

# R4: no reply after the final dot. The message may have been delivered: it is sent again once,
# later, with the same Message-ID; duplicates <= ambiguous events.
fresh r4
sink_start -q .
run "$C" outbox send --smtp "$SMTP"
sink_stop
first="$SINK_DIR"
expect_out "sent 0, deferred $N, failed 0 (0 gave up), no reply after the final dot $N" "r4: ambiguous, deferred"
n=$(sql "SELECT count(*) FROM outbox WHERE ambiguous = 1 AND last_code = 354 AND state = 'deferred'")
[ "$n" -eq "$N" ] && ok || fail "r4: $n of $N recorded as ambiguous (last code 354)"
resent_once r4 "$first"
total=$TOTAL unique=$UNIQUE
twice=$(ids "$first" "$SINK_DIR" | sort | uniq -c | awk '$1 > 2' | wc -l)
[ "$unique" -eq "$N" ] && ok || fail "r4: $unique distinct messages kept, not $N (lost?)"
[ "$twice" -eq 0 ] && ok || fail "r4: $twice messages kept more than twice"
[ $((total - unique)) -le "$N" ] && ok || fail "r4: $((total - unique)) duplicates > $N ambiguous events"
echo "r4: $total copies of $unique messages after $N ambiguous events"

# R4, twice without a reply: not sent a third time; failed, and the organizer told.
fresh r4-twice
sink_start -q .
run "$C" outbox send --smtp "$SMTP"
sink_stop
later 10
sink_start -q .
run "$C" outbox send --smtp "$SMTP"
sink_stop
n=$(sql "SELECT count(*) FROM outbox WHERE kind = 'invitation' AND state = 'failed' AND ambiguous = 2 AND attempts = 2")
[ "$n" -eq "$N" ] && ok || fail "r4-twice: $n of $N failed after two sends without a reply"
later 10
sink_start
run "$C" outbox send --smtp "$SMTP"
sink_stop
n=$(ids "$SINK_DIR" | wc -l)
inv=$("$PY" "$FAULT/sinkids.py" "$SINK_DIR" | grep -c 'cochair-office' || true)
[ "$inv" -eq "$n" ] && [ "$n" -eq "$N" ] && ok || fail "r4-twice: the clean server got $n messages ($inv notices), not $N notices only"

# R5: a slow reply to the final dot is waited for (the wait is 600 s; a short delay here, 300 s
# with CONVENE_LONG_TESTS=1): sent once, no duplicate. smtp-sink's own limit for sending a reply
# (-t, 100 s by default) would otherwise drop the connection at 100 s, before its delayed reply.
delay=1
[ "${CONVENE_LONG_TESTS:-0}" = 1 ] && delay=300
fresh r5
sink_start -t 700 -W ".:$delay"
run "$C" outbox send --smtp "$SMTP"
sink_stop
expect_out "sent $N, deferred 0, failed 0" "r5: a reply $delay s after the final dot"
n=$(ids "$SINK_DIR" | sort | uniq -d | wc -l)
[ "$n" -eq 0 ] && ok || fail "r5: $n duplicates"

# R7: a 4xx that never ends. Attempts 5, 10, 20, 40 minutes apart, then the deadline: the
# event's start (africa-regional-meeting opens 2025-03-25 09:00 in Nairobi, 06:00 UTC) comes
# before the next attempt, so the outbox gives up and queues a notice to the organizer. The
# clock is CONVENE_NOW, moved to each next attempt.
export CONVENE_DB="$T/r7.db"
CONVENE_NOW=2025-03-25T04:00:00Z
export CONVENE_NOW
setup_outbox 1
sink_start -r rcpt
spacing=""
prev=""
run_n=0
while [ "$run_n" -lt 10 ]; do
    run_n=$((run_n + 1))
    run "$C" outbox send --smtp "$SMTP"
    state=$(sql "SELECT state FROM outbox WHERE kind = 'invitation'")
    [ "$state" = deferred ] || break
    next=$(sql "SELECT next_attempt FROM outbox WHERE kind = 'invitation'")
    last=$(sql "SELECT last_attempt FROM outbox WHERE kind = 'invitation'")
    spacing="$spacing $((next - last))"
    CONVENE_NOW=$("$PY" -c "import datetime,sys; print(datetime.datetime.fromtimestamp(int(sys.argv[1]), datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'))" "$next")
done
sink_stop
[ "$spacing" = " 300 600 1200 2400" ] && ok || fail "r7: attempts spaced$spacing, not 300 600 1200 2400"
n=$(sql "SELECT count(*) FROM outbox WHERE kind = 'invitation' AND state = 'failed' AND attempts = 5 AND last_reply LIKE 'gave up%'")
[ "$n" -eq 1 ] && ok || fail "r7: not given up after 5 attempts: $(sql "SELECT state, attempts, last_reply FROM outbox")"
n=$(sql "SELECT count(*) FROM outbox WHERE kind = 'notice' AND recipient = 'cochair-office@example.org'")
[ "$n" -eq 1 ] && ok || fail "r7: $n notices to the organizer"
CONVENE_NOW=$START

# S4: an envelope address with CR/LF (put in the database behind convene's back) is refused
# before libcurl: the server sees no injected command and no such recipient.
fresh s4
sql "UPDATE outbox SET recipient = 'd1@example.org>' || char(13, 10) || 'RCPT TO:<evil@example.org' WHERE id = 1"
sql "UPDATE outbox SET sender = 'x@example.org' || char(10) || 'DATA' WHERE id = 2"
sink_start
run "$C" outbox send --smtp "$SMTP"
sink_stop
expect_out "sent $N, deferred 0, failed 2" "s4: the two tampered messages fail, the rest (and 2 notices) go"
n=$(sql "SELECT count(*) FROM outbox WHERE id IN (1, 2) AND state = 'failed' AND attempts = 1 AND last_reply LIKE '%not a plain address%'")
[ "$n" -eq 2 ] && ok || fail "s4: the tampered messages are not failed with the reason"
rcpts=$("$PY" "$FAULT/sinkids.py" "$SINK_DIR" | cut -f2 | sort -u | tr '\n' ' ')
case "$rcpts" in
*evil*) fail "s4: an injected recipient reached the server: $rcpts" ;;
*) ok ;;
esac
n=$("$PY" "$FAULT/sinkids.py" "$SINK_DIR" | wc -l)
[ "$n" -eq $((N - 2 + 2)) ] && ok || fail "s4: the server kept $n messages, not $((N - 2)) and 2 notices"

finish
