#!/bin/sh
# SPDX-License-Identifier: MIT
# imap_dovecot.sh: `convene rsvp fetch` against a real IMAP server: Debian's dovecot-imapd,
# started here on a free port of 127.0.0.1 with a throwaway configuration in the test's folder
# (a Maildir there, a passwd-file user, imaps with a self-signed certificate made by openssl and
# given to convene as its CA). Replies are delivered into the Maildir, fetched without being
# marked, applied, then marked \Seen (or moved); a run killed between the fetch and the apply
# leaves every message unseen; a malformed message stays unseen and is reported, run after run.
# shellcheck source=lib.sh
. "$CONVENE_SOURCE_ROOT/tests/fault/lib.sh"
DOVECOT=$(command -v dovecot 2>/dev/null || echo /usr/sbin/dovecot)
if ! [ -x "$DOVECOT" ] || ! command -v openssl >/dev/null 2>&1; then
    echo "SKIP: dovecot (apt-get install dovecot-imapd) or openssl is missing"
    exit 77
fi
R="$SRC/tests/data/replies"
D="$T/dovecot"
mkdir -p "$D/run" "$D/state" "$D/home"
for box in "" .Processed; do
    mkdir -p "$D/Maildir/$box/cur" "$D/Maildir/$box/new" "$D/Maildir/$box/tmp"
done
printf 'Processed\n' >"$D/Maildir/subscriptions"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$D/key.pem" -out "$D/cert.pem" -days 2 \
    -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1 ||
    { fail "openssl could not make a certificate"; finish; }
printf 'office:{PLAIN}not-a-real-secret\n' >"$D/passwd"
# Dovecot refuses mail processes as root: as root the mail belongs to its own user.
if [ "$(id -u)" -eq 0 ]; then
    mail_user=dovecot
    users=""
else
    mail_user=$(id -un)
    users="default_internal_user = $mail_user
default_login_user = $mail_user"
fi
PORT=$(free_port)
cat >"$D/dovecot.conf" <<CONF
base_dir = $D/run
state_dir = $D/state
log_path = $D/dovecot.log
protocols = imap
listen = 127.0.0.1
$users
ssl = required
ssl_cert = <$D/cert.pem
ssl_key = <$D/key.pem
auth_mechanisms = plain
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $D/passwd
}
userdb {
  driver = static
  args = uid=$mail_user gid=$(id -gn "$mail_user") home=$D/home
}
mail_location = maildir:$D/Maildir
first_valid_uid = 1
service imap-login {
  inet_listener imap {
    port = 0
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $PORT
    ssl = yes
  }
}
CONF
n=0
# deliver FILE: as the server's delivery agent would, into new/ (unseen).
deliver() {
    n=$((n + 1))
    cp "$1" "$D/Maildir/new/1700000000.M${n}P$$.convene-test"
}
run "$C" init
run "$C" people import "$SRC/calendars/sample-delegates.csv"
run "$C" invite africa-regional-meeting
deliver "$R/outlook-accepted.eml"
deliver "$R/gmail-declined.eml"
deliver "$R/apple-tentative.eml"
deliver "$R/spoof/t1-from-not-attendee.eml"
deliver "$R/spoof/not-a-reply.eml"
chown -R "$mail_user" "$D/Maildir" "$D/home" 2>/dev/null
chmod 755 "$T" "$D"

"$DOVECOT" -F -c "$D/dovecot.conf" 2>>"$D/dovecot.log" &
DPID=$!
trap 'kill $DPID 2>/dev/null; wait $DPID 2>/dev/null; rm -rf "$T"' EXIT
if ! wait_port "$PORT"; then
    fail "dovecot did not start: $(tail -5 "$D/dovecot.log")"
    finish
fi
export CONVENE_IMAP_CAINFO="$D/cert.pem"
URL="imaps://office@127.0.0.1:$PORT/INBOX"

# seen: how many messages of the folder carry \Seen (the S of a Maildir file's flags).
seen() { find "$D/Maildir/$1cur" "$D/Maildir/$1new" -type f -name '*:2,*S*' | wc -l; }
unseen() { find "$D/Maildir/$1cur" "$D/Maildir/$1new" -type f ! -name '*:2,*S*' | wc -l; }

run "$C" rsvp fetch "$URL"
expect_rc 69 "no password: the login is refused"
expect_one_line "login refused: one line"
printf 'not-a-real-secret\n' >"$T/pw"
chmod 644 "$T/pw"
CONVENE_IMAP_PASSWORD_FILE="$T/pw" run "$C" rsvp fetch "$URL"
expect_rc 65 "a password file others can read"
chmod 600 "$T/pw"
export CONVENE_IMAP_PASSWORD_FILE="$T/pw"
run "$C" rsvp fetch "imap+plain://office@192.0.2.1:$PORT/INBOX"
expect_rc 65 "no TLS to another machine"
expect_err "imap+plain:// (no TLS) is allowed only to this machine" "says why"

