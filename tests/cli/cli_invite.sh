#!/bin/sh
# SPDX-License-Identifier: MIT
# cli_invite.sh: `convene invite` and `convene outbox` on the command line: the ledger and its
# dry run, idempotence, updates and cancellations, the folder transport, list/show/retry, and
# bad input (one line naming the file and line, a sysexits code, the database unchanged).
# shellcheck source=lib.sh
. "$CONVENE_SOURCE_ROOT/tests/cli/lib.sh"

run "$C" init
run "$C" people import "$SRC/calendars/sample-delegates.csv"

# Bad input: nothing changes.
before=$(db_hash)
run "$C" invite no-such-event
expect_rc 65 "an unknown event"
expect_one_line "an unknown event: one line"
expect_err "no event 'no-such-event'" "names the key"
run "$C" invite middle-east-regional-meeting
expect_rc 65 "an event without dates"
expect_err "has no dates yet" "says why"
run "$C" invite africa-regional-meeting --to planet:mars
expect_rc 65 "a bad filter"
expect_one_line "a bad filter: one line"
run "$C" invite africa-regional-meeting --base-url 'ftp://x'
expect_rc 64 "a bad base URL"
run "$C" invite
expect_rc 64 "no event"
mkdir -p "$T/tpl"
run "$C" invite africa-regional-meeting --templates "$T/tpl"
expect_rc 66 "a templates folder without the files"
expect_one_line "missing template: one line"
expect_err "$T/tpl/en/invitation.txt" "names the missing file"
for l in en fr es ar; do
    mkdir -p "$T/tpl/$l"
    for k in invitation update cancellation; do
        printf 'Subject: %s {{title}}\n\nHello {{name}}, {{dates}}.\n' "$k" >"$T/tpl/$l/$k.txt"
        printf '<p dir="auto">{{name}}: {{title}}</p>\n' >"$T/tpl/$l/$k.html"
    done
done
printf '<p>\n{{#venue}}{{venue}}\n{{nmae}}</p>\n' >"$T/tpl/fr/update.html"
run "$C" invite africa-regional-meeting --templates "$T/tpl"
expect_rc 65 "an unknown placeholder"
expect_one_line "an unknown placeholder: one line"
expect_err "$T/tpl/fr/update.html:3: unknown placeholder '{{nmae}}" "names file, line and placeholder"
printf '<p>{{#venue}}{{venue}}</p>\n' >"$T/tpl/fr/update.html"
run "$C" invite africa-regional-meeting --templates "$T/tpl"
expect_rc 65 "an unclosed block"
expect_err "$T/tpl/fr/update.html:1: {{#venue}} is never closed" "names the block"
run "$C" invite africa-regional-meeting --dry-run
expect_rc 0 "dry run"
expect_out "delegate-ke@example.org" "the ledger lists a delegate"
expect_out "invitation  0" "a first invitation at SEQUENCE 0"
expect_out "17 invitations, 0 updates, 0 cancellations, 0 up to date: dry run, nothing queued" "the dry run's summary"
[ "$(db_hash)" = "$before" ] && ok || fail "bad input or a dry run changed the database"

