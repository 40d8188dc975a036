#!/bin/sh
# SPDX-License-Identifier: MIT
# cli_rsvp_limit.sh: RELIABILITY.md T5 (RFC 5546 6.1, "flooding"): 1,000 replies from one
# sender in one run, among replies from others. At most 20 from that sender are processed in
# any hour (the clock run forward with CONVENE_NOW); the rest are kept whole, listed by
# 'rsvp pending', applied by later runs oldest first; the other senders are not delayed at all;
# no reply is lost or applied twice.
# shellcheck source=lib.sh
. "$CONVENE_SOURCE_ROOT/tests/cli/lib.sh"
# The database on tmpfs when there is one: the test makes some 3,000 commits, each synced
# (synchronous=FULL), which on a disk take most of a minute, and several under the sanitizers.
if [ -d /dev/shm ] && [ -w /dev/shm ] && SHM=$(mktemp -d /dev/shm/convene-limit.XXXXXX); then
    trap 'rm -rf "$T" "$SHM"' EXIT
    export CONVENE_DB="$SHM/convene.db"
fi
EV=africa-regional-meeting
UID_EV=61d4b765-001a-4ac9-950d-13a44526072b
FLOOD=delegate-ke@example.org

run "$C" init
run "$C" people import "$SRC/calendars/sample-delegates.csv"
run "$C" invite $EV
expect_rc 0 "invitations queued"

partstat() {
    "$C" attendance $EV --format csv | awk -F, -v e="$1" 'tolower($1) == e { print $3 }' | tr -d '\r'
}
held() { sqlite3 "$CONVENE_DB" "SELECT count(*) FROM reply_held"; }
logged() { sqlite3 "$CONVENE_DB" "SELECT count(*) FROM reply WHERE sender = '$1' COLLATE NOCASE"; }

# reply DIR NAME FROM PARTSTAT DTSTAMP: one plain iMIP REPLY, as a calendar client sends it.
mkdir "$T/flood" "$T/others" "$T/later"
python3 - "$T" "$UID_EV" "$FLOOD" <<'PY'
import os, sys
t, uid, flood = sys.argv[1:]
def reply(path, sender, partstat, stamp, n):
    cal = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//flood//EN\r\nMETHOD:REPLY\r\n"
           "BEGIN:VEVENT\r\nORGANIZER:mailto:cochair-office@example.org\r\n"
           f"ATTENDEE;PARTSTAT={partstat}:mailto:{sender}\r\nUID:{uid}\r\nSEQUENCE:0\r\n"
           f"DTSTAMP:{stamp}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    msg = (f"From: {sender}\r\nTo: cochair-office@example.org\r\nSubject: {partstat}\r\n"
           f"Message-ID: <{n}.{sender}>\r\nMIME-Version: 1.0\r\n"
           "Content-Type: text/calendar; method=REPLY; charset=utf-8\r\n\r\n" + cal)
    open(path, "w", newline="").write(msg)
# 1,000 from one sender, each newer than the one before: ACCEPTED, TENTATIVE, ...
for i in range(1000):
    s = 10 * 3600 + i
    stamp = f"20240116T{s // 3600:02d}{s // 60 % 60:02d}{s % 60:02d}Z"
    reply(f"{t}/flood/{i:04d}.eml", flood, "ACCEPTED" if i % 2 == 0 else "TENTATIVE", stamp, i)
# Others: five senders once, one sender three times.
for k, who in enumerate(["gh", "ng", "sn", "cv", "mw"]):
    reply(f"{t}/others/{who}.eml", f"delegate-{who}@example.org", "DECLINED", "20240116T090000Z", k)
for j, ps in enumerate(["ACCEPTED", "TENTATIVE", "DECLINED"]):
    reply(f"{t}/others/sc-{j}.eml", "delegate-sc@example.org", ps, f"20240116T09000{j}Z", 10 + j)
# Later, at +30 min: one more from the flooder (the newest of all) and one from someone new.
reply(f"{t}/later/flood.eml", flood, "DECLINED", "20240116T120000Z", 2000)
reply(f"{t}/later/sl.eml", "delegate-sl@example.org", "ACCEPTED", "20240116T093000Z", 2001)
# 21 from one sender, read under --authserv-id (they carry no Authentication-Results).
os.makedirs(f"{t}/auth")
for i in range(21):
    reply(f"{t}/auth/{i:02d}.eml", "delegate-za@example.org", "ACCEPTED",
          f"20240116T1100{i:02d}Z", 3000 + i)
PY

