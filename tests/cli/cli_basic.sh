#!/bin/sh
# SPDX-License-Identifier: MIT
# cli_basic.sh: every command does its job on the shipped programme, with the expected output.
. "$(dirname "$0")/lib.sh"
E="$SRC/tests/cli/expected"

run "$C" --version
expect_rc 0 "--version"
expect_out "convene 0." "--version names the version"

run "$C" --help
expect_rc 0 "--help"
for cmd in init demo event people calendar; do
    expect_out "  $cmd " "--help lists $cmd"
done
for cmd in init demo event people calendar; do
    run "$C" "$cmd" --help
    expect_rc 0 "$cmd --help"
    expect_out "usage: convene $cmd" "$cmd --help shows its usage"
done

run "$C"
expect_rc 64 "no command is a usage error"
run "$C" frobnicate
expect_rc 64 "an unknown command is a usage error"
expect_err "'frobnicate' is not a convene command" "unknown command named"

run "$C" event list
expect_rc 66 "event list before init"
expect_err "run 'convene init' first" "says to run init"
expect_one_line "event list before init"

run "$C" init
expect_rc 0 "init"
expect_out "created $CONVENE_DB (schema 12)" "init creates the database"
expect_out "events: 5 added" "init adds the five events"
expect_out "members: 75 added" "init adds the 75 members"
expect_out "reference calendars: 8 added" "init adds the reference calendars"

run "$C" event list
expect_rc 0 "event list"
printf '%s\n' "$out" >"$T/list.txt"
expect_same "$E/event-list.txt" "$T/list.txt" "event list table"

run "$C" event list --format csv
expect_rc 0 "event list --format csv"
first=$(printf '%s\n' "$out" | head -n 1 | tr -d '\r')
[ "$first" = "key,title,kind,status,region,city,country,venue,tzid,window_start,window_end,days,start,end,sequence,uid,scenario,source_url" ] && ok || fail "csv header: $first"
rows=$(printf '%s\n' "$out" | awk 'END { print NR }')
[ "$rows" -eq 6 ] && ok || fail "csv has a header and five rows, not $rows lines"
printf '%s\n' "$out" | grep -q '^africa-regional-meeting,2025 OGP Africa & Middle East Regional Meeting: Rebuilding Trust through Open Government,regional-meeting,held,Africa and the Middle East,Nairobi,KE,"Radisson Blu Hotel, Upper Hill, Nairobi",Africa/Nairobi,2024-01-08,2024-09-20,3,2025-03-25,2025-03-27,0,' && ok || fail "csv row of the Africa meeting"

run "$C" event list --format tsv
expect_rc 0 "event list --format tsv"
printf '%s\n' "$out" | head -n 1 | grep -q "^key	title	kind" && ok || fail "tsv header"

run "$C" event list --format xml
expect_rc 64 "unknown format"

run "$C" event show unga79-leaders-event
expect_rc 0 "event show"
printf '%s\n' "$out" >"$T/show.txt"
expect_same "$E/event-show-unga.txt" "$T/show.txt" "event show of the leaders' event"

# add, set, cancel: SEQUENCE rises on dates, place and status, not on a title.
run "$C" event add open-gov-week-2024 --title "Open Gov Week 2024" --kind side-event \
    --city Nairobi --country KE --tz Africa/Nairobi --window 2024-05-06..2024-05-10 --days 2 \
    --title-in "fr:Semaine du gouvernement ouvert 2024"
expect_rc 0 "event add"
expect_out "added event open-gov-week-2024 (UID " "event add reports the UID"
run "$C" event show open-gov-week-2024
expect_out "title (fr)    Semaine du gouvernement ouvert 2024" "the French title is kept"
expect_out "sequence      0" "a new event has SEQUENCE 0"
expect_out "revised       2024-01-15T09:00:00Z" "revision from the context clock"

run "$C" event set open-gov-week-2024 --title "Open Gov Week"
expect_rc 0 "event set --title"
expect_out "event open-gov-week-2024: title changed; SEQUENCE stays 0" "a title is not material"

run "$C" event set open-gov-week-2024 --dates 2024-05-07..2024-05-08
expect_rc 0 "event set --dates"
expect_out "event open-gov-week-2024: dates changed; SEQUENCE 0 -> 1" "dates raise SEQUENCE"

