# SPDX-License-Identifier: MIT
# injection.sh: RELIABILITY I2. Control characters and unsafe URLs are refused with exit 65 and
# leave the database as it was; iCalendar's special characters (; , \ " : and the text
# END:VEVENT) in titles, venues and notes, and ^ " , in a person's name (an ATTENDEE CN, RFC
# 6868), come back byte for byte through ical.js, with no extra component or property.
# shellcheck source=lib.sh
. "$CONVENE_SOURCE_ROOT/tests/interop/lib.sh"

ft() {
    "$PY" "$HERE/feedtool.py" "$@"
}

must "$C" init
must "$C" people import "$SRC/calendars/sample-delegates.csv"
# evadd KEY OPTIONS...: event add with a place, a zone and dates (so that it is published).
# shellcheck disable=SC2317 # called through run and must
evadd() {
    "$C" event add "$@" --city Nairobi --country KE --tz Africa/Nairobi --kind side-event \
        --status confirmed --dates 2027-01-10..2027-01-11
}

# refused WHAT CMD...: CMD must exit 65 and leave the database's content unchanged.
refused() {
    _what=$1
    shift
    _before=$(ft dbsum "$CONVENE_DB")
    run "$@"
    expect_rc 65 "$_what"
    if [ "$rc" -ne 65 ]; then
        :
    elif [ -n "$err" ] && [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ]; then ok; else
        fail "$_what: expected one line on stderr: $err"
    fi
    if [ "$(ft dbsum "$CONVENE_DB")" = "$_before" ]; then ok; else fail "$_what: the database changed"; fi
}

# ---- control characters are refused --------------------------------------------------------------
crlf_vevent=$(printf 'Evil\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:injected')
lf_attendee=$(printf 'Evil\nATTENDEE:mailto:x@example.org')
cr_only=$(printf 'Evil\rDESCRIPTION:x')
esc=$(printf 'Evil\033[31mred')
del=$(printf 'Evil\177')
not_utf8=$(printf 'Evil \377\376')
refused "event add --title with CR LF and END:VEVENT" evadd evil-crlf --title "$crlf_vevent"
refused "event add --title with LF" evadd evil-lf --title "$lf_attendee"
refused "event add --title with a lone CR" evadd evil-cr --title "$cr_only"
refused "event add --title with ESC" evadd evil-esc --title "$esc"
refused "event add --title with DEL" evadd evil-del --title "$del"
refused "event add --title that is not UTF-8" evadd evil-utf8 --title "$not_utf8"
refused "event set --title with CR LF" "$C" event set africa-regional-meeting --title "$crlf_vevent"
refused "event set --title-in ar: with CR LF" "$C" event set africa-regional-meeting --title-in "ar:$crlf_vevent"
refused "event set --venue with CR LF" "$C" event set africa-regional-meeting --venue "$crlf_vevent"
refused "event set --city with LF" "$C" event set africa-regional-meeting --city "$lf_attendee"
refused "event set --description with CR" "$C" event set africa-regional-meeting --description "$crlf_vevent"

# ---- unsafe URLs are refused (libical copies URI values verbatim) --------------------------------
url0=$("$C" event list --format csv | ft csv africa-regional-meeting source_url)
url_crlf=$(printf 'https://example.org/\r\nATTENDEE:mailto:x@example.org')
url_lf=$(printf 'https://example.org/\nX: y')
url_tab=$(printf 'https://example.org/a\tb')
url_ls=$(printf 'https://example.org/a\342\200\250b')
for u in "$url_crlf" "$url_lf" "https://example.org/a b" "javascript:alert(1)" "JavaScript:alert(1)" \
    "data:text/html,x" "file:///etc/passwd" "https://example.org/a\"b" "$url_tab" "http://" \
    "$url_ls" "https://example.org/<script>"; do
    shown=$(printf '%s' "$u" | od -An -c | tr -s ' \n' ' ')
    refused "event set --url [$shown]" "$C" event set africa-regional-meeting --url "$u"
    if [ "$rc" -eq 0 ]; then
        # Accepted: then it must at least publish (one stored value must not block every feed).
        run "$C" publish --out "$T/url-feeds"
        expect_rc 0 "publish after event set --url [$shown] was accepted"
    fi