# ---- one run: 1,000 from one sender first, then the others ----
export CONVENE_NOW=2024-01-16T12:00:00Z
run "$C" rsvp import "$T"/flood/*.eml "$T"/others/*.eml
expect_rc 0 "the flood is read"
expect_out "1008 read, 28 applied, 0 ignored, 0 held for the organizer (0 from people not invited, 0 counter-proposals), 980 held by the per-sender limit" "20 of the flood and all 8 others processed"
expect_out "980 replies wait for their sender's hour" "says how many wait"
expect_out "limited: 20 replies from $FLOOD in the last hour (limit 20)" "says why"
[ "$(held)" -eq 980 ] && ok || fail "$(held) replies held, expected 980"
[ "$(logged $FLOOD)" -eq 20 ] && ok || fail "$(logged $FLOOD) flood replies processed, expected 20"
# The 20th (i = 19, TENTATIVE) is the newest taken; the others all took effect.
[ "$(partstat $FLOOD)" = "TENTATIVE" ] && ok || fail "the flooder's answer is $(partstat $FLOOD)"
for who in gh ng sn cv mw; do
    [ "$(partstat delegate-$who@example.org)" = "DECLINED" ] && ok ||
        fail "delegate-$who was delayed by the flood"
done
[ "$(partstat delegate-sc@example.org)" = "DECLINED" ] && ok || fail "delegate-sc: the newest did not win"
run "$C" rsvp pending --format csv
n=$(printf '%s\n' "$out" | grep -c "^held-[0-9]*,.*,limited,,$FLOOD,")
[ "$n" -eq 980 ] && ok || fail "rsvp pending lists $n held replies, expected 980"
run "$C" rsvp pending
expect_out "980 held by the per-sender limit" "the table says how many are held"

# ---- 30 minutes on: the flooder's hour is still full; others are not held ----
export CONVENE_NOW=2024-01-16T12:30:00Z
run "$C" rsvp retry
expect_rc 0 "retry within the hour"
expect_out "0 read, 0 applied" "nothing of the flood yet"
expect_out "980 replies wait" "all still wait"
run "$C" rsvp import "$T/later/flood.eml" "$T/later/sl.eml"
expect_out "2 read, 1 applied, 0 ignored, 0 held for the organizer (0 from people not invited, 0 counter-proposals), 1 held by the per-sender limit" "a new sender is applied at once, the flooder's new reply waits"
[ "$(partstat delegate-sl@example.org)" = "ACCEPTED" ] && ok || fail "a new sender was held"
[ "$(held)" -eq 981 ] && ok || fail "$(held) held, expected 981"

# ---- an hour after the first run: 20 more, oldest first ----
export CONVENE_NOW=2024-01-16T13:00:00Z
run "$C" rsvp retry
expect_out "20 read, 20 applied" "the next hour takes 20 more"
expect_out "flood/0020.eml (held 1): applied" "oldest first: the 21st"
[ "$(held)" -eq 961 ] && ok || fail "$(held) held, expected 961"
[ "$(logged $FLOOD)" -eq 40 ] && ok || fail "$(logged $FLOOD) flood replies processed, expected 40"
[ "$(partstat $FLOOD)" = "TENTATIVE" ] && ok || fail "the 40th reply (TENTATIVE) is not the answer"
run "$C" rsvp retry
expect_out "0 read" "not twice in the same hour"

# ---- the organizer lifts the limit: the rest, in order; nothing lost, nothing twice ----
run "$C" rsvp retry --per-sender 0
expect_rc 0 "retry without a limit"
expect_out "961 read, 961 applied" "every held reply applied"
[ "$(held)" -eq 0 ] && ok || fail "$(held) still held"
[ "$(logged $FLOOD)" -eq 1001 ] && ok || fail "$(logged $FLOOD) flood replies logged, expected 1001"
total=$(sqlite3 "$CONVENE_DB" "SELECT count(*) FROM reply")
[ "$total" -eq 1010 ] && ok || fail "$total replies logged, expected 1010 (1,001 + 8 + 1)"
dups=$(sqlite3 "$CONVENE_DB" "SELECT count(*) FROM (SELECT message_id FROM reply GROUP BY message_id HAVING count(*) > 1)")
[ "$dups" -eq 0 ] && ok || fail "$dups messages applied twice"
[ "$(partstat $FLOOD)" = "DECLINED" ] && ok || fail "the newest reply (DECLINED) did not win at last"
run "$C" rsvp retry
expect_out "0 read" "nothing left"
# ---- a held reply is judged under the --authserv-id it was read with, whatever the later run
export CONVENE_NOW=2024-01-16T14:00:00Z
run "$C" rsvp import --authserv-id mx.example.org "$T"/auth/*.eml
expect_out "21 read, 0 applied, 20 ignored, 0 held for the organizer (0 from people not invited, 0 counter-proposals), 1 held by the per-sender limit" "20 judged (no Authentication-Results), 1 held"
export CONVENE_NOW=2024-01-16T15:00:00Z
run "$C" rsvp retry
expect_out "1 read, 0 applied, 1 ignored" "retried without --authserv-id, the held one is still checked"
expect_out "no Authentication-Results from mx.example.org" "and says why"
[ "$(partstat delegate-za@example.org)" = "NEEDS-ACTION" ] && ok || fail "a held reply skipped the DKIM/SPF check"
run "$C" rsvp import --per-sender x "$T/later/sl.eml"
expect_rc 64 "a bad --per-sender"
finish
