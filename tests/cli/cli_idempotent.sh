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
expect_out "created $T/demo.db (schema 11)" "the demo creates its database"
for key in africa-regional-meeting middle-east-regional-meeting americas-regional-meeting \
    unga79-leaders-event asia-pacific-regional-meeting; do
    expect_out "$key" "the demo lists $key"
done
expect_out "Nairobi, KE" "the demo shows the host city"
expect_out "window 2024-09-24..2024-09-30, 1 day" "the demo shows a window"
expect_out "2025-02-05..2025-02-07" "the demo shows held dates"
expect_out "proposed (scenario)" "the demo marks the scenario"
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

finish
