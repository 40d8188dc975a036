#!/bin/sh
# SPDX-License-Identifier: MIT
# imip.sh: every iMIP message for the shipped programme (invitations, then updates after a
# change of dates, then cancellations), read by Python's email package, python3-icalendar and
# ical.js (check_imip.py); each was checked with libical's icalrestriction_check before it was
# queued. Re-running invite queues nothing twice.
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
must "$C" outbox send --dir "$T/mail"
expect_out "failed 0" "every message written"

run "$PY" "$HERE/check_imip.py" "$T/mail" "$CONVENE_DB" "$T/cal"
expect_rc 0 "python email + icalendar: $out"
echo "$out" | tail -n 1
icaljs "$T/cal" "$T/icaljs.jsonl"
if [ "$NODE_OK" -eq 1 ]; then
    run "$PY" "$HERE/check_imip.py" --icaljs "$T/icaljs.jsonl" "$T/mail" "$CONVENE_DB" "$T/cal2"
    expect_rc 0 "ical.js: $out"
fi
finish
