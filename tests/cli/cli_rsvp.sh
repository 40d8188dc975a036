#!/bin/sh
# SPDX-License-Identifier: MIT
# cli_rsvp.sh: replies to invitations: the corpus of tests/data/replies (each client's layout)
# sets each PARTSTAT; the spoofing scenarios of RELIABILITY.md T1-T4 change nothing (and their
# controls do, so that the checks can fail); bad input; attendance; reminders; private feeds.
# shellcheck source=lib.sh
. "$CONVENE_SOURCE_ROOT/tests/cli/lib.sh"
R="$SRC/tests/data/replies"
EV=africa-regional-meeting

run "$C" init
run "$C" people import "$SRC/calendars/sample-delegates.csv"
run "$C" invite $EV
expect_rc 0 "invitations queued"

# partstat EMAIL: the PARTSTAT attendance gives EMAIL.
partstat() {
    "$C" attendance $EV --format csv | awk -F, -v e="$1" 'tolower($1) == e { print $3 }' | tr -d '\r'
}
# state: what a reply may change (invitations, people, guests, events, the outbox), not the log.
state() {
    sqlite3 "$CONVENE_DB" "SELECT person_id, event_id, partstat, reply_sequence, reply_dtstamp,
        replied, delegated_to, sequence_sent, method FROM invitation ORDER BY 1, 2;
        SELECT email, name FROM person ORDER BY 1; SELECT * FROM guest ORDER BY 1, 2;
        SELECT key, sequence, status, start_date, end_date FROM event ORDER BY 1;
        SELECT count(*) FROM outbox;"
}

# ---- bad input: one line naming the file, a sysexits code, the database unchanged ----
before=$(db_hash)
run "$C" rsvp import "$T/missing.eml"
expect_rc 66 "a missing file"
expect_one_line "a missing file: one line"
run "$C" rsvp import "$R/outlook-accepted.eml" "$R/spoof/not-a-reply.eml"
expect_rc 65 "a message without a calendar"
expect_one_line "no calendar: one line"
expect_err "$R/spoof/not-a-reply.eml: the message holds no calendar" "names the file and says why"
printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\nUID:x\r\n' >"$T/cut.ics"
run "$C" rsvp import "$T/cut.ics"
expect_rc 65 "a truncated calendar"
expect_one_line "truncated: one line"
expect_err "$T/cut.ics:" "names the file"
printf 'From: a@example.org\r\nContent-Type: text/calendar; method=REPLY\r\n\r\nBEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\nUID:x\r\nATTENDEE:http://evil.example/\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' >"$T/badaddr.eml"
run "$C" rsvp import "$T/badaddr.eml"
expect_rc 65 "an ATTENDEE that is not mailto:"
expect_err "is not a mailto: address" "says what is wrong"
run "$C" rsvp import
expect_rc 64 "no file"
run "$C" rsvp frobnicate
expect_rc 64 "an unknown subcommand"
run "$C" attendance no-such-event
expect_rc 65 "an unknown event"
expect_one_line "unknown event: one line"
[ "$(db_hash)" = "$before" ] && ok || fail "bad input changed the database"

# ---- the corpus: each client's reply sets the PARTSTAT it says ----
check_reply() { # FILE EMAIL PARTSTAT
    run "$C" rsvp import "$R/$1"
    expect_rc 0 "$1 imported"
    got=$(partstat "$2")
    [ "$got" = "$3" ] && ok || fail "$1: $2 is '$got', expected $3 ($out)"
}
check_reply outlook-accepted.eml delegate-ke@example.org ACCEPTED
check_reply gmail-declined.eml delegate-gh@example.org DECLINED
check_reply apple-tentative.eml delegate-ng@example.org TENTATIVE
check_reply thunderbird-accepted-recurrence-id.eml delegate-sn@example.org ACCEPTED
check_reply gmail-accepted-uppercase.eml delegate-cv@example.org ACCEPTED
check_reply reply-seychelles.ics delegate-sc@example.org ACCEPTED
check_reply outlook-delegated.eml delegate-za@example.org DELEGATED
expect_out "DELEGATED to deputy-za@example.org: invitation queued" "the delegate is invited"
[ "$(partstat deputy-za@example.org)" = "NEEDS-ACTION" ] && ok || fail "the delegate is not invited"
run "$C" attendance $EV --format csv
expect_out "deputy-za@example.org,Thandi Deputy,NEEDS-ACTION,government,ZA" "the delegate takes the delegator's delegation and the CN the reply gives"
expect_out "delegated by delegate-za@example.org" "the delegate is a guest, by delegation"
id=$("$C" outbox list --format csv | awk -F, '/deputy-za/ { print $1 }')
"$C" outbox show --raw "$id" >"$T/deputy.eml"
python3 - "$T/deputy.eml" <<'PY' && ok || fail "the delegate's invitation lacks DELEGATED-FROM"
import email, sys
m = email.message_from_file(open(sys.argv[1]))
cal = [p.get_payload(decode=True).decode() for p in m.walk() if p.get_content_type() == "text/calendar"][0]
text = cal.replace("\r\n ", "")
assert 'DELEGATED-FROM="mailto:delegate-za@example.org":mailto:deputy-za@example.org' in text, text
assert "METHOD:REQUEST" in text
PY
check_reply apple-counter.eml delegate-mw@example.org NEEDS-ACTION
expect_out "counter: delegate-mw@example.org proposes dates 20250401..20250404" "the COUNTER is recorded"
run "$C" rsvp pending --format csv
expect_out "counter,africa-regional-meeting,delegate-mw@example.org" "the COUNTER awaits the organizer"

