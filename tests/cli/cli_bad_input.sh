#!/bin/sh
# SPDX-License-Identifier: MIT
# cli_bad_input.sh: each bad input gets one line on stderr naming the file, line and what to
# do, a sysexits code, and leaves the database byte-for-byte as it was.
. "$(dirname "$0")/lib.sh"

run "$C" init
expect_rc 0 "init"
run "$C" people import "$SRC/calendars/sample-delegates.csv"
expect_rc 0 "people import"
before=$(db_hash)

# bad RC DESCRIPTION TEXT CMD...: the command fails with RC, one line naming TEXT, DB unchanged.
bad() {
    want=$1 what=$2 text=$3
    shift 3
    run "$@"
    expect_rc "$want" "$what"
    expect_one_line "$what"
    expect_err "$text" "$what"
    after=$(db_hash)
    [ "$after" = "$before" ] && ok || fail "$what: the database changed"
}

# ---- files ----
bad 66 "missing CSV" "$T/nope.csv: no such file" "$C" people import "$T/nope.csv"
mkdir "$T/dir.csv"
bad 66 "a folder instead of a CSV" "$T/dir.csv: cannot read: is a directory" \
    "$C" people import "$T/dir.csv"
if [ "$(id -u)" -ne 0 ]; then
    printf 'name,email\n' >"$T/locked.csv"
    chmod 000 "$T/locked.csv"
    bad 66 "unreadable CSV" "$T/locked.csv: cannot open" "$C" people import "$T/locked.csv"
fi
bad 66 "missing .ics" "$T/nope.ics: no such file" "$C" calendar import "$T/nope.ics"

# ---- CSV content ----
printf 'name,language\nA,en\n' >"$T/nocol.csv"
bad 65 "CSV without an email column" "$T/nocol.csv:1: no 'email' column" \
    "$C" people import "$T/nocol.csv"
printf 'name,email\nA,a@example.org\nB,not-an-address\n' >"$T/email.csv"
bad 65 "bad email" "$T/email.csv:3: 'not-an-address' is not a valid email address" \
    "$C" people import "$T/email.csv"
printf 'name,email,language\nA,a@example.org,en\nB,b@example.org,klingon\n' >"$T/lang.csv"
bad 65 "unknown language" "$T/lang.csv:3: b@example.org: unknown language 'klingon'; use en, fr, es or ar" \
    "$C" people import "$T/lang.csv"
printf 'name,email,timezone\nA,a@example.org,Mars/Olympus_Mons\n' >"$T/zone.csv"
bad 65 "unknown zone" "$T/zone.csv:2: a@example.org: unknown time zone 'Mars/Olympus_Mons'" \
    "$C" people import "$T/zone.csv"
printf 'name,email\nA,dup@example.org\nB,other@example.org\nC,DUP@example.org\n' >"$T/dup.csv"
bad 65 "duplicate email" "$T/dup.csv:4: DUP@example.org is listed twice" \
    "$C" people import "$T/dup.csv"
printf 'name,email\n"A,a@example.org\n' >"$T/quote.csv"
bad 65 "unterminated quote" "$T/quote.csv:2: a quoted field is never closed" \
    "$C" people import "$T/quote.csv"

# --skip-invalid imports the good rows and names each skipped line.
run "$C" people import --skip-invalid "$T/email.csv"
expect_rc 0 "--skip-invalid"
expect_out "2 read, 1 imported, 0 updated, 1 skipped" "--skip-invalid counts"
expect_err "convene: skipped $T/email.csv:3: 'not-an-address' is not a valid email address" \
    "--skip-invalid names the line"
before=$(db_hash)

# ---- iCalendar ----
printf 'Subject: hello\r\n\r\nnot a calendar\r\n' >"$T/mail.ics"
bad 65 "not iCalendar" "$T/mail.ics:1: not an iCalendar file" "$C" calendar import "$T/mail.ics"
printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTART;VALUE=DATE:20240101\r\nSUMMARY:cut' >"$T/cut.ics"
bad 65 "truncated .ics" "$T/cut.ics:7: the file ends inside VEVENT (opened on line 4): it is truncated" \
    "$C" calendar import "$T/cut.ics"
printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTART:notadate\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' >"$T/err.ics"
bad 65 "X-LIC-ERROR" "$T/err.ics:6: Can't parse as DATE-TIME value in DTSTART property" \
    "$C" calendar import "$T/err.ics"
head -c 1100000 /dev/zero | tr '\0' 'x' >"$T/big.ics"
bad 65 "larger than the limit" "$T/big.ics: the file is 1100000 bytes, over the 1048576-byte limit" \
    "$C" calendar import "$T/big.ics"
{
    printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nX-LONG:'
    head -c 20000 /dev/zero | tr '\0' 'y'
    printf '\r\nEND:VCALENDAR\r\n'
} >"$T/long.ics"
bad 65 "a line over the limit" "$T/long.ics:4: a line of 20007 octets, over the 8192-octet limit" \
    "$C" calendar import "$T/long.ics"
printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nEND:VTODO\r\nEND:VCALENDAR\r\n' >"$T/mismatch.ics"
bad 65 "END that does not match" "$T/mismatch.ics:5: END:VTODO does not close BEGIN:VEVENT" \
    "$C" calendar import "$T/mismatch.ics"
printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTART;VALUE=DATE:20000101\r\nSUMMARY:every second\r\nRRULE:FREQ=SECONDLY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' >"$T/secondly.ics"
bad 65 "FREQ=SECONDLY" "$T/secondly.ics:4: an RRULE finer than DAILY" \
    "$C" calendar import "$T/secondly.ics"
mkdir -p "$T/cal/reference"
cp "$SRC/calendars/ogp-members.csv" "$T/cal/"
sed 's/^X-CONVENE-TZID:Asia\/Manila/X-CONVENE-TZID:Asia\/Atlantis/' \
    "$SRC/calendars/ogp-programme.ics" >"$T/cal/ogp-programme.ics"
line=$(grep -n 'X-CONVENE-KEY:asia-pacific' "$T/cal/ogp-programme.ics" | cut -d: -f1)
begin=$(head -n "$line" "$T/cal/ogp-programme.ics" | grep -n '^BEGIN:VEVENT' | tail -n 1 | cut -d: -f1)
bad 65 "an event with an unknown zone" \
    "$T/cal/ogp-programme.ics:$begin: event asia-pacific-regional-meeting: unknown time zone 'Asia/Atlantis'" \
    "$C" init --calendars "$T/cal"

# ---- keys ----
bad 65 "unknown event key (show)" "no event 'no-such-event'; 'convene event list' shows the keys" \
    "$C" event show no-such-event
bad 65 "unknown event key (set)" "no event 'no-such-event'" \
    "$C" event set no-such-event --days 2
bad 65 "unknown event key (cancel)" "no event 'no-such-event'" "$C" event cancel no-such-event
bad 65 "duplicate event key" "an event with the key 'africa-regional-meeting' or its UID exists already" \
    "$C" event add africa-regional-meeting --title X --city Nairobi --country KE --tz Africa/Nairobi
bad 65 "a window shorter than the event" "a 3-day event does not fit a 2-day window" \
    "$C" event set africa-regional-meeting --window 2024-05-01..2024-05-02
bad 65 "a bad key" "the event key 'Bad Key' is not a slug" \
    "$C" event add "Bad Key" --title X --city Nairobi --country KE --tz Africa/Nairobi

# ---- the database ----
# Locked: another process holds the write lock for a while.
mkfifo "$T/fifo"
(sqlite3 "$CONVENE_DB" <"$T/fifo" >/dev/null 2>&1 &)
exec 9>"$T/fifo"
printf 'BEGIN IMMEDIATE;\nUPDATE event SET days = days WHERE 0;\n' >&9
sleep 0.3
bad 75 "locked database" "the database is locked by another process; try again when it is done" \
    "$C" event set africa-regional-meeting --days 4
printf 'ROLLBACK;\n.quit\n' >&9
exec 9>&-
sleep 0.3

# Newer schema, then not a database at all: on copies, so the original stays good.
cp "$CONVENE_DB" "$T/newer.db"
sqlite3 "$T/newer.db" "PRAGMA user_version = 99;"
h=$(sha256sum <"$T/newer.db")
run "$C" --db "$T/newer.db" event list
expect_rc 65 "newer schema"
expect_one_line "newer schema"
expect_err "the database has schema 99, newer than this convene knows (12); use a newer convene" "newer schema"
[ "$(sha256sum <"$T/newer.db")" = "$h" ] && ok || fail "newer schema: the file changed"
run "$C" --db "$T/newer.db" init
expect_rc 65 "init refuses a newer schema"

printf 'this is not a database, just some text that is long enough to have a header\n' >"$T/text.db"
h=$(sha256sum <"$T/text.db")
run "$C" --db "$T/text.db" event list
expect_rc 65 "not a database"
expect_one_line "not a database"
expect_err "$T/text.db: cannot read the database: file is not a database" "not a database"
run "$C" --db "$T/text.db" init
expect_rc 65 "init refuses a file that is not a database"
[ "$(sha256sum <"$T/text.db")" = "$h" ] && ok || fail "not a database: the file changed"

sqlite3 "$T/other.db" "CREATE TABLE t(x); INSERT INTO t VALUES (1);"
h=$(sha256sum <"$T/other.db")
run "$C" --db "$T/other.db" init
expect_rc 65 "another program's database"
expect_err "the file is a SQLite database of another program" "another program's database"
[ "$(sha256sum <"$T/other.db")" = "$h" ] && ok || fail "another program's database changed"

# Read-only: as a user without write permission (root ignores file modes, so drop to nobody).
mkdir "$T/ro"
cp "$CONVENE_DB" "$T/ro/ro.db"
chmod 0444 "$T/ro/ro.db"
chmod 1777 "$T/ro"
chmod 0755 "$T"
h=$(sha256sum <"$T/ro/ro.db")
if [ "$(id -u)" -eq 0 ]; then
    as_other="setpriv --reuid=65534 --regid=65534 --clear-groups"
else
    as_other=""
fi
run $as_other "$C" --db "$T/ro/ro.db" event cancel africa-regional-meeting
expect_rc 73 "read-only database"
expect_one_line "read-only database"
expect_err "$T/ro/ro.db: the database is read-only; check the file's permissions" "read-only database"
[ "$(sha256sum <"$T/ro/ro.db")" = "$h" ] && ok || fail "read-only: the file changed"
run $as_other "$C" --db "$T/ro/ro.db" event list
expect_rc 0 "a read-only database can still be read"

finish
