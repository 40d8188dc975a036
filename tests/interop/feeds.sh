# SPDX-License-Identifier: MIT
# feeds.sh: what `convene publish` writes, read by icalendar (Python) and ical.js (Thunderbird's
# parser), checked against the database; lint of our own output; byte-stable republishing; an
# edit changes exactly the feeds that hold the event and raises its SEQUENCE; revoked and rotated
# tokens take their private feed with them; a cancelled event stays as CANCELLED for 30 days, then
# goes. Ends with negative controls: the same checkers run on deliberately broken copies of the
# feeds and must fail, each for its own reason.
# shellcheck source=lib.sh
. "$CONVENE_SOURCE_ROOT/tests/interop/lib.sh"

AFRICA=africa-regional-meeting

# ---- the programme, the delegates, three private feeds ----------------------------------------
must "$C" init
must "$C" people import "$SRC/calendars/sample-delegates.csv"
# An event still to come, so that the office's feed carries its chain of milestones (VTODO).
must "$C" event add open-gov-week-2027 --title "Open Gov Week 2027: \"Open, Inclusive; Accountable\"" \
    --kind side-event --city Nairobi --country KE --tz Africa/Nairobi --status confirmed \
    --dates 2027-05-11..2027-05-12 --venue "KICC, Harambee Avenue" \
    --title-in "fr:Semaine du gouvernement ouvert 2027 : « ouvert, inclusif ; responsable »" \
    --title-in "es:Semana del Gobierno Abierto 2027: «abierto, inclusivo; responsable»" \
    --title-in "ar:أسبوع الحكومة المفتوحة 2027: «منفتحة، شاملة؛ خاضعة للمساءلة»"

tok_ke=$(token delegate-ke@example.org)
tok_jo=$(token delegate-jo@example.org)
tok_office=$(token cochair-office@example.org)
for t in "$tok_ke" "$tok_jo" "$tok_office"; do
    if printf '%s' "$t" | grep -qE '^[0-9a-f]{32}$'; then ok; else fail "token '$t' is not 128 bits of hex"; fi
done
h_ke=$(sha256 "$tok_ke")
h_jo=$(sha256 "$tok_jo")
h_office=$(sha256 "$tok_office")

run "$C" publish --out feeds
expect_rc 0 "publish"
expect_out "0 unchanged, 0 removed" "first publish writes everything"
for h in "$h_ke" "$h_jo" "$h_office"; do
    if [ -f "feeds/private/$h.ics" ]; then ok; else fail "no private feed named sha256(token) = $h"; fi
done
# The token is the credential: it is printed once and stored nowhere (only its hash).
for t in "$tok_ke" "$tok_jo" "$tok_office"; do
    if grep -rqaF "$t" feeds "$CONVENE_DB"*; then fail "the token $t is written in the feeds or the database"; else ok; fi
done
if grep -q 'BEGIN:VTODO' "feeds/private/$h_office.ics"; then ok; else fail "the office's feed has no VTODO milestones"; fi
if grep -q 'BEGIN:VTODO' "feeds/private/$h_ke.ics"; then fail "a delegate's feed has VTODO milestones"; else ok; fi
if grep -q 'SUMMARY:أسبوع' feeds/programme-ar.ics; then ok; else fail "programme-ar.ics lacks the Arabic title"; fi

# ---- both parsers against the database --------------------------------------------------------
icaljs feeds "$T/ij1.jsonl"
irc=$?
if [ "$irc" -eq 0 ]; then ok; else fail "check_icaljs.mjs: exit $irc: $(cat "$T/ij1.jsonl" "$T/icaljs.err" | grep -v '"type":"v\|"type":"calendar"')"; fi
check_feeds feeds "$T/ij1.jsonl"
expect_rc 0 "check_feeds.py after the first publish"
printf '%s\n' "$out"

