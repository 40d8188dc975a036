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

# Speakers' preferences: one that can be met (the only 90-minute spans of 13:30-15:30 on the
# second day), one that cannot (an hour for a 90-minute session), costing its weight.
run "$C" speaker prefer $K "speaker d1" --days 2 --hours 13:30-15:30 --weight 50
expect_rc 0 "speaker prefer"
expect_out "speaker speaker d1 at $K prefers 13:30-15:30 on 2025-03-26, weight 50" "said"
run "$C" speaker prefer $K "Speaker C1" --hours 09:00-10:00 --weight 3
expect_rc 0 "speaker prefer, hours only"
run "$C" speaker list $K
expect_out "speaker d1                       13:30-15:30  2025-03-26                       weight 50" "listed"
expect_out "Speaker C1                       09:00-10:00  any day                          weight 3" "listed"
run "$C" plan $K --timetable --explain
expect_rc 0 "timetable with preferences"
expect_out "  digital-1: speaker d1 prefers 13:30-15:30 on 26 March 2025: met" "a preference met"
expect_out "  climate-1: Speaker C1 prefers 09:00-10:00: not met, costs 3" "a preference not met"
expect_out "3 for speakers outside their preferences" "in the costs"
printf '%s\n' "$out" | grep -A3 '^2025-03-26' | grep -Eq '^  (13:30|13:45|14:00)-[0-9:]+  \S+ +digital-1 ' &&
    ok || fail "digital-1 is not where its speaker prefers: $out"
run "$C" plan $K --timetable --seed 3
first=$out
run "$C" plan $K --timetable --seed 3
[ "$out" = "$first" ] && ok || fail "the same seed gives the same timetable, with preferences"

# Bad preferences: one line naming what to do, 64 or 65, and the database unchanged.
before=$(db_hash)
bad() {
    want=$1
    shift
    run "$C" speaker prefer "$@"
    expect_rc "$want" "speaker prefer $*"
    expect_one_line "speaker prefer $*"
    [ "$(db_hash)" = "$before" ] && ok || fail "speaker prefer $*: the database changed"
}
bad 64 $K "Speaker X" --hours 9-10
expect_err "--hours takes one span HH:MM-HH:MM, e.g. 13:00-18:00" "bad hours named"
bad 64 $K "Speaker X" --hours 18:00-13:00
bad 64 $K "Speaker X" --days 1 --weight 0
expect_err "--weight takes 1 to 1000" "bad weight named"
bad 64 $K "Speaker X"
expect_err "give --days, --hours, --not-on or --not-before" "nothing preferred"
bad 64 $K "Speaker X" --not-before 9
expect_err "--not-before takes a time HH:MM after 00:00, e.g. 11:00" "a bad hour"
bad 65 $K "Speaker X" --not-on 2025-03-24
expect_err "2025-03-24 is not a day of $K" "a day outside, hard"
bad 64 $K "Speaker X;Speaker Y" --days 1
expect_err "NAME is one speaker" "two names"
bad 64 $K "Speaker X" --days tuesday
expect_err "'tuesday' is neither a date (YYYY-MM-DD) nor a day number" "a bad day"
bad 65 $K "Speaker X" --days 2025-04-01
expect_err "2025-04-01 is not a day of $K (2025-03-25 to 2025-03-27); give a date inside it or a day number" "a day outside"
bad 65 $K "Speaker X" --days 4
expect_err "$K has 3 days; give day numbers 1 to 3" "a day number too far"
bad 65 middle-east-regional-meeting "Speaker X" --days 1
expect_err "middle-east-regional-meeting has no dates yet, so day 1 means nothing; give dates (YYYY-MM-DD)" "no dates"
bad 65 no-such-event "Speaker X" --days 2025-03-25
expect_err "no event 'no-such-event'" "no event"

# Hard: a speaker who cannot come on the first two days nor before 14:00, and one of the same
# session who cannot come on the third, leave it no place: named, exit 65; then only the first.
run "$C" speaker prefer $K "Speaker D2" --not-on 1,2 --not-before 14:00
expect_rc 0 "speaker prefer, hard"
expect_out "speaker Speaker D2 at $K cannot come on 2025-03-25,2025-03-26; cannot start before 14:00" "said"
run "$C" speaker prefer $K "Speaker X" --not-on 2025-03-27
run "$C" plan $K --timetable --explain
expect_rc 65 "no time for digital-2"
expect_out "  - digital-2: its speakers cannot come at any time it fits: Speaker D2 not before 14:00, not on 25 March 2025 or 26 March 2025; Speaker X not on 27 March 2025" "the speakers' rules named"
expect_one_line "infeasible timetable"
run "$C" speaker prefer $K "Speaker X" --hours 09:00-21:00 --weight 1
run "$C" plan $K --timetable
expect_rc 0 "digital-2 placed"
printf '%s\n' "$out" | grep -A20 '^2025-03-27' | grep -Eq '^  (1[4-9]|20):[0-9]{2}-[0-9:]+  \S+ +digital-2 ' &&
    ok || fail "digital-2 is not on the third day after 14:00: $out"

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
