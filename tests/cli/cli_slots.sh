#!/bin/sh
# SPDX-License-Identifier: MIT
# cli_slots.sh: call times across zones: DST, the date line, busy times, rotation.
. "$(dirname "$0")/lib.sh"

run "$C" init
run "$C" people import "$SRC/calendars/sample-delegates.csv"
PH=delegate-ph@example.org
US=delegate-us@example.org
ES=delegate-es@example.org

# The week US clocks change (10 March 2024) but Europe's have not: 09:00 in New York is 14:00Z
# before and 13:00Z after; Manila (no DST, across the date line) must stay inside 07:00-22:00.
run "$C" slots --with "$PH,$US,$ES" --duration 60 --between 2024-03-04..2024-03-15 --count 3
expect_rc 0 "slots"
expect_out "1. 2024-03-11T13:00:00Z" "the first slot is after the US change"
expect_out "   $US              Mon 2024-03-11 09:00-10:00 (UTC-04:00)" "New York in EDT"
expect_out "   $ES              Mon 2024-03-11 14:00-15:00 (UTC+01:00)" "Madrid still in CET"
expect_out "   $PH              Mon 2024-03-11 21:00-22:00 (UTC+08:00)  60 min outside hours" "Manila late, and counted"
printf '%s\n' "$out" | grep -q "2024-03-0[4-8]T" && fail "a slot before the change: 14:00Z would end Manila's day at 23:00" || ok

# Busy times: New York's mornings taken, every day that week, by a recurring event in its zone.
printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:b1\r\nDTSTAMP:20240101T000000Z\r\nDTSTART;TZID=America/New_York:20240311T070000\r\nDTEND;TZID=America/New_York:20240311T100000\r\nRRULE:FREQ=DAILY;COUNT=5\r\nSUMMARY:busy\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' >"$T/us-busy.ics"
run "$C" slots --with "$PH,$US" --duration 60 --between 2024-03-11..2024-03-15 --busy "$US=$T/us-busy.ics"
expect_rc 0 "slots with busy times"
printf '%s\n' "$out" | grep -q "T1[1-3]:00:00Z" && fail "a slot in New York's busy morning" || ok
expect_out "1. 2024-03-12T01:00:00Z" "the evening in New York, the morning in Manila"

# A free/busy answer blocks everyone when given without an address.
printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VFREEBUSY\r\nUID:f1\r\nDTSTAMP:20240101T000000Z\r\nFREEBUSY:20240311T000000Z/20240316T000000Z\r\nEND:VFREEBUSY\r\nEND:VCALENDAR\r\n' >"$T/fb.ics"
run "$C" slots --with "$PH,$US" --duration 60 --between 2024-03-11..2024-03-15 --busy "$T/fb.ics"
expect_rc 65 "nothing fits a fully busy week"
expect_one_line "no slot"
expect_err "no slot fits every participant; widen --day or --between" "no slot named"

# Four weekly calls between Manila and New York: the odd hours rotate.
run "$C" slots --with "$PH,$US" --duration 60 --between 2024-03-11..2024-04-07 --recurring 4
expect_rc 0 "recurring"
expect_out "   $PH              120" "Manila carries half"
expect_out "   $US              120" "New York carries half"

# Bad input.
run "$C" slots --with nobody@example.org --duration 60 --between 2024-03-11..2024-03-15
expect_rc 65 "an unknown participant"
run "$C" slots --with "$PH" --duration 60 --between 2024-03-11..2024-03-15 --recurring 3
expect_rc 65 "fewer weeks than calls"
run "$C" slots --with "$PH" --between 2024-03-11..2024-03-15
expect_rc 64 "no duration"

finish