# The whole corpus again: every reply is stale now, nothing changes.
s1=$(state)
run "$C" rsvp import "$R"/*.eml "$R"/*.ics
expect_rc 0 "the corpus again"
expect_out "8 read, 0 applied, 8 ignored" "all stale"
expect_out "stale: DTSTAMP" "says why"
[ "$(state)" = "$s1" ] && ok || fail "replaying the corpus changed the state"

# ---- spoofing (RELIABILITY.md T1, T2, T4): no state changes, each logged ----
spoof() { # FILE OUTCOME [OPTIONS]
    f=$1 want=$2
    shift 2
    s0=$(state)
    run "$C" rsvp import "$@" "$R/spoof/$f"
    expect_rc 0 "$f read"
    expect_out "$R/spoof/$f: $want:" "$f is $want"
    [ "$(state)" = "$s0" ] && ok || fail "$f changed the state: $out"
    logged=$(sqlite3 "$CONVENE_DB" "SELECT count(*) FROM reply WHERE source = '$R/spoof/$f' AND reason <> ''")
    [ "$logged" -ge 1 ] && ok || fail "$f is not in the reply log"
}
spoof t1-from-not-attendee.eml ignored
expect_out "From mallory@evil.example is not the attendee" "why: From"
spoof t1-attendee-not-invited.eml pending
expect_out "delegate-ar@example.org is not invited to $EV" "why: not invited"
spoof t1-unapproved-sent-by.eml ignored
expect_out "(SENT-BY), which no one approved" "why: SENT-BY"
spoof t1-unknown-uid.eml ignored
expect_out "no event has the UID" "why: UID"
spoof t1-method-mismatch.eml ignored
expect_out "METHOD:REPLY but its MIME part says method=CANCEL" "why: method"
spoof t1-dkim-fail.eml ignored --authserv-id mx.example.org
expect_out "mx.example.org says dkim failed" "why: DKIM"
spoof t1-dkim-pass-control.eml ignored --authserv-id other.example.org
expect_out "no Authentication-Results from other.example.org" "an unknown server's header is not trusted"
spoof t2-forged-request.eml ignored
expect_out "METHOD:REQUEST: convene takes only REPLY and COUNTER" "why: REQUEST"
spoof t2-forged-cancel.eml ignored
spoof t4-party-crasher.eml pending
expect_out "crasher@example.net is not invited" "the party crasher is held"
# Controls: the same checks let a genuine reply through, so the ones above can fail.
s0=$(state)
run "$C" rsvp import --authserv-id mx.example.org "$R/spoof/t1-dkim-pass-control.eml"
expect_out "applied: delegate-bf@example.org ACCEPTED" "control: a passing reply is applied"
[ "$(state)" != "$s0" ] && ok || fail "control: the state did not change"

# ---- T3: stale and replayed replies ----
run "$C" rsvp import "$R/spoof/t3-first.eml"
expect_out "applied: delegate-tn@example.org ACCEPTED" "T3: the first reply"
s0=$(state)
run "$C" rsvp import "$R/spoof/t3-first.eml" "$R/spoof/t3-older-dtstamp.eml"
expect_out "0 applied, 2 ignored" "T3: replayed and older replies ignored"
[ "$(state)" = "$s0" ] && ok || fail "T3: a stale reply changed the state"
run "$C" event set $EV --dates 2025-03-26..2025-03-28
run "$C" invite $EV
expect_out "updates" "an update goes out (SEQUENCE 1)"
s0=$(state)
run "$C" rsvp import "$R/spoof/t3-lower-sequence.eml"
expect_out "stale: it answers SEQUENCE 0; delegate-tn@example.org was last sent SEQUENCE 1" "T3: lower SEQUENCE"
[ "$(state)" = "$s0" ] && ok || fail "T3: a lower SEQUENCE changed the state"
run "$C" rsvp import "$R/spoof/t3-newer-control.eml"
expect_out "applied: delegate-tn@example.org TENTATIVE" "T3 control: the newest reply wins"
[ "$(partstat delegate-tn@example.org)" = "TENTATIVE" ] && ok || fail "T3: the newest reply did not win"

# ---- T4: the organizer decides ----
run "$C" rsvp pending --format csv
expect_out "pending,africa-regional-meeting,crasher@example.net" "the crasher awaits a decision"
cid=$("$C" rsvp pending --format csv | awk -F, '/crasher@example.net/ { print $1 }')
run "$C" people list --format csv
case "$out" in *crasher@*) fail "the crasher was added before any decision" ;; *) ok ;; esac
run "$C" rsvp decide "$cid" accept
expect_rc 0 "the organizer lets the crasher in"
expect_out "crasher@example.net is now a guest" "says so"
run "$C" invite $EV --dry-run
expect_out "crasher@example.net" "the guest is in the ledger"
run "$C" rsvp decide "$cid" accept
expect_rc 65 "a decision twice"
run "$C" rsvp log --format csv
expect_out "t1-from-not-attendee.eml,ignored" "the log keeps every reply"

# ---- RFC 5546 3.2.8: the organizer declines the COUNTER: a DECLINECOUNTER to its attendee ----
kid=$("$C" rsvp pending --format csv | awk -F, '/^[0-9]+,.*,counter,/ { print $1 }')
[ -n "$kid" ] && ok || fail "no COUNTER awaits a decision"
nbefore=$("$C" outbox list --format csv | grep -c ',declinecounter,')
run "$C" rsvp decide "$kid" decline
expect_rc 0 "the organizer declines the COUNTER"
expect_out "counter-proposal $kid declined; message queued to delegate-mw@example.org (DECLINECOUNTER)" "says what was queued"
run "$C" outbox list --format csv
expect_out ",declinecounter," "the DECLINECOUNTER is in the outbox"
n=$("$C" outbox list --format csv | grep -c ',declinecounter,')
[ "$n" -eq $((nbefore + 1)) ] && ok || fail "$n DECLINECOUNTER messages, expected $((nbefore + 1))"
run "$C" rsvp decide "$kid" decline
expect_rc 65 "a COUNTER declined twice"
n=$("$C" outbox list --format csv | grep -c ',declinecounter,')
[ "$n" -eq $((nbefore + 1)) ] && ok || fail "declining twice queued a second DECLINECOUNTER"
[ "$(partstat delegate-mw@example.org)" = "NEEDS-ACTION" ] && ok ||
    fail "declining a COUNTER changed the attendee's answer"

# ---- attendance ----
run "$C" room add $EV Plenary --capacity 5
run "$C" attendance $EV
expect_rc 0 "attendance"
expect_out "all     " "counts by PARTSTAT"
expect_out "DELEGATION" "by delegation"
expect_out "REGION" "by region"
expect_out "delegated: delegate-za@example.org to deputy-za@example.org" "delegations"
expect_out "not answered (" "who has not answered"
expect_out "capacity: 1 room, the largest 5 seats" "capacity"

# ---- reminders: to those who have not answered, never twice within the interval ----
waiting=$("$C" attendance $EV --format csv | grep -c ',NEEDS-ACTION,')
run "$C" invite $EV --remind
expect_rc 0 "reminders"
expect_out "queued $waiting reminders" "one per person without an answer"
n=$("$C" outbox list --format csv | grep -c ',reminder,')
[ "$n" -eq "$waiting" ] && ok || fail "$n reminders in the outbox, expected $waiting"
run "$C" invite $EV --remind
expect_out "queued 0 reminders to people who have not answered; $waiting reminded within the last 7 days" "not twice within the interval"
CONVENE_NOW=2024-01-23T09:00:00Z run "$C" invite $EV --remind --interval 7
expect_out "queued $waiting reminders" "again after the interval"
run "$C" invite $EV --remind --interval 0
expect_rc 64 "a bad interval"

# ---- private feeds: the person's PARTSTAT; the office's: everyone's ----
run "$C" people token delegate-ke@example.org
run "$C" people token cochair-office@example.org
run "$C" publish --out "$T/feeds"
expect_rc 0 "publish"
grep -h -A2 'ATTENDEE' "$T"/feeds/private/*.ics | tr -d '\r\n ' >"$T/att"
grep -q 'PARTSTAT=ACCEPTED;CUTYPE=INDIVIDUAL;LANGUAGE=en:mailto:delegate-ke@example.org' "$T/att" && ok ||
    fail "a private feed lacks the person's PARTSTAT"
grep -q 'DELEGATED-TO="mailto:deputy-za@example.org":mailto:delegate-za@example.org' "$T/att" && ok ||
    fail "the office's feed lacks a delegation"
run "$C" lint --public "$T"/feeds/*.ics
expect_rc 0 "public feeds carry no ATTENDEE, no address"
finish
