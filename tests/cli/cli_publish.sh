#!/bin/sh
# SPDX-License-Identifier: MIT
# cli_publish.sh: convene publish writes only what changed, atomically, inside its folder and
# never through a link; convene lint names each broken rule with its line.
. "$(dirname "$0")/lib.sh"
PY3=/usr/bin/python3

run "$C" init
run "$C" people import "$SRC/calendars/sample-delegates.csv"
run "$C" people token delegate-ke@example.org
expect_rc 0 "people token"
expect_out "private feed of delegate-ke@example.org (shown once; keep it secret):" "token shown once"
token=$(printf '%s\n' "$out" | sed -n 's|^  http://127.0.0.1:8080/private/\([0-9a-f]*\)\.ics$|\1|p')
[ ${#token} -eq 32 ] && ok || fail "a 128-bit token is 32 hex digits: '$token'"
hash=$(printf '%s' "$token" | sha256sum | cut -d' ' -f1)
[ "$(sqlite3 "$CONVENE_DB" "SELECT token_hash FROM person WHERE email = 'delegate-ke@example.org'")" = "$hash" ] &&
    ok || fail "only the token's SHA-256 is stored"
sqlite3 "$CONVENE_DB" .dump | grep -q "$token" && fail "the token itself is in the database" || ok

run "$C" publish --out "$T/feeds"
expect_rc 0 "publish"
expect_out "written  $T/feeds/programme.ics" "the programme feed is written"
expect_out "written  $T/feeds/private/$hash.ics" "the private feed is named by the token's hash"
expect_out "written  $T/feeds/index.json" "index.json is written"
expect_out "37 feeds (36 public, 1 private)" "public and private feeds counted"
[ -z "$(find "$T/feeds" -name '.*.tmp')" ] && ok || fail "no temporary file is left"
grep -q "\"path\": \"programme.ics\", \"kind\": \"programme\", \"lang\": \"en\", \"etag\": \"\\\\\"$(sha256sum <"$T/feeds/programme.ics" | cut -d' ' -f1)\\\\\"\"" "$T/feeds/index.json" &&
    ok || fail "index.json lists the programme with the SHA-256 of its bytes as ETag"
grep -q "delegate-ke" "$T/feeds/index.json" && fail "index.json names a person" || ok

# Publishing again rewrites nothing: same bytes, same inodes and times.
ls -li --time-style=full-iso "$T/feeds" "$T/feeds/private" >"$T/before.ls"
run "$C" publish --out "$T/feeds"
expect_out "37 feeds (36 public, 1 private): 0 written, 37 unchanged, 0 removed" "a second publish writes nothing"
ls -li --time-style=full-iso "$T/feeds" "$T/feeds/private" >"$T/after.ls"
expect_same "$T/before.ls" "$T/after.ls" "no file was touched"

# One change: only the feeds that contain the event change, and its SEQUENCE rises.
cp -r "$T/feeds" "$T/feeds.before"
run "$C" event set americas-regional-meeting --venue "Instituto Serzedello Correa (TCU)"
expect_out "SEQUENCE 0 -> 1" "a venue change raises SEQUENCE"
run "$C" publish --out "$T/feeds"
for f in programme.ics programme-fr.ics region-americas.ics event-americas-regional-meeting-ar.ics; do
    expect_out "written  $T/feeds/$f" "$f changes"
done
for f in region-africa-and-the-middle-east.ics event-africa-regional-meeting.ics "private/$hash.ics"; do
    expect_same "$T/feeds.before/$f" "$T/feeds/$f" "$f does not change"
done
grep -A12 "^UID:$(sqlite3 "$CONVENE_DB" "SELECT uid FROM event WHERE key = 'americas-regional-meeting'")" \
    "$T/feeds/programme.ics" | grep -q '^SEQUENCE:1' && ok || fail "the feed carries SEQUENCE:1"

# Revoking the token removes the private feed at the next publish.
run "$C" people revoke-token delegate-ke@example.org
expect_out "private feed revoked" "revoke-token"
run "$C" publish --out "$T/feeds"
expect_out "removed  $T/feeds/private/$hash.ics" "the revoked feed is removed"
[ ! -e "$T/feeds/private/$hash.ics" ] && ok || fail "the revoked feed is gone"
run "$C" people revoke-token nobody@example.org
expect_rc 65 "revoke-token of an unknown person"

# A link planted in the folder is replaced, never followed (RELIABILITY.md I5).
printf 'precious\n' >"$T/precious.txt"
rm "$T/feeds/programme.ics"
ln -s "$T/precious.txt" "$T/feeds/programme.ics"
run "$C" publish --out "$T/feeds"
expect_rc 0 "publish over a planted link"
[ "$(cat "$T/precious.txt")" = "precious" ] && ok || fail "the link's target was written"
[ ! -L "$T/feeds/programme.ics" ] && ok || fail "the link is still there"
mv "$T/feeds/private" "$T/private.real"
ln -s "$T/private.real" "$T/feeds/private"
run "$C" publish --out "$T/feeds"
expect_rc 74 "a private/ that is a link is refused"
expect_one_line "private/ is a link"
rm "$T/feeds/private"
mv "$T/private.real" "$T/feeds/private"

# Files are named by keys and hashes only: nothing outside the folder.
find "$T" -name '*.ics' ! -path "$T/feeds/*" ! -path "$T/feeds.before/*" >"$T/outside"
[ ! -s "$T/outside" ] && ok || fail "feeds written outside the folder: $(cat "$T/outside")"

# lint: our own output is clean; a broken file gets every violation with its line.
run "$C" lint --public "$T"/feeds/*.ics
expect_rc 0 "lint finds nothing in the public feeds"
printf 'BEGIN:VCALENDAR\nVERSION:2.0\r\nPRODID:x\r\nX-LIC-LOCATION:x\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTART;TZID=/freeassociation.sourceforge.net/Europe/Paris:20240101T100000\r\nDTEND:20240101T110000\r\nATTENDEE:mailto:a@example.org\r\nSUMMARY:xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' >"$T/bad.ics"
run "$C" lint --public "$T/bad.ics"
expect_rc 65 "lint of a broken file"
for want in "bad.ics:1: crlf:" "bad.ics:4: x-lic:" "bad.ics:7: tzid-prefix:" "bad.ics:8: floating:" \
    "bad.ics:9: public-attendee:" "bad.ics:10: line-length:" "bad.ics:5: required: a VEVENT without DTSTAMP" \
    "bad.ics:7: vtimezone-missing:" "bad.ics: calname:" "bad.ics: refresh:"; do
    expect_out "$want" "lint reports $want"
done
run "$C" lint "$T/nope.ics"
expect_rc 66 "lint of a missing file"

# The programme's names per language, set by init from a copy of the calendars: a new Arabic
# name (none is shipped), the French one changed; the feeds and pages in each language take them.
cp -r "$SRC/calendars" "$T/cal"
"$PY3" - "$T/cal/ogp-programme.ics" <<'PYEOF'
import sys
p = sys.argv[1]
s = open(p, 'rb').read().decode()
i = s.index('X-CONVENE-NAME;LANGUAGE=fr:')
j = s.index('X-CONVENE-NAME;LANGUAGE=es:')
s = s[:i] + 'X-CONVENE-NAME;LANGUAGE=fr:Programme d\'essai\r\nX-CONVENE-NAME;LANGUAGE=ar:برنامج تجريبي\r\n' + s[j:]
open(p, 'wb').write(s.encode())
PYEOF
run "$C" init --calendars "$T/cal"
expect_rc 0 "init with edited names"
expect_out "programme: updated" "the names are programme data"
run "$C" publish --out "$T/named"
expect_rc 0 "publish with the names"
grep -q '<h1>Programme d&#39;essai</h1>' "$T/named/index-fr.html" && ok || fail "the French index has the new French name"
grep -q '<h1>برنامج تجريبي</h1>' "$T/named/index-ar.html" && ok || fail "the Arabic index has the Arabic name, unmarked"
tr -d '\r' <"$T/named/programme-ar.ics" | grep -q '^NAME:برنامج تجريبي$' && ok || fail "the Arabic programme feed is named in Arabic"
grep -q "^NAME:Programme d'essai: Amériques" "$T/named/region-americas-fr.ics" && ok ||
    fail "the French region feed: the programme's and the region's French names"
grep -q '^NAME:Programa de los copresidentes de la Alianza para el Gobierno Abierto' "$T/named/programme-es.ics" &&
    ok || fail "the Spanish name is still the shipped one"
grep -q "^NAME:OGP co-chairs' programme 2023-2024 (Government of Kenya and Blair G" "$T/named/programme.ics" &&
    ok || fail "the English feed keeps the English name"
run "$C" init
expect_out "programme: updated" "a plain init goes back to the shipped names"

finish
