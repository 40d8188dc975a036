#!/bin/sh
# SPDX-License-Identifier: MIT
# cli_idempotent.sh: init twice leaves an identical database; importing the same delegate list
# twice gives the same rows; the demo runs twice.
. "$(dirname "$0")/lib.sh"

run "$C" init
expect_rc 0 "first init"
cp "$CONVENE_DB" "$T/after-first.db"
[ ! -e "$CONVENE_DB-wal" ] && ok || fail "the WAL is checkpointed and removed on close"

run "$C" init
expect_rc 0 "second init"
expect_out "$CONVENE_DB is up to date: nothing changed (5 events, 75 members, 8 reference calendars)" \
    "the second init says nothing changed"
expect_same "$T/after-first.db" "$CONVENE_DB" "init twice: identical database"

# init from the calendars folder reads the same data as the built-in copies.
run "$C" init --calendars "$SRC/calendars"
expect_out "is up to date: nothing changed" "the folder and the built-in copies agree"
expect_same "$T/after-first.db" "$CONVENE_DB" "init --calendars: identical database"

# An edited event is kept by a later init.
run "$C" event set africa-regional-meeting --venue "Kenyatta International Convention Centre"
expect_rc 0 "edit an event"
run "$C" init
expect_out "is up to date" "init after an edit changes nothing"
run "$C" event show africa-regional-meeting
expect_out "venue         Kenyatta International Convention Centre" "the edit is kept"

run "$C" people import "$SRC/calendars/sample-delegates.csv"
expect_out "78 read, 78 imported, 0 updated, 0 skipped" "first import"
"$C" people list --format csv >"$T/people1.csv"
cp "$CONVENE_DB" "$T/after-import.db"
run "$C" people import "$SRC/calendars/sample-delegates.csv"
expect_out "78 read, 0 imported, 0 updated, 0 skipped (78 unchanged)" "second import changes nothing"
"$C" people list --format csv >"$T/people2.csv"
expect_same "$T/people1.csv" "$T/people2.csv" "same rows after a second import"
expect_same "$T/after-import.db" "$CONVENE_DB" "a second import leaves the database identical"

# The demo: on a fresh database, then again.
export CONVENE_DB="$T/demo.db"
run "$C" demo
expect_rc 0 "demo"
expect_out "created $T/demo.db (schema 12)" "the demo creates its database"
expect_out "links: http://127.0.0.1:8080 (the default; set \$CONVENE_BASE_URL" "the demo says its links are the default"
expect_out "webcal://127.0.0.1:8080/programme.ics" "the demo prints the default address"
for key in africa-regional-meeting middle-east-regional-meeting americas-regional-meeting \
    unga79-leaders-event asia-pacific-regional-meeting; do
    expect_out "$key" "the demo lists $key"
done
expect_out "Nairobi, KE" "the demo shows the host city"
expect_out "window 2024-09-24..2024-09-30, 1 day" "the demo shows a window"
expect_out "2025-02-05..2025-02-07" "the demo shows held dates"
expect_out "proposed (scenario)" "the demo marks the scenario"
# The timetable of the Nairobi meeting: its shipped session with demo rooms and sessions,
# labelled as such, in memory only: no room or session is stored, no feed carries them.
expect_out "-- convene plan africa-regional-meeting --timetable --explain" "the demo runs a timetable"
expect_out "the shipped programme gives africa-regional-meeting 1 session and no rooms; the demo adds, in memory only (none of it is sourced, stored, published or sent):" "the demo says what it adds"
expect_out "timetable of africa-regional-meeting: 7 sessions, 3 rooms, 3 days; cost 0, 0 hard violations" "the demo's timetable"
expect_out "Demo Hall                opening-plenary      Opening Plenary & Gala Dinner (plenary)" "the shipped plenary in the largest room"
expect_out "Demo session: digital governance panel (digital-governance)" "demo sessions are titled so"
expect_out "  demo-digital-1: Demo Speaker A prefers 13:00-18:00 on 26 March 2025: met" "the demo explains a preference"
expect_out "opening-plenary, as shipped (sourced): 25 March 2025, 17:00-21:00 in Garden" "beside the sourced time"
[ "$(sqlite3 "$CONVENE_DB" "SELECT count(*) FROM room; SELECT count(*) FROM session WHERE key LIKE 'demo-%'")" = "0
0" ] && ok || fail "the demo stores no demo room or session"
[ -d "$T/feeds" ] && ! grep -rqi "demo session" "$T/feeds" && ok || fail "a feed or page carries a demo session"
expect_out "people: 78 (sample data: en 56, fr 5, es 14, ar 3)" "the demo imports the sample delegates"
expect_out "private feed addresses minted into first invitations" "the demo invites"
expect_out "15 replies written to ./replies and read back: 15 applied" "the demo's delegates answer"
expect_out "delegated: delegate-za@example.org to deputy-za@example.org" "the demo delegates"
expect_out "all     9         2          3         1          3          18" "the demo ends with the attendance"
n=$(ls "$T"/outbox/*.eml | wc -l)
[ "$n" -ge 40 ] && ok || fail "the demo wrote $n messages to ./outbox"
run "$C" demo
expect_rc 0 "demo again"
expect_out "is up to date: nothing changed" "the second demo changes nothing"
expect_out "0 imported, 0 updated, 0 skipped (78 unchanged)" "the second demo imports nothing"
expect_out ": 0 files written, " "the second demo rewrites no feed"
expect_out "0 invitations, 0 updates, 0 cancellations queued" "the second demo queues no mail"
expect_out "sent 0 to ./outbox/" "the second demo sends nothing again"

# The demo's links follow $CONVENE_BASE_URL, as serve, publish and invite do; it says so.
mkdir "$T/based" && cd "$T/based" || exit 1
CONVENE_BASE_URL=https://calendars.example.org/ogp/ run "$C" --db "$T/based/demo.db" demo
expect_rc 0 "demo with CONVENE_BASE_URL"
expect_out "links: https://calendars.example.org/ogp (from \$CONVENE_BASE_URL)" "the demo names the address it uses"
expect_out "webcal://calendars.example.org/ogp/programme.ics" "the demo prints subscribe links at that address"
expect_out "visit https://calendars.example.org/ogp/" "the demo says where to visit"
printf '%s\n' "$out" | grep -q '127\.0\.0\.1:8080' && fail "the demo still prints 127.0.0.1:8080" || ok
grep -q 'href="https://calendars.example.org/ogp/programme.ics"' feeds/subscribe.html && ok ||
    fail "the demo's published pages link the address"
grep -rq '127\.0\.0\.1:8080' feeds outbox && fail "a demo file links 127.0.0.1:8080" || ok
cd "$T" || exit 1

finish