# Queue with the user's templates; again: nothing new.
printf '<p>{{#venue}}{{venue}}{{/venue}}</p>\n' >"$T/tpl/fr/update.html"
run "$C" invite africa-regional-meeting --templates "$T/tpl" --sent-by staff@example.org
expect_rc 0 "invite"
expect_out "queued 17 invitations, 0 updates, 0 cancellations; 0 up to date" "17 queued"
expect_out "17 private feed addresses minted" "tokens minted for the subscribe links"
case "$out" in
*private/*) fail "a private feed address was printed" ;;
*) ok ;;
esac
[ -z "$err" ] && ok || fail "invite wrote to stderr: $err"
run "$C" invite africa-regional-meeting
expect_out "queued 0 invitations, 0 updates, 0 cancellations; 17 up to date" "nothing twice"

# An update names what changed; SEQUENCE n -> n+1.
run "$C" event set africa-regional-meeting --venue "Kenyatta International Convention Centre"
run "$C" invite africa-regional-meeting --dry-run --to country:KE
expect_out "update" "a change of venue is an update"
expect_out "0 -> 1" "SEQUENCE 0 -> 1"
expect_out "venue" "names the venue"
run "$C" invite africa-regional-meeting --to country:KE
expect_out "queued 0 invitations, 2 updates" "updates for Kenya only"

# The outbox and the folder transport.
run "$C" outbox list
expect_out "queued" "listed as queued"
expect_out "delegate-ke@example.org" "lists recipients"
run "$C" outbox show 1
expect_out "Message-ID:" "show prints the headers"
expect_out "staff@example.org" "From is the SENT-BY address"
case "$out" in
*private/*) fail "show printed a private feed address" ;;
*) ok ;;
esac
run "$C" outbox show 999
expect_rc 65 "an unknown message"
expect_one_line "an unknown message: one line"
run "$C" outbox send --dir "$T/mail"
expect_rc 0 "send to a folder"
expect_out "sent 19, deferred 0, failed 0" "every message written"
[ -z "$err" ] && ok || fail "no progress bar without a terminal: $err"
n=$(ls "$T/mail" | wc -l)
[ "$n" -eq 19 ] && ok || fail "$n files in the folder"
f=$(ls "$T/mail"/*.eml | head -n 1)
# MESSAGE-ID.eml: the ID without its brackets, '@' written '_'.
mid="<$(basename "$f" .eml | sed 's/_example\.org$/@example.org/')>"
id=$(sqlite3 "$CONVENE_DB" "SELECT id FROM outbox WHERE message_id = '$mid'")
"$C" outbox show --raw "$id" >"$T/raw.eml"
expect_same "$f" "$T/raw.eml" "show --raw gives the bytes written"
grep -q 'Hello ' "$f" && ok || fail "the user's template was used"
run "$C" outbox send --dir "$T/mail"
expect_out "sent 0, deferred 0, failed 0" "nothing is sent twice"
run "$C" outbox retry 1
expect_rc 65 "retry of a sent message"
expect_err "is sent, not deferred or failed" "says why"
run "$C" outbox retry
expect_out "0 messages queued again" "nothing to retry"

# Cancelled: CANCEL to everyone invited.
run "$C" event cancel africa-regional-meeting
run "$C" invite africa-regional-meeting
expect_out "queued 0 invitations, 0 updates, 17 cancellations" "a cancellation for each"
run "$C" invite africa-regional-meeting
expect_out "0 cancellations; 0 up to date" "cancelled once"

# Transport settings.
run "$C" outbox send --smtp "smtp://office:pw@127.0.0.1:1"
expect_rc 65 "a password in the URL"
expect_one_line "a password in the URL: one line"
run "$C" outbox send --smtp "http://127.0.0.1:1"
expect_rc 65 "not an SMTP URL"
run "$C" outbox send --smtp "smtp+plain://127.0.0.1:1"
expect_rc 75 "no server: try later"
expect_err "the server is unavailable" "says so"
n=$(sqlite3 "$CONVENE_DB" "SELECT count(*) FROM outbox WHERE state = 'queued' AND attempts = 0")
[ "$n" -eq 17 ] && ok || fail "an unreachable server marked messages ($n of 17 untouched)"
run "$C" outbox send --profile nope
expect_rc 64 "an unknown profile"
printf 'secret\n' >"$T/pw"
chmod 644 "$T/pw"
CONVENE_SMTP_PASSWORD_FILE="$T/pw" run "$C" outbox send --smtp "smtp://office@127.0.0.1:1"
expect_rc 65 "a password file others can read"

# A daily limit counts the attempts of the last 24 hours in the outbox, across runs: 19 were
# made today, so a limit of 25 lets 6 more go; then nothing until the next day.
run "$C" outbox send --dir "$T/mail" --per-day 25
expect_rc 75 "the daily limit stops the run"
expect_out "sent 6, deferred 0, failed 0" "6 sent under the limit"
expect_err "limit of 25 messages a day is reached" "says why"
run "$C" outbox send --dir "$T/mail" --per-day 25
expect_rc 75 "still at the limit"
expect_out "sent 0," "nothing more today"
CONVENE_NOW=2024-01-16T09:00:01Z run "$C" outbox send --dir "$T/mail" --per-day 25
expect_rc 0 "the next day"
expect_out "sent 11, deferred 0, failed 0 (0 gave up), no reply after the final dot 0; 0 notices to the organizer; 0 left" "the rest the next day"
finish