# A run killed after reading a message and before applying it (CONVENE_TEST_ABORT_AFTER_FETCH
# makes `rsvp fetch` call abort() there; it is an environment check in every build, for this
# test only): the message was read with BODY.PEEK[], so it is still unseen on the server and the
# next run applies it, once. With a plain BODY[] fetch the server would have marked it \Seen and
# it would never be read again.
CONVENE_TEST_ABORT_AFTER_FETCH=1 run "$C" rsvp fetch "$URL"
[ "$rc" -ne 0 ] && [ "$rc" -ne 65 ] && ok || fail "the run meant to abort exited $rc"
[ "$(unseen "")" -eq 5 ] && ok || fail "$(unseen "") messages unseen after the killed run, expected 5"
[ "$(seen "")" -eq 0 ] && ok || fail "$(seen "") messages seen after the killed run: lost to convene"
[ "$(sql 'SELECT count(*) FROM reply')" -eq 0 ] && ok || fail "the killed run applied a reply"

run "$C" rsvp fetch "$URL"
expect_rc 65 "a message that cannot be read makes the run exit 65"

expect_out "not read, left unseen: the message holds no calendar" "the malformed message is reported"
expect_out "applied: delegate-ke@example.org ACCEPTED" "Outlook's reply applied"
expect_out "applied: delegate-gh@example.org DECLINED" "Gmail's reply applied"
expect_out "applied: delegate-ng@example.org TENTATIVE" "Apple's reply applied"
expect_out "ignored: From mallory@evil.example is not the attendee" "the forged reply is ignored"
expect_out "4 read, 3 applied, 1 ignored" "the summary"
[ "$(seen "")" -eq 4 ] && ok || fail "$(seen "") messages seen, expected 4"
[ "$(unseen "")" -eq 1 ] && ok || fail "$(unseen "") messages unseen, expected 1 (the malformed one)"
[ "$(sql "SELECT count(*) FROM reply WHERE attendee LIKE '%delegate-ke@example.org'")" -eq 1 ] &&
    ok || fail "the reply read by the killed run was not applied exactly once"
run "$C" attendance africa-regional-meeting --format csv
expect_out "delegate-ke@example.org,Sample Delegate (Kenya),ACCEPTED" "the database took the reply"

# Again: only the malformed message is left, and it is reported again, never lost.
run "$C" rsvp fetch "$URL"
expect_rc 65 "the malformed message again"
expect_out "0 read, 0 applied, 0 ignored" "nothing else to read"
expect_out "1 not readable (left unseen)" "the malformed message is still there"
[ "$(unseen "")" -eq 1 ] && ok || fail "the malformed message was lost"

# --move-to: what was handled goes to the folder. Delivered by IMAP APPEND this time (curl's
# upload), as the server runs.
# curl appends with \Seen: the flag is taken off again, as for a message just delivered.
curl -sS --cacert "$D/cert.pem" --user "office:not-a-real-secret" \
    -T "$R/thunderbird-accepted-recurrence-id.eml" "imaps://127.0.0.1:$PORT/INBOX" &&
    curl -sS --cacert "$D/cert.pem" --user "office:not-a-real-secret" \
        -X 'UID STORE 6 -FLAGS (\Seen)' "imaps://127.0.0.1:$PORT/INBOX" >/dev/null ||
    fail "curl could not append a message"
run "$C" rsvp fetch --move-to Processed "$URL"
expect_rc 65 "the run with --move-to (the malformed message still there)"
expect_out "applied: delegate-sn@example.org ACCEPTED" "Thunderbird's reply applied"
[ "$(find "$D/Maildir/.Processed/cur" "$D/Maildir/.Processed/new" -type f | wc -l)" -eq 1 ] && ok || fail "nothing moved to Processed"
[ "$(find "$D/Maildir/cur" "$D/Maildir/new" -type f | wc -l)" -eq 5 ] && ok ||
    fail "the moved message is still in INBOX"
# A message with a 600 KB line: libcurl 7.88 hands a custom command's answer over line by line
# and gives up on a line longer than its buffer (a receive error). The message stays unseen and
# is reported, the connection starts over (the server still answers a NOOP), and the message
# after it is still read in the same run. Both delivered by IMAP APPEND, as above.
"$PY" - "$T/long.eml" <<'PYEOF'
import sys
with open(sys.argv[1], "w", newline="") as f:
    f.write("From: delegate-ke@example.org\r\nTo: office@example.org\r\nSubject: long\r\n"
            "Message-ID: <long@example.org>\r\n\r\n" + "x" * 600000 + "\r\nend\r\n")
PYEOF
for f in "$T/long.eml" "$R/outlook-accepted.eml"; do
    curl -sS --cacert "$D/cert.pem" --user "office:not-a-real-secret" -T "$f" \
        "imaps://127.0.0.1:$PORT/INBOX" || fail "curl could not append $f"
done
curl -sS --cacert "$D/cert.pem" --user "office:not-a-real-secret" \
    -X 'UID STORE 7:8 -FLAGS (\Seen)' "imaps://127.0.0.1:$PORT/INBOX" >/dev/null ||
    fail "curl could not clear the flags"
run "$C" rsvp fetch "$URL"
expect_rc 65 "the long message cannot be read"
expect_out "imap:7: not read, left unseen" "the long message is reported"
expect_out "imap:8: ignored: " "the message after it is read, on a new connection (a stale copy)"
expect_out "1 read, 0 applied, 1 ignored" "the summary"
expect_out "2 not readable (left unseen)" "the long one and the malformed one"
[ "$(unseen "")" -eq 2 ] && ok || fail "$(unseen "") messages unseen, expected 2 (long, malformed)"

run "$C" rsvp fetch --move-to 'bad"name' "$URL"
expect_rc 64 "a folder name that would need quoting"
finish