done
# Put the source back, whatever was wrongly accepted, so that what follows can publish.
must "$C" event set africa-regional-meeting --url "$url0"

# ---- people: a newline or CR LF in a name or an address is refused -------------------------------
printf 'name,email,language,country\r\n"Two\r\nLines",two@example.org,en,KE\r\n' >"$T/nl-name.csv"
refused "people import: a name with CR LF" "$C" people import "$T/nl-name.csv"
printf 'name,email,language,country\n"Bad Address","bad@example.org\r\nATTENDEE:mailto:x@example.org",en,KE\n' >"$T/nl-email.csv"
refused "people import: an address with CR LF" "$C" people import "$T/nl-email.csv"

# ---- special characters round-trip -----------------------------------------------------------------
# ; , \ " : END:VEVENT, a literal backslash-n (which must not become a line break), a trailing \.
# shellcheck disable=SC1003 # the backslash before the closing quote is meant
evil='Evil; "quoted", back\slash: END:VEVENT \n \N \; \, BEGIN:VEVENT :trailing\'
evil_ar=$(printf '\330\271\330\261\330\250\331\212\342\200\250 %s' "$evil") # Arabic, U+2028, then $evil
notes=$(printf '%s\nsecond line END:VCALENDAR' "$evil")
must evadd evil-text --title "$evil" --venue "$evil" --description "$notes" \
    --title-in "fr:Fr $evil" --title-in "es:Es $evil" --title-in "ar:$evil_ar"
# Its twin with plain text: the same options, so the same shape.
must evadd plain-text --title "Plain" --venue "Plain venue" --description "$(printf 'Plain\nnotes')" \
    --title-in "fr:Fr plain" --title-in "es:Es plain" --title-in "ar:Ar plain"
evil_uid=$("$C" event list --format csv | ft csv evil-text uid)

# A name with ^ (and ^n, ^', which RFC 6868 would decode), " and , and ; and :.
name='Ana ^n Caret ^'"'"' "Q", Jr.; x:y ^'
csvname=$(printf '%s' "$name" | sed 's/"/""/g')
printf 'name,email,language,country,delegation,role\r\n"%s",caret@example.org,en,KE,government,delegate\r\n' "$csvname" >"$T/caret.csv"
must "$C" people import "$T/caret.csv"
got=$("$C" people list --format csv | ft csv caret@example.org name)
if [ "$got" = "$name" ]; then ok; else fail "people import stored the name as '$got', not '$name'"; fi
tok=$(token caret@example.org)
h=$(sha256 "$tok")

