#!/bin/sh
# SPDX-License-Identifier: MIT
# smtp_tls.sh: `convene outbox send` against python3-aiosmtpd on 127.0.0.1 (RELIABILITY.md S1,
# S2, S5, S6, S7, S8, S10): byte-for-byte bodies across libcurl's chunk edges; STARTTLS required (smtp://) and refused or answered 454, never a command sent
# in clear after that; AUTH refused: the run stops, nothing marked, the password nowhere; the
# password file's mode; 550 for some recipients, one transaction each; a SIZE limit.
# shellcheck source=lib.sh
. "$CONVENE_SOURCE_ROOT/tests/fault/lib.sh"
need_aiosmtpd
N=5
export CONVENE_NOW=2024-01-15T09:00:00Z
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/key.pem" -out "$T/cert.pem" -days 2 \
    -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null
export CONVENE_SMTP_CAINFO="$T/cert.pem"
unset CONVENE_SMTP_PASSWORD CONVENE_SMTP_PASSWORD_FILE

AIO_PID=
# aio_start [OPTIONS...]: the server on a free port; sets AIO_PID, AIO_PORT, AIO_DIR.
aio_start() {
    fixture_start smtpd.py aio --cert "$T/cert.pem" --key "$T/key.pem" "$@"
    AIO_PID=$FIXTURE_PID AIO_PORT=$FIXTURE_PORT AIO_DIR=$FIXTURE_DIR
}

aio_stop() {
    [ -n "$AIO_PID" ] && kill "$AIO_PID" 2>/dev/null && wait "$AIO_PID" 2>/dev/null
    AIO_PID=
}
trap 'aio_stop; rm -rf "$T"' EXIT

fresh() {
    export CONVENE_DB="$T/$1.db"
    setup_outbox "${2:-$N}"
}

# untouched NAME: every message still queued, never attempted.
untouched() {
    n=$(sql "SELECT count(*) FROM outbox WHERE state = 'queued' AND attempts = 0")
    total=$(sql "SELECT count(*) FROM outbox")
    [ "$n" -eq "$total" ] && ok || fail "$1: $((total - n)) messages were marked"
}

# no_clear NAME: no MAIL, RCPT, DATA or AUTH reached the server in clear.
no_clear() {
    bad=$(grep -cE '^(MAIL|RCPT|DATA|AUTH) tls=0' "$AIO_DIR/commands.log" || true)
    [ "$bad" -eq 0 ] && ok || fail "$1: $bad commands in clear: $(cat "$AIO_DIR/commands.log")"
}

# S6: STARTTLS required and offered: sent, everything after EHLO under TLS.
fresh starttls
aio_start --tls required
run "$C" outbox send --smtp "smtp://127.0.0.1:$AIO_PORT"
aio_stop
expect_rc 0 "starttls: sent under STARTTLS"
expect_out "sent $N, deferred 0, failed 0" "starttls: every message sent"
no_clear starttls
grep -q '^STARTTLS tls=0' "$AIO_DIR/commands.log" && ok || fail "starttls: no STARTTLS seen"
n=$(ids "$AIO_DIR" | sort -u | wc -l)
[ "$n" -eq "$N" ] && ok || fail "starttls: the server kept $n messages"

# S1: what the server received, after SMTP's dot-stuffing is undone, is byte for byte what the
# outbox holds, even with text lines ".", ".." and ".x" (templates with such lines).
export CONVENE_DB="$T/s1.db"
run "$C" init
people_csv 4 "$T/people.csv"
run "$C" people import "$T/people.csv"
cp -r "$SRC/calendars/templates" "$T/tpl"
for l in en fr es ar; do
    printf '.\n..\n.x\n. \n' >>"$T/tpl/$l/invitation.txt"
