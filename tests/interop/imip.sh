#!/bin/sh
# SPDX-License-Identifier: MIT
# imip.sh: every iMIP message for the shipped programme (invitations, then updates after a
# change of dates, then cancellations, a DECLINECOUNTER for a COUNTER declined, and reminders),
# read by Python's email package, python3-icalendar and ical.js (check_imip.py); each was
# checked before it was queued (libical's icalrestriction_check; the DECLINECOUNTER against
# RFC 5546 3.2.8's own table). Re-running invite queues nothing twice.
# shellcheck source=lib.sh
. "$CONVENE_SOURCE_ROOT/tests/interop/lib.sh"
export CONVENE_NOW=2024-01-15T09:00:00Z

must "$C" init
must "$C" people import "$SRC/calendars/sample-delegates.csv"
must "$C" plan --apply
keys=$("$C" event list --format csv | tail -n +2 | cut -d, -f1)
for k in $keys; do
    must "$C" invite "$k"
    expect_out "queued" "invite $k"
    run "$C" invite "$k"
    expect_out "queued 0 invitations, 0 updates, 0 cancellations" "invite $k again: nothing new"
done
# An update (new dates: SEQUENCE raised) and a cancellation.
must "$C" event set middle-east-regional-meeting --dates 2024-02-13..2024-02-14
run "$C" invite middle-east-regional-meeting --dry-run
expect_out "update" "dry run shows updates"
expect_out "dates" "dry run names what changed"
must "$C" invite middle-east-regional-meeting
expect_out "0 invitations" "the update queues no invitation"
must "$C" event cancel unga79-leaders-event
must "$C" invite unga79-leaders-event
expect_out "cancellations" "the cancellation is queued"
# A COUNTER (Apple Mail's, answering the SEQUENCE sent), declined: a DECLINECOUNTER (RFC 5546
# 3.2.8) in the attendee's language. Then reminders to everyone who has not answered.
EV=africa-regional-meeting
seq=$(sqlite3 "$CONVENE_DB" "SELECT i.sequence_sent FROM invitation i JOIN person p ON
    p.id = i.person_id JOIN event e ON e.id = i.event_id WHERE p.email = 'delegate-mw@example.org'
    AND e.key = '$EV'")
sed "s/^SEQUENCE:0/SEQUENCE:$seq/; s/^DTSTAMP:.*/DTSTAMP:20240115T100000Z/" \
    "$SRC/tests/data/replies/apple-counter.eml" >"$T/counter.eml"
must "$C" rsvp import "$T/counter.eml"
expect_out "counter: delegate-mw@example.org proposes" "the COUNTER is held"
kid=$("$C" rsvp pending --format csv | awk -F, '/,counter,/ { print $1 }')
must "$C" rsvp decide "$kid" decline
expect_out "(DECLINECOUNTER)" "the DECLINECOUNTER is queued"
must "$C" invite "$EV" --remind
expect_out "reminders" "reminders queued"
must "$C" outbox send --dir "$T/mail"
expect_out "failed 0" "every message written"

run "$PY" "$HERE/check_imip.py" "$T/mail" "$CONVENE_DB" "$T/cal"
expect_rc 0 "python email + icalendar: $out"
expect_out "DECLINECOUNTER 1" "the DECLINECOUNTER was read"
expect_out "declinecounter 1" "as its own kind"
expect_out "reminder " "the reminders were read"
echo "$out" | tail -n 1
icaljs "$T/cal" "$T/icaljs.jsonl"
if [ "$NODE_OK" -eq 1 ]; then
    run "$PY" "$HERE/check_imip.py" --icaljs "$T/icaljs.jsonl" "$T/mail" "$CONVENE_DB" "$T/cal2"
    expect_rc 0 "ical.js: $out"
fi
finish