run "$C" event set open-gov-week-2024 --dates 2024-05-07..2024-05-08
expect_out "event open-gov-week-2024: nothing changed (SEQUENCE 1)" "the same dates change nothing"

run "$C" event set open-gov-week-2024 --venue "KICC" --tz Africa/Nairobi
expect_out "place changed; SEQUENCE 1 -> 2" "a venue raises SEQUENCE"

run "$C" event cancel open-gov-week-2024
expect_rc 0 "event cancel"
expect_out "status changed; SEQUENCE 2 -> 3" "cancelling raises SEQUENCE"
run "$C" event cancel open-gov-week-2024
expect_out "nothing changed (SEQUENCE 3)" "cancelling twice changes nothing"
run "$C" event show open-gov-week-2024
expect_out "status        cancelled" "the event is cancelled"

run "$C" event add open-gov-week-2024 --title X --city Nairobi --country KE --tz Africa/Nairobi
expect_rc 65 "adding a key twice"
expect_err "exists already" "duplicate key named"
expect_one_line "duplicate event key"

run "$C" event add other --title X --city Nairobi --country KE
expect_rc 64 "event add without --tz"

# people
run "$C" people import "$SRC/calendars/sample-delegates.csv"
expect_rc 0 "people import"
expect_out "78 read, 78 imported, 0 updated, 0 skipped" "the sample list imports"
run "$C" people list --format csv
expect_rc 0 "people list --format csv"
rows=$(printf '%s\n' "$out" | awk 'END { print NR }')
[ "$rows" -eq 79 ] && ok || fail "people csv: a header and 78 rows, not $rows lines"
printf '%s\n' "$out" | grep -q '^delegate-jo@example.org,Sample Delegate (Jordan),ar,JO,government,delegate,Asia/Amman' && ok || fail "Jordan's delegate reads in Arabic"
run "$C" people list
expect_out "78 people" "people list counts"

printf 'Name,E-mail,Language,Country,Time Zone\r\n"Doe, Jane",JANE@example.org,FR,sn,Africa/Dakar\r\n' >"$T/one.csv"
run "$C" people import "$T/one.csv"
expect_out "1 read, 1 imported" "a spreadsheet export imports"
printf 'email,name,language\njane@example.org,Jane Doe,es\n' >"$T/two.csv"
run "$C" people import "$T/two.csv"
expect_out "1 read, 0 imported, 1 updated, 0 skipped" "the same address in another case updates"
run "$C" people list --format tsv
printf '%s\n' "$out" | grep -q '^jane@example.org	Jane Doe	es	' && ok || fail "Jane was updated: $out"

# calendars
cat >"$T/fr.ics" <<'ICS'
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
X-WR-CALNAME:Jours fériés France 2024
BEGIN:VEVENT
UID:fr-2024-05-01
DTSTAMP:20240101T000000Z
DTSTART;VALUE=DATE:20240501
DTEND;VALUE=DATE:20240502
SUMMARY:Fête du Travail
END:VEVENT
BEGIN:VEVENT
UID:fr-2024-07-14
DTSTAMP:20240101T000000Z
DTSTART;VALUE=DATE:20240714
DTEND;VALUE=DATE:20240715
SUMMARY:Fête nationale
RRULE:FREQ=YEARLY;COUNT=2
END:VEVENT
END:VCALENDAR
ICS
run "$C" calendar import --scope country:FR --meaning avoid "$T/fr.ics"
expect_rc 0 "calendar import"
expect_out "calendar fr imported: 3 entries (scope country:FR, meaning avoid)" "import with overrides"
run "$C" calendar import --scope country:FR --meaning avoid "$T/fr.ics"
expect_out "calendar fr unchanged" "importing again changes nothing"
run "$C" calendar import --scope planet:Mars "$T/fr.ics"
expect_rc 64 "a bad scope is a usage error"
run "$C" calendar list --format csv
expect_rc 0 "calendar list"
printf '%s\n' "$out" | grep -q '^fr,country:FR,avoid,3,2024-05-01,2025-07-14,' && ok || fail "calendar list shows fr: $out"
printf '%s\n' "$out" | grep -q '^unga79,all,blackout,3,2024-09-22,2024-09-30,' && ok || fail "calendar list shows unga79"

finish