run "$C" publish --out feeds
expect_rc 0 "publish with special characters"
run "$C" lint --public feeds/*.ics
expect_rc 0 "lint --public with special characters"
run "$C" lint feeds/private/*.ics
expect_rc 0 "lint on private feeds with special characters"
if [ -f "feeds/private/$h.ics" ]; then ok; else fail "no private feed for caret@example.org"; fi

# icalendar (Python): the same shape as the plain twin, no errors; one VEVENT with the UID.
for l in "" -fr -es -ar; do
    ft shape "feeds/event-evil-text$l.ics" >"$T/shape-evil" 2>&1
    ft shape "feeds/event-plain-text$l.ics" >"$T/shape-plain" 2>&1
    if cmp -s "$T/shape-evil" "$T/shape-plain" && ! grep -q errors "$T/shape-evil"; then ok; else
        fail "icalendar: event-evil-text$l.ics is not shaped like its plain twin: $(diff "$T/shape-plain" "$T/shape-evil")"
    fi
    n=$(grep -c "^UID:$evil_uid" "feeds/event-evil-text$l.ics")
    if [ "$n" -eq 1 ]; then ok; else fail "event-evil-text$l.ics: $n VEVENTs with the UID, expected 1"; fi
done
for f in feeds/*.ics feeds/private/*.ics; do
    n=$(grep -c '^BEGIN:VEVENT' "$f")
    m=$(grep -c '^END:VEVENT' "$f")
    u=$(grep -c '^UID:' "$f")
    v=$(grep -c '^BEGIN:VTODO' "$f")
    if [ "$n" -eq "$m" ] && [ "$((n + v))" -eq "$u" ]; then ok; else
        fail "$f: $n BEGIN:VEVENT, $m END:VEVENT, $v VTODO and $u UID lines: a component was injected"
    fi
done
n=$(grep -c "^UID:$evil_uid" feeds/programme.ics)
if [ "$n" -eq 1 ]; then ok; else fail "programme.ics: $n VEVENTs with the UID of evil-text, expected 1"; fi

# The calendar's NAME (RFC 7986, TEXT) of the event's own feed is its title: escaped as TEXT.
for p in NAME X-WR-CALNAME; do
    raw=$(ft rawprop feeds/event-evil-text.ics "$p")
    want=$(ft textesc "$evil")
    if [ "$raw" = "$want" ]; then ok; else
        fail "event-evil-text.ics: $p is written '$raw', not the title escaped as TEXT (RFC 5545 3.3.11) '$want'"
    fi
done

# ical.js: the text byte for byte, and the same shape as the twin.
if [ "$NODE_OK" -eq 1 ]; then
    icaljs feeds "$T/ij.jsonl"
    irc=$?
    if [ "$irc" -eq 0 ]; then ok; else fail "check_icaljs.mjs: exit $irc: $(grep '"type":"error"' "$T/ij.jsonl")"; fi
    for pair in ":$evil" "-fr:Fr $evil" "-es:Es $evil" "-ar:$evil_ar"; do
        l=${pair%%:*}
        want=$(ft json "${pair#*:}")
        got=$(grep -F "\"file\":\"event-evil-text$l.ics\"" "$T/ij.jsonl" | ft field /dev/stdin "$evil_uid" summary)
        if [ "$got" = "$want" ]; then ok; else fail "ical.js reads SUMMARY of event-evil-text$l.ics as $got, not $want"; fi
        for f in location description; do
            got=$(grep -F "\"file\":\"event-evil-text$l.ics\"" "$T/ij.jsonl" | ft field /dev/stdin "$evil_uid" "$f")
            case $f in location) src=$evil ;; description) src=$notes ;; esac
            pre=$(ft json "$src" | sed 's/"$//')
            case $got in "$pre"*) ok ;; *) fail "ical.js reads ${f} of event-evil-text$l.ics as $got, which does not start with $pre\"" ;; esac
        done
        # Same numbers of properties in the calendar and the VEVENT, same components.
        ft icshape "$T/ij.jsonl" "event-evil-text$l.ics" >"$T/ishape-evil"
        ft icshape "$T/ij.jsonl" "event-plain-text$l.ics" >"$T/ishape-plain"
        if [ -s "$T/ishape-evil" ] && cmp -s "$T/ishape-evil" "$T/ishape-plain"; then ok; else
            fail "ical.js: event-evil-text$l.ics is not shaped like its plain twin: $(diff "$T/ishape-plain" "$T/ishape-evil")"
        fi
    done
    cn=$(ft cn "$T/ij.jsonl" "private/$h.ics")
    want=$(ft json "$name")
    if [ "$cn" = "$want" ]; then ok; else fail "ical.js reads the ATTENDEE CN as $cn, not $want (RFC 6868)"; fi
    check_feeds feeds "$T/ij.jsonl"
else
    check_feeds feeds
fi
expect_rc 0 "check_feeds.py with special characters"
printf '%s\n' "$out"

finish