# ---- lint: our own output has no finding --------------------------------------------------------
run "$C" lint --public feeds/*.ics
expect_rc 0 "lint --public on every public feed"
if [ -z "$out" ]; then ok; else fail "lint --public findings on public feeds: $out"; fi
run "$C" lint feeds/private/*.ics
expect_rc 0 "lint on every private feed"
if [ -z "$out" ]; then ok; else fail "lint findings on private feeds: $out"; fi
# Control: the linter does see an ATTENDEE when told the feed is public.
run "$C" lint --public "feeds/private/$h_ke.ics"
expect_rc 65 "lint --public on a private feed (control)"
expect_out "public-attendee" "lint --public on a private feed names the ATTENDEE"

# ---- republishing an unchanged programme changes nothing ---------------------------------------
"$PY" "$HERE/feedtool.py" snapshot feeds >"$T/snap1"
run "$C" publish --out feeds
expect_rc 0 "second publish"
expect_out ": 0 written," "an unchanged programme is not rewritten"
if printf '%s\n' "$out" | grep -q '^written'; then fail "second publish wrote: $out"; else ok; fi
"$PY" "$HERE/feedtool.py" snapshot feeds >"$T/snap2"
if cmp -s "$T/snap1" "$T/snap2"; then ok; else fail "republishing changed bytes or mtimes: $(diff "$T/snap1" "$T/snap2")"; fi

# ---- one edit changes exactly the feeds that hold the event ----------------------------------
uid=$("$C" event list --format csv | "$PY" "$HERE/feedtool.py" csv "$AFRICA" uid)
if printf '%s' "$uid" | grep -qE '^[0-9a-f-]{36}$'; then ok; else fail "no UID for $AFRICA in event list: '$uid'"; fi
# Who holds it: the brief's list, and what grep finds must agree.
want="$T/want"
{
    for l in "" -fr -es -ar; do
        echo "programme$l.ics"
        echo "region-africa-and-the-middle-east$l.ics"
        echo "event-$AFRICA$l.ics"
    done
    for h in "$h_ke" "$h_jo" "$h_office"; do echo "private/$h.ics"; done
} | sort >"$want"
(cd feeds && grep -rlF "UID:$uid" . | sed 's|^\./||' | sort) >"$T/holders"
if cmp -s "$want" "$T/holders"; then ok; else fail "the feeds holding $AFRICA are not the expected ones: $(diff "$want" "$T/holders")"; fi
{ cat "$want"; echo index.json; } | sort >"$T/want-changed"

# A later clock for the edit, so that LAST-MODIFIED must move too.
export CONVENE_NOW=2026-11-27T09:00:00Z
run "$C" event set "$AFRICA" --venue "KICC, Nairobi"
expect_rc 0 "event set --venue"
run "$C" publish --out feeds
expect_rc 0 "publish after the venue change"
pubout=$out
"$PY" "$HERE/feedtool.py" snapshot feeds >"$T/snap3"
# The pages beside the feeds (.html) change with the event too; these checks are about feeds.
"$PY" "$HERE/feedtool.py" changed "$T/snap2" "$T/snap3" | grep -v '\.html$' >"$T/changed"
if cmp -s "$T/want-changed" "$T/changed"; then ok; else
    fail "after the venue change the changed files are not exactly those holding the event: $(diff "$T/want-changed" "$T/changed")"
fi
"$PY" "$HERE/feedtool.py" touched "$T/snap2" "$T/snap3" >"$T/touched"
if [ -s "$T/touched" ]; then fail "files rewritten with the same bytes: $(cat "$T/touched")"; else ok; fi
printf '%s\n' "$pubout" | sed -n 's|^written  feeds/||p' | grep -v '\.html$' | sort >"$T/written"
if cmp -s "$T/want-changed" "$T/written"; then ok; else fail "publish lists as written: $(diff "$T/want-changed" "$T/written")"; fi
n=$(($(wc -l <"$want")))
expect_out ": $n written, $((43 - n)) unchanged, 0 removed" "publish counts the $n feeds written"
if grep -q 'LOCATION:KICC\\, Nairobi\\, Kenya' "feeds/event-$AFRICA.ics"; then ok; else fail "event-$AFRICA.ics lacks the new LOCATION"; fi

seq_db=$("$C" event list --format csv | "$PY" "$HERE/feedtool.py" csv "$AFRICA" sequence)
if [ "$seq_db" = 1 ]; then ok; else fail "the DB's SEQUENCE of $AFRICA is '$seq_db', expected 1"; fi
icaljs feeds "$T/ij2.jsonl"
if [ "$NODE_OK" -eq 1 ]; then
    before=$("$PY" "$HERE/feedtool.py" field "$T/ij1.jsonl" "$uid" sequence | sort -u | tr '\n' ' ')
    after=$("$PY" "$HERE/feedtool.py" field "$T/ij2.jsonl" "$uid" sequence | sort -u | tr '\n' ' ')
    count=$("$PY" "$HERE/feedtool.py" field "$T/ij2.jsonl" "$uid" sequence | wc -l)
    if [ "$before" = "0 " ] && [ "$after" = "1 " ] && [ "$count" -eq 15 ]; then ok; else
        fail "SEQUENCE of $AFRICA as ical.js reads it: before '$before', after '$after' in $count VEVENTs (expected 0 -> 1 in 15)"
    fi
    lm=$("$PY" "$HERE/feedtool.py" field "$T/ij2.jsonl" "$uid" last_modified | sort -u)
    st=$("$PY" "$HERE/feedtool.py" field "$T/ij2.jsonl" "$uid" dtstamp | sort -u)
    if [ "$lm" = '"2026-11-27T09:00:00Z"' ] && [ "$st" = '"2026-11-27T09:00:00Z"' ]; then ok; else
        fail "LAST-MODIFIED/DTSTAMP of $AFRICA after the edit: $lm / $st, expected the edit's time 2026-11-27T09:00:00Z"
    fi
fi
check_feeds feeds "$T/ij2.jsonl"
expect_rc 0 "check_feeds.py after the venue change"
printf '%s\n' "$out"

# ---- revoking a token removes the feed; rotating one moves it ---------------------------------
run "$C" people revoke-token delegate-jo@example.org
expect_rc 0 "people revoke-token"
run "$C" publish --out feeds
expect_rc 0 "publish after revoking"
expect_out "removed  feeds/private/$h_jo.ics" "publish names the removed private feed"
if [ -e "feeds/private/$h_jo.ics" ]; then fail "the revoked private feed is still there"; else ok; fi
if grep -qF "$h_jo" feeds/index.json; then fail "index.json still lists the revoked feed"; else ok; fi
"$PY" "$HERE/feedtool.py" snapshot feeds >"$T/snap4"
"$PY" "$HERE/feedtool.py" changed "$T/snap3" "$T/snap4" | grep -v '\.html$' >"$T/changed"
# index.json lists public feeds only, so revoking a private feed leaves it alone.
printf '%s\n' "private/$h_jo.ics" | sort >"$T/want-changed"
if cmp -s "$T/want-changed" "$T/changed"; then ok; else fail "revoking changed other files: $(diff "$T/want-changed" "$T/changed")"; fi

tok_ke2=$(token delegate-ke@example.org)
h_ke2=$(sha256 "$tok_ke2")
if [ "$h_ke2" != "$h_ke" ]; then ok; else fail "a new token has the old token's hash"; fi
run "$C" publish --out feeds
expect_rc 0 "publish after rotating a token"
if [ -e "feeds/private/$h_ke.ics" ]; then fail "the old token's private feed is still there after rotation"; else ok; fi
if [ -f "feeds/private/$h_ke2.ics" ]; then ok; else fail "no private feed for the new token"; fi
if cmp -s "$T/feeds/private/$h_ke2.ics" /dev/null; then fail "the rotated feed is empty"; else ok; fi

icaljs feeds "$T/ij3.jsonl"
check_feeds feeds "$T/ij3.jsonl"
expect_rc 0 "check_feeds.py after revoking and rotating"
printf '%s\n' "$out"

# ---- a cancelled event stays as CANCELLED for 30 days (--cancelled-days), then goes ------------
ogw=$("$C" event list --format csv | "$PY" "$HERE/feedtool.py" csv open-gov-week-2027 uid)
run "$C" event cancel open-gov-week-2027
expect_rc 0 "event cancel"
run "$C" publish --out feeds
expect_rc 0 "publish after cancelling"
if grep -q "UID:$ogw" feeds/programme.ics; then ok; else fail "a just-cancelled event left programme.ics at once"; fi
if grep -q "UID:$ogw-" "feeds/private/$h_office.ics"; then fail "the office still has milestones of a cancelled event"; else ok; fi
icaljs feeds "$T/ij4.jsonl"
if [ "$NODE_OK" -eq 1 ]; then
    st=$("$PY" "$HERE/feedtool.py" field "$T/ij4.jsonl" "$ogw" status | sort -u)
    sq=$("$PY" "$HERE/feedtool.py" field "$T/ij4.jsonl" "$ogw" sequence | sort -u)
    if [ "$st" = '"CANCELLED"' ] && [ "$sq" = 1 ]; then ok; else fail "a cancelled event reads as STATUS $st, SEQUENCE $sq (expected CANCELLED, 1)"; fi
fi
check_feeds feeds "$T/ij4.jsonl"
expect_rc 0 "check_feeds.py after cancelling"
printf '%s\n' "$out"
export CONVENE_NOW=2026-12-28T10:00:00Z
run "$C" publish --out feeds
expect_rc 0 "publish 31 days after cancelling"
if grep -rq "UID:$ogw" feeds; then fail "a cancelled event is still published 31 days later"; else ok; fi
icaljs feeds "$T/ij5.jsonl"
check_feeds feeds "$T/ij5.jsonl"
expect_rc 0 "check_feeds.py 31 days after cancelling"
printf '%s\n' "$out"

# ---- negative controls: every checker must be able to fail -------------------------------------
# control NAME EXPECTED-FAIL-TEXT FILE OLD NEW: copy the feeds, break FILE, expect that failure.
control() {
    _name=$1
    _expect=$2
    _file=$3
    rm -rf "$T/bad"
    cp -R feeds "$T/bad"
    if [ "$_file" = stray ]; then
        cp "$T/bad/programme.ics" "$T/bad/stray-feed.ics"
    elif ! "$PY" "$HERE/feedtool.py" replace "$T/bad/$_file" "$4" "$5"; then
        fail "control $_name: could not break $_file"
        return
    fi
    if [ "${6:-}" = node ]; then
        # A check that needs what ical.js read.
        [ "$NODE_OK" -eq 1 ] || return 0
        icaljs "$T/bad" "$T/bad.jsonl"
        check_feeds "$T/bad" "$T/bad.jsonl"
    else
        check_feeds "$T/bad"
    fi
    if [ "$rc" -eq 1 ] && printf '%s\n' "$out" | grep -qF -- "$_expect"; then ok; else
        fail "control $_name: check_feeds.py did not fail with '$_expect' (exit $rc): $out"
    fi
}
pub_fr=programme-fr.ics
control public-attendee "a public feed contains 'attendee'" programme.ics \
    'CLASS:PUBLIC\r\n' 'CLASS:PUBLIC\r\nATTENDEE:mailto:delegate-ke@example.org\r\n'
control folded-address "a public feed contains 'delegate-gh@example.org'" region-americas.ics \
    'CLASS:PUBLIC\r\n' 'CLASS:PUBLIC\r\nCOMMENT:write to delegate-gh@exam\r\n ple.org\r\n'
control token-hash "a public feed contains '$h_office'" region-americas.ics \
    'CLASS:PUBLIC\r\n' "CLASS:PUBLIC\\r\\nCOMMENT:$h_office\\r\\n"
control session-instant "the DB says 2025-03-25T14:00:00Z" "event-$AFRICA.ics" \
    'DTSTART;TZID=Africa/Nairobi:20250325T170000' 'DTSTART;TZID=Africa/Nairobi:20250325T180000'
control exclusive-end "is not end_date + 1" "$pub_fr" \
    'DTEND;VALUE=DATE:20250328' 'DTEND;VALUE=DATE:20250327'
control timed-event "an event must be all-day" "$pub_fr" \
    'DTSTART;VALUE=DATE:20250325' 'DTSTART:20250325T000000Z'
control missing-vtimezone "has no VTIMEZONE" "event-$AFRICA-es.ics" \
    'TZID:Africa/Nairobi\r\n' 'TZID:Africa/Nairobx\r\n'
control class "without CLASS:PUBLIC" region-americas-es.ics 'CLASS:PUBLIC' 'CLASS:CONFIDENTIAL'
control dtstamp "is not the revision" region-americas-fr.ics 'DTSTAMP:2026' 'DTSTAMP:2027'
control components "index.json says" index.json '"components": ' '"components": 1'
control etag "etag is not the quoted sha256" index.json '"etag": "\"' '"etag": "\"0'
control unknown-uid "neither an event nor a session" region-asia-and-the-pacific.ics \
    'UID:' 'UID:0'
control stray-file "public files on disk and in the index differ" stray
control second-attendee "expected one ATTENDEE address" "private/$h_ke2.ics" \
    'ATTENDEE;' 'ATTENDEE;CN=X:mailto:delegate-gh@example.org\r\nATTENDEE;'
control audience "events differ from the audience rules" "private/$h_ke2.ics" \
    'UID:7d2a' 'UID:66ba'
control arabic-title "is not the ar title" programme-ar.ics 'SUMMARY:' 'SUMMARY:x' node
control attendee-cn "ATTENDEE CN" "private/$h_ke2.ics" 'CN=Sample Delegate (Kenya)' 'CN=Sample Delegate (Kenia)' node
control icaljs-vs-python "ical.js reads" "event-$AFRICA-fr.ics" \
    'BEGIN:STANDARD\r\nTZNAME:EAT\r\nTZOFFSETFROM:+0300\r\nTZOFFSETTO:+0300' \
    'BEGIN:STANDARD\r\nTZNAME:EAT\r\nTZOFFSETFROM:+0400\r\nTZOFFSETTO:+0400' node
rm -rf "$T/bad"

finish
