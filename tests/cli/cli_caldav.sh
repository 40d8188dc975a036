#!/bin/sh
# SPDX-License-Identifier: MIT
# cli_caldav.sh: convene publish --caldav keeps a Radicale collection (started here on
# 127.0.0.1) in step: creates, conditional updates, conflicts left alone, deletions.
. "$(dirname "$0")/lib.sh"

command -v radicale >/dev/null 2>&1 || { echo "SKIP: radicale is not installed"; exit 77; }
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
radicale --config "" --server-hosts "127.0.0.1:$port" --storage-filesystem-folder "$T/radicale" \
    --auth-type none --rights-type owner_write --logging-level warning >"$T/radicale.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$T"' EXIT
i=0
until curl -s -o /dev/null "http://127.0.0.1:$port/" || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
COLL="http://127.0.0.1:$port/office/ogp/"
[ "$(curl -s -u office:x -X MKCALENDAR -o /dev/null -w '%{http_code}' "$COLL")" = 201 ] && ok ||
    fail "Radicale made the collection"
export CONVENE_CALDAV_PASSWORD=not-checked-by-this-radicale

run "$C" init
run "$C" publish --out "$T/feeds" --caldav "$COLL" --caldav-user office
expect_rc 0 "publish --caldav"
expect_out "CalDAV $COLL: 5 created, 0 updated, 0 unchanged, 0 deleted, 0 conflicts" "3 events and 2 sessions created"
printf '%s\n' "$CONVENE_CALDAV_PASSWORD" | grep -qF -f - "$T/out" "$T/err" && fail "the password was printed" || ok

# What Radicale holds is what the database says: UIDs and dates, read back with curl.
for key in africa-regional-meeting americas-regional-meeting asia-pacific-regional-meeting; do
    uid=$(sqlite3 "$CONVENE_DB" "SELECT uid FROM event WHERE key = '$key'")
    start=$(sqlite3 "$CONVENE_DB" "SELECT replace(start_date, '-', '') FROM event WHERE key = '$key'")
    curl -s -u office:x "$COLL$uid.ics" >"$T/$key.ics"
    grep -q "^UID:$uid" "$T/$key.ics" && grep -q "^DTSTART;VALUE=DATE:$start" "$T/$key.ics" &&
        ok || fail "Radicale holds $key with its UID and date"
done
/usr/bin/python3 -c "
import sys, icalendar
for f in sys.argv[1:]:
    c = icalendar.Calendar.from_ical(open(f, 'rb').read())
    assert len(c.walk('VEVENT')) == 1, f
" "$T"/*-meeting.ics && ok || fail "python3-icalendar reads every resource back"

run "$C" publish --out "$T/feeds" --caldav "$COLL" --caldav-user office
expect_out "0 created, 0 updated, 5 unchanged, 0 deleted, 0 conflicts" "nothing changed, nothing sent"

run "$C" event set asia-pacific-regional-meeting --venue "Grand Hyatt Manila, BGC"
run "$C" publish --out "$T/feeds" --caldav "$COLL" --caldav-user office
expect_out "0 created, 2 updated, 3 unchanged, 0 deleted, 0 conflicts" "the event and its session are updated with If-Match"
uid=$(sqlite3 "$CONVENE_DB" "SELECT uid FROM event WHERE key = 'asia-pacific-regional-meeting'")
curl -s -u office:x "$COLL$uid.ics" | grep -q '^SEQUENCE:1' && ok || fail "Radicale has SEQUENCE:1"

# Someone edits the Africa meeting on the server: convene leaves it alone and says so.
uid=$(sqlite3 "$CONVENE_DB" "SELECT uid FROM event WHERE key = 'africa-regional-meeting'")
curl -s -u office:x "$COLL$uid.ics" | sed 's/^SUMMARY:.*/SUMMARY:Edited on the server/' >"$T/edited.ics"
curl -s -u office:x -X PUT -H 'Content-Type: text/calendar' --data-binary @"$T/edited.ics" \
    -o /dev/null "$COLL$uid.ics"
run "$C" event set africa-regional-meeting --venue "KICC, Nairobi"
run "$C" publish --out "$T/feeds" --caldav "$COLL" --caldav-user office
expect_rc 75 "a conflict"
expect_out "1 conflicts" "the conflict is counted"
expect_err "1 resources changed on the server since convene put them (first: $uid); left alone" "the conflict is named"
curl -s -u office:x "$COLL$uid.ics" | grep -q '^SUMMARY:Edited on the server' && ok || fail "the server's edit is kept"

# A cancelled event leaves the feeds after the retention period, and the collection with it.
run "$C" event cancel americas-regional-meeting
CONVENE_NOW=2025-01-01T00:00:00Z run "$C" publish --out "$T/feeds" --caldav "$COLL" --caldav-user office --cancelled-days 0
uid=$(sqlite3 "$CONVENE_DB" "SELECT uid FROM event WHERE key = 'americas-regional-meeting'")
expect_out "1 deleted" "the cancelled event is deleted from the collection"
[ "$(curl -s -u office:x -o /dev/null -w '%{http_code}' "$COLL$uid.ics")" = 404 ] && ok ||
    fail "Radicale no longer has it"

run "$C" publish --out "$T/feeds" --caldav "http://127.0.0.1:1/x/" --caldav-user office
expect_rc 69 "no CalDAV server"
expect_one_line "no CalDAV server"

finish