done
run "$C" invite africa-regional-meeting --to country:KE --templates "$T/tpl"
expect_out "queued 4 invitations" "s1: queued"
aio_start --tls required
run "$C" outbox send --smtp "smtp://127.0.0.1:$AIO_PORT"
aio_stop
expect_out "sent 4," "s1: sent"
same=0
for id in 1 2 3 4; do
    "$C" outbox show --raw "$id" >"$T/sent.eml"
    mid=$(sql "SELECT message_id FROM outbox WHERE id = $id")
    for f in "$AIO_DIR"/*.eml; do
        if grep -qF "$mid" "$f"; then
            tail -n +2 "$f" >"$T/got.eml" # without the server's X-Rcpt line
            cmp -s "$T/sent.eml" "$T/got.eml" && same=$((same + 1))
        fi
    done
done
[ "$same" -eq 4 ] && ok || fail "s1: $same of 4 messages arrived byte for byte"
tr -d '\r' <"$T/sent.eml" | grep -qx '\.' && ok || fail "s1: no line '.' in the message to test with"

# S2: "\r\n." at every offset across the edges of libcurl's upload chunks (64 KiB, and every
# 16 KiB for good measure), in messages of 16 to 70 KiB, and dots and empty lines at the end of a
# message (its last bytes go on their own, after the hold), put in the outbox behind convene's back:
# what the server keeps, once SMTP's dot-stuffing is undone, is byte for byte what was queued.
export CONVENE_DB="$T/s2.db"
run "$C" init
"$PY" - "$CONVENE_DB" "$T/s2" <<'PYEOF'
import os, sqlite3, sys
db, out = sys.argv[1], sys.argv[2]
os.mkdir(out)
con = sqlite3.connect(db)
def lines(n):
    """n bytes of CRLF lines of at most 76 octets, the last one possibly cut (no CR at its end)."""
    b = b"".join(b"a" * 74 + b"\r\n" for _ in range(n // 76))
    return b + b"a" * (n - len(b))
def add(k, m):
    cur = con.execute(
        "INSERT INTO outbox (message_id, kind, sender, recipient, created, next_attempt,"
        " expires) VALUES (?, 'invitation', 'cochair-office@example.org',"
        " 'd1@example.org', 0, 0, 9999999999)", ("<s2.%d@example.org>" % k,))
    con.execute("INSERT INTO outbox_data (outbox_id, data) VALUES (?, ?)", (cur.lastrowid, m))
    open(os.path.join(out, "%d.eml" % k), "wb").write(m)
k = 0
for edge in (16384, 32768, 49152, 65536):
    for size in (edge + 64, 70 * 1024):
        for d in range(-4, 5):
            for tail in (b"\r\n", b".\r\n", b"x\r\n"):
                k += 1
                head = (b"From: <cochair-office@example.org>\r\nTo: <d1@example.org>\r\n"
                        b"Message-ID: <s2.%d@example.org>\r\nSubject: s2\r\n\r\n" % k)
                dot = edge + d  # the offset of the '.' after a CRLF
                body = lines(dot - 2 - len(head))
                m = head + body + b"\r\n." + tail
                m += lines(max(0, size - len(m) - 2)) + b"\r\n"
                assert m[dot - 2:dot + 1] == b"\r\n.", (edge, d)
                assert b"\r" not in m.replace(b"\r\n", b"") and b"\n" not in m.replace(b"\r\n", b"")
                add(k, m)
# The end of a message: its last line empty, a dot, two dots, or a dot and an empty line, in
# messages of one, two and many lines (convene hands libcurl the last bytes on their own).
for end in (b"\r\n\r\n", b"\r\n.\r\n", b"\r\n..\r\n", b"\r\n.\r\n\r\n", b".\r\n"):
    for size in (0, 100, 20000):
        k += 1
        head = (b"From: <cochair-office@example.org>\r\nTo: <d1@example.org>\r\n"
                b"Message-ID: <s2.%d@example.org>\r\nSubject: s2\r\n\r\n" % k)
        body = lines(size)
        m = head + body + end
        add(k, m)
con.commit()
print(k)
PYEOF
aio_start --tls required
run "$C" outbox send --smtp "smtp://127.0.0.1:$AIO_PORT"
aio_stop
expect_out "sent 231, deferred 0, failed 0" "s2: 231 messages sent"
bad=$("$PY" - "$AIO_DIR" "$T/s2" <<'PYEOF'
import glob, os, re, sys
got = {}
for f in glob.glob(os.path.join(sys.argv[1], "*.eml")):
    b = open(f, "rb").read()
    b = b[b.index(b"\r\n") + 2:]  # without the server's X-Rcpt line
    got[re.search(rb"Message-ID: <s2\.(\d+)@", b).group(1).decode()] = b
bad = 0
for f in glob.glob(os.path.join(sys.argv[2], "*.eml")):
    k = os.path.basename(f)[:-4]
    bad += got.get(k) != open(f, "rb").read()
print(bad)
PYEOF
)
[ "$bad" -eq 0 ] && ok || fail "s2: $bad of 231 messages differ at the server"

# S7: a cleartext run to a server (smtp+plain://), then a TLS-required run (smtp://) to the same
# server: the second one's first command after EHLO is STARTTLS and no MAIL goes in clear.
# convene never mixes the two on one libcurl handle (one handle per run, one URL per handle), so
# Debian's libcurl 7.88 without the fix for CVE-2026-4873 cannot reuse the cleartext connection.
fresh s7 4
aio_start --tls offered
sql "UPDATE outbox SET next_attempt = 9999999999 WHERE id > 2"
run "$C" outbox send --smtp "smtp+plain://127.0.0.1:$AIO_PORT"
expect_out "sent 2," "s7: the cleartext run"
echo "--- second run" >>"$AIO_DIR/commands.log"
sql "UPDATE outbox SET next_attempt = 0 WHERE id > 2"
run "$C" outbox send --smtp "smtp://127.0.0.1:$AIO_PORT"
aio_stop
expect_out "sent 2," "s7: the TLS run"
second=$(sed -n '/^--- second run/,$p' "$AIO_DIR/commands.log" | tail -n +2)
first_after_ehlo=$(printf '%s\n' "$second" | grep -v '^EHLO' | head -1)
[ "$first_after_ehlo" = "STARTTLS tls=0" ] && ok || fail "s7: the TLS run began with '$first_after_ehlo', not STARTTLS"
n=$(printf '%s\n' "$second" | grep -c '^MAIL tls=0' || true)
[ "$n" -eq 0 ] && ok || fail "s7: $n MAIL commands in clear in the TLS run"
n=$(printf '%s\n' "$second" | grep -c '^MAIL tls=1' || true)
[ "$n" -eq 2 ] && ok || fail "s7: $n MAIL commands over TLS, not 2"

# S6: a server without STARTTLS, and one answering 454: the run stops before MAIL (exit 69),
# nothing is marked; smtp+plain:// says in the URL that no TLS is wanted.
for mode in none 454; do
    fresh "tls-$mode"
    aio_start --tls "$mode"
    run "$C" outbox send --smtp "smtp://127.0.0.1:$AIO_PORT"
    aio_stop
    expect_rc 69 "tls-$mode: refused without TLS"
    expect_one_line "tls-$mode: one line"
    expect_err "no secure connection (TLS)" "tls-$mode: says why"
    untouched "tls-$mode"
    no_clear "tls-$mode"
    if grep -qE '^(MAIL|RCPT|DATA)' "$AIO_DIR/commands.log"; then
        fail "tls-$mode: a transaction started: $(cat "$AIO_DIR/commands.log")"
    else ok; fi
done
fresh plain
aio_start --tls none
run "$C" outbox send --smtp "smtp+plain://127.0.0.1:$AIO_PORT"
aio_stop
expect_out "sent $N," "plain: smtp+plain:// sends without TLS"

# An untrusted certificate is refused like a missing STARTTLS.
fresh badcert
aio_start --tls required
CONVENE_SMTP_CAINFO=/etc/ssl/certs/ca-certificates.crt run "$C" outbox send --smtp "smtp://127.0.0.1:$AIO_PORT"
aio_stop
expect_rc 69 "badcert: an untrusted certificate stops the run"
untouched badcert
no_clear badcert

# S8: AUTH refused: the run stops at once (exit 77), nothing is marked failed or even tried,
# and the password shows nowhere.
secret=Sup3r-Secret-Passw0rd
fresh auth-refused
aio_start --tls required --auth refuse
CONVENE_SMTP_PASSWORD=$secret run "$C" outbox send --smtp "smtp://office@127.0.0.1:$AIO_PORT"
aio_stop
expect_rc 77 "auth-refused: the login refused"
expect_err "the server refused the login" "auth-refused: says so"
untouched auth-refused
no_clear auth-refused
n=$(grep -c '^MAIL' "$AIO_DIR/commands.log" || true)
[ "$n" -eq 0 ] && ok || fail "auth-refused: $n transactions started after the refusal"
case "$out$err$(sql "SELECT group_concat(coalesce(last_reply, '')) FROM outbox")" in
*"$secret"*) fail "auth-refused: the password was printed or stored" ;;
*) ok ;;
esac

# The password file must be the owner's alone; then AUTH works.
fresh auth-file
printf '%s\n' "$secret" >"$T/pw"
chmod 644 "$T/pw"
aio_start --tls required --auth "office:$secret"
CONVENE_SMTP_PASSWORD_FILE="$T/pw" run "$C" outbox send --smtp "smtp://office@127.0.0.1:$AIO_PORT"
expect_rc 65 "auth-file: a password file others can read is refused"
expect_err "chmod 600" "auth-file: says what to do"
untouched auth-file
chmod 600 "$T/pw"
CONVENE_SMTP_PASSWORD_FILE="$T/pw" run "$C" outbox send --smtp "smtp://office@127.0.0.1:$AIO_PORT"
aio_stop
expect_rc 0 "auth-file: sent with AUTH"
expect_out "sent $N," "auth-file: every message sent"
grep -q '^AUTH tls=1' "$AIO_DIR/commands.log" && ok || fail "auth-file: no AUTH under TLS"
run "$C" outbox send --smtp "smtp://office:$secret@127.0.0.1:1"
expect_rc 65 "a password in the URL is refused"
expect_one_line "password in the URL: one line"
case "$err" in
*"$secret"*) fail "the refused URL's password was printed" ;;
*) ok ;;
esac

# S5: recipients refused with 550 at RCPT fail with their reply kept; the others are
# delivered once each (one transaction per recipient); the 550s are never tried again.
fresh s5 10
aio_start --tls required --reject d1
run "$C" outbox send --smtp "smtp://127.0.0.1:$AIO_PORT"
aio_stop
expect_out "sent 10, deferred 0, failed 2" "s5: 8 delivered, 2 refused (and 2 notices sent)"
n=$(sql "SELECT count(*) FROM outbox WHERE recipient IN ('d1@example.org', 'd10@example.org') AND state = 'failed' AND last_code = 550 AND last_reply LIKE '550 5.1.1%'")
[ "$n" -eq 2 ] && ok || fail "s5: the refused recipients are not failed with their 550"
n=$(ids "$AIO_DIR" | sort | uniq -d | wc -l)
[ "$n" -eq 0 ] && ok || fail "s5: $n duplicates"
n=$(grep -c '^MAIL' "$AIO_DIR/commands.log")
[ "$n" -eq 12 ] && ok || fail "s5: $n transactions, not 12 (one per message)"
later 120
aio_start --tls required
run "$C" outbox send --smtp "smtp://127.0.0.1:$AIO_PORT"
aio_stop
n=$(grep -c '^MAIL' "$AIO_DIR/commands.log" || true)
[ "$n" -eq 0 ] && ok || fail "s5: $n refused messages tried again"

# S10: a message over the server's SIZE limit fails for good at MAIL.
fresh s10
aio_start --tls required --size 3000
run "$C" outbox send --smtp "smtp://127.0.0.1:$AIO_PORT"
aio_stop
n=$(sql "SELECT count(*) FROM outbox WHERE kind = 'invitation' AND state = 'failed' AND attempts = 1 AND last_code = 552")
[ "$n" -eq "$N" ] && ok || fail "s10: $n of $N failed with 552: $(sql "SELECT last_code, last_reply FROM outbox LIMIT 1")"
n=$(grep -c '^RCPT' "$AIO_DIR/commands.log" || true)
[ "$n" -le "$N" ] && ok || fail "s10: RCPT sent for oversized messages"

# The SIZE declared is the message's own size (RFC 1870 section 6): the dots that dot-stuffing
# adds before lines beginning with '.' are not counted. Each message gets three such lines.
fresh s10-size
sql "UPDATE outbox_data SET data = CAST(CAST(data AS TEXT) || '.one' || char(13, 10) || '..two' || char(13, 10) || '.' || char(13, 10) AS BLOB)"
want=$(sql "SELECT length(data) FROM outbox_data JOIN outbox ON outbox_id = id WHERE kind = 'invitation' ORDER BY length(data)" | tr '\n' ' ')
aio_start --tls required
run "$C" outbox send --smtp "smtp://127.0.0.1:$AIO_PORT"
aio_stop
expect_out "sent $N, deferred 0, failed 0" "s10-size: every message sent"
got=$(sort -n "$AIO_DIR/sizes.log" | tr '\n' ' ')
[ -n "$got" ] && [ "$got" = "$want" ] && ok || fail "s10-size: SIZE declared $got, the messages are $want octets"
n=$(grep -l '^\.\.two' "$AIO_DIR"/*.eml | wc -l)
[ "$n" -eq "$N" ] && ok || fail "s10-size: $n of $N messages kept their lines beginning with a dot"

finish
