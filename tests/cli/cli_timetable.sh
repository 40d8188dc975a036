#!/bin/sh
# SPDX-License-Identifier: MIT
# cli_timetable.sh: convene plan EVENT --timetable on a made-up agenda for the Nairobi meeting:
# rooms, hours, breaks, shared speakers, the co-chairs at plenaries, and what cannot fit.
. "$(dirname "$0")/lib.sh"

run "$C" init
run "$C" people import "$SRC/calendars/sample-delegates.csv"
K=africa-regional-meeting
run "$C" event set $K --hours 09:00-21:00 --breaks 12:30-13:30,15:30-15:45
expect_rc 0 "venue hours and breaks"
run "$C" event show $K
expect_out "venue hours   09:00-21:00, breaks 12:30-13:30,15:30-15:45" "shown"
for r in "Ballroom 500" "Garden 300" "RoomA 120" "RoomB 80"; do
    set -- $r
    run "$C" room add $K "$1" --capacity "$2"
    expect_rc 0 "room $1"
done
for i in 1 2 3; do
    run "$C" session add $K digital-$i --title "Digital governance $i" --minutes 90 \
        --track digital-governance --speakers "Speaker D$i;Speaker X" --capacity 100
    run "$C" session add $K climate-$i --title "Climate $i" --minutes 90 --track climate \
        --speakers "Speaker C$i;Speaker X" --capacity 60
done
run "$C" session add $K closing --title "Closing plenary" --minutes 60 --track plenary --capacity 400
run "$C" session add $K cochairs-briefing --title "Co-chairs' briefing" --minutes 60 --track plenary --capacity 50

run "$C" plan $K --timetable --explain
expect_rc 0 "timetable"
expect_out "timetable of $K: 9 sessions, 4 rooms, 3 days; cost 0, 0 hard violations" "feasible, no soft cost"
printf '%s\n' "$out" >"$T/tt.txt"

# An independent check of the printed timetable: no room twice at once, Speaker X never in two
# sessions at once, the two plenaries (co-chairs at both) never together, hours and breaks kept.
/usr/bin/python3 - "$T/tt.txt" <<'PY' && ok || fail "the timetable breaks a hard rule"
import re, sys
day = None
rows = []
for line in open(sys.argv[1]):
    m = re.match(r"^(\d{4}-\d\d-\d\d) ", line)
    if m:
        day = m.group(1)
        continue
    m = re.match(r"^  (\d\d):(\d\d)-(\d\d):(\d\d)  (\S+)\s+(\S+)\s+.*\((\S+)\)$", line)
    if m:
        a = int(m.group(1)) * 60 + int(m.group(2))
        b = int(m.group(3)) * 60 + int(m.group(4))
        rows.append((day, a, b, m.group(5), m.group(6), m.group(7)))
assert len(rows) == 9, rows
caps = {"Ballroom": 500, "Garden": 300, "RoomA": 120, "RoomB": 80}
need = {"closing": 400, "cochairs-briefing": 50}
for d, a, b, room, key, track in rows:
    assert 540 <= a and b <= 1260, (key, a, b)
    for f, t in ((750, 810), (930, 945)):
        assert b <= f or a >= t, ("break", key)
    assert caps[room] >= need.get(key, 100 if key.startswith("digital") else 60), (key, room)
for i, x in enumerate(rows):
    for y in rows[i + 1:]:
        if x[0] != y[0] or x[2] <= y[1] or y[2] <= x[1]:
            continue
        assert x[3] != y[3], ("room twice", x, y)
        people = lambda k: {"X"} if k[:5] in ("digit", "clima") else set()
        assert not (people(x[4]) & people(y[4])), ("Speaker X twice", x, y)
        assert not (x[5] == "plenary" and y[5] == "plenary"), ("co-chairs twice", x, y)
PY

# The same seed, the same timetable.
run "$C" plan $K --timetable --seed 3
first=$out
run "$C" plan $K --timetable --seed 3
[ "$out" = "$first" ] && ok || fail "the same seed gives the same timetable"

# What cannot fit says why, and exits 65.
run "$C" session add $K summit --title "Summit" --minutes 60 --track plenary --capacity 900
run "$C" plan $K --timetable
expect_rc 65 "a session no room holds"
expect_out "  - summit needs 900 seats; the largest room, Ballroom, has 500" "the capacity is named"
expect_one_line "infeasible timetable"
run "$C" session add $K summit --title "Summit" --minutes 600 --track plenary --capacity 10
run "$C" plan $K --timetable
expect_out "  - summit lasts 600 minutes; the venue's day (09:00-21:00, with breaks) has no such span between its breaks" "the hours are named"
run "$C" session add $K summit --title "Summit" --minutes 60 --track plenary --capacity 10

# --apply stores the times; the sessions reach the event's feed in the venue's zone.
run "$C" plan $K --timetable --apply
expect_rc 0 "timetable --apply"
expect_out "applied: " "applied"
run "$C" session list $K
printf '%s\n' "$out" | grep -q "not placed" && fail "a session is still not placed" || ok
run "$C" publish --out "$T/feeds"
[ "$(grep -c '^DTSTART;TZID=Africa/Nairobi:202503' "$T/feeds/event-$K.ics")" -ge 10 ] && ok ||
    fail "the timed sessions are in the event's feed"

run "$C" plan middle-east-regional-meeting --timetable
expect_rc 65 "an event without dates"
expect_err "has no dates yet; plan or set them first" "named"

finish
