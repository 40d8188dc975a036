#!/bin/sh
# SPDX-License-Identifier: MIT
# http_browser.sh: the pages served by convene serve in headless Chromium (Debian's chromium):
# each loads with no console message (script errors, CSP violations), every request the
# browser makes is answered 200, the timetable's script finds the reader's zone, the Arabic
# page lays out right to left (its table's first column on the right, measured on a
# screenshot, against the English page as control), and the screenshots of the programme's
# timeline and of a timetable are kept in $CONVENE_ARTIFACTS. Skipped (77) without chromium.
. "$CONVENE_SOURCE_ROOT/tests/http/lib.sh"

CHROMIUM=$(command -v chromium || true)
if [ -z "$CHROMIUM" ]; then
    echo "chromium is not installed (Debian package chromium; ./bootstrap installs it)"
    exit 77
fi
ART=${CONVENE_ARTIFACTS:-$T/artifacts}
mkdir -p "$ART"

# browse URL ARGS...: headless Chromium on URL; DOM in $T/dom, its log in $T/chrome.err. A
# Chromium that dies of a signal (seen once, a segmentation fault in the browser on a loaded
# machine) is run once more, and says so; a page that kills it twice fails the checks after.
browse() {
    u=$1
    shift
    for attempt in 1 2; do
        brc=0
        HOME="$T" timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
            --disable-background-networking --no-first-run --user-data-dir="$T/profile" \
            --enable-logging=stderr --v=0 --hide-scrollbars "$@" "$u" >"$T/dom" 2>"$T/chrome.err" ||
            brc=$?
        if [ "$brc" -gt 128 ] && [ "$attempt" -eq 1 ]; then
            echo "chromium died (status $brc) on $u: once more"
            continue
        fi
        return "$brc"
    done
}

# no_console URL: the page logged nothing to its console.
no_console() {
    if grep -q 'CONSOLE' "$T/chrome.err"; then
        fail "$1: console: $(grep 'CONSOLE' "$T/chrome.err" | head -3)"
    else
        ok
    fi
}

# Control: a page with a script error is seen.
printf '<!DOCTYPE html><title>x</title><script>console.error("control"); nosuchfunction();</script>\n' >"$T/bad.html"
browse "file://$T/bad.html" --dump-dom
grep -q 'CONSOLE.*nosuchfunction' "$T/chrome.err" && ok || fail "the console check sees nothing: $(tail -5 "$T/chrome.err")"

# A programme with a timetable: rooms, sessions of every track, placed by convene.
run "$C" init
run "$C" people import "$SRC/calendars/sample-delegates.csv"
K=africa-regional-meeting
run "$C" event set $K --hours 09:00-19:00 --breaks 12:30-13:30
for r in "Ballroom 500" "Garden 300" "Room-A 120" "Room-B 80"; do
    set -- $r
    run "$C" room add $K "$1" --capacity "$2"
done
for i in 1 2 3; do
    run "$C" session add $K digital-$i --title "Digital governance $i" --minutes 90 \
        --track digital-governance --speakers "Speaker D$i" --capacity 100
    run "$C" session add $K climate-$i --title "Climate <$i> & resilience" --minutes 90 \
        --track climate --speakers "Speaker C$i" --capacity 60
    run "$C" session add $K inclusion-$i --title "Inclusion $i" --minutes 60 --track inclusion --capacity 60
    run "$C" session add $K local-$i --title "OGP Local $i" --minutes 60 --track ogp-local --capacity 60
done
run "$C" session add $K closing --title "Closing plenary" --minutes 60 --track plenary --capacity 400
run "$C" plan $K --timetable --apply
expect_rc 0 "timetable applied"
tok=$(token delegate-jo@example.org)
start_server

pages="/event-$K-fr.html?tz=Asia%2FTokyo / /index-fr.html /index-es.html /index-ar.html /subscribe.html /subscribe-ar.html
/event-$K.html /event-$K-ar.html /event-$K-tz-utc.html /event-americas-regional-meeting-es.html
/private/$tok.html"
for p in $pages; do
    browse "$URL$p" --dump-dom
    grep -q '</html>' "$T/dom" && ok || fail "$p: no DOM: $(tail -3 "$T/chrome.err")"
    grep -Eq '<h1( [^>]*)?>' "$T/dom" && ok || fail "$p: no heading"
    no_console "$p"
done
grep -q 'Digital governance 1' "$T/dom" && fail "the last page is not the person's page" || ok
browse "$URL/event-$K-fr.html?tz=Asia%2FTokyo" --dump-dom
grep -q 'Heures de Asia/Tokyo' "$T/dom" && ok || fail "?tz=Asia%2FTokyo: the French timetable in Tokyo time"
browse "$URL/event-$K.html" --dump-dom
grep -q 'Climate &lt;1&gt; &amp; resilience' "$T/dom" && ok || fail "the timetable lacks its escaped session"
# Any zone without a script: a GET form that asks the same page with ?tz=ZONE.
grep -q "<form method=\"get\" action=\"event-$K.html\"><label for=\"tz\">" "$T/dom" &&
    grep -q '<input id="tz" name="tz" required' "$T/dom" && ok || fail "the timetable has no zone form"
TZ=America/New_York browse "$URL/event-$K.html" --dump-dom
# Without a listed zone the script leaves the paragraph hidden; with one it links it.
if grep -q 'data-zone="America/New_York"' "$T/dom"; then
    grep -q '<p id="your-zone"[^>]*><a [^>]*>Your zone: America/New_York' "$T/dom" && ok ||
        fail "the script did not link the reader's zone"
else
    grep -q '<p id="your-zone"[^>]*hidden' "$T/dom" && ok || fail "the zone paragraph shows without a zone"
fi
zone=$(sed -n 's/.*data-zone="\(Africa\/[A-Za-z_]*\)".*/\1/p' "$T/dom" | grep -v Nairobi | head -n 1)
TZ=$zone browse "$URL/event-$K.html" --dump-dom
grep -q "<p id=\"your-zone\"[^>]*><a [^>]*>Your zone: $zone" "$T/dom" && ok ||
    fail "the script did not find the reader's zone '$zone'"

# Screenshots, kept; the right-to-left layout measured on them.
browse "$URL/" --screenshot="$ART/programme.png" --window-size=1280,1000
[ -s "$ART/programme.png" ] && ok || fail "no screenshot of the programme"
browse "$URL/event-$K.html" --screenshot="$ART/timetable.png" --window-size=1280,1600
[ -s "$ART/timetable.png" ] && ok || fail "no screenshot of the timetable"
browse "$URL/index-ar.html" --screenshot="$ART/programme-ar.png" --window-size=1280,2400
browse "$URL/index.html" --screenshot="$T/programme-en-tall.png" --window-size=1280,2400
ar=$("$PY" "$HERE/png_side.py" "$ART/programme-ar.png")
en=$("$PY" "$HERE/png_side.py" "$T/programme-en-tall.png")
echo "row headers at $en of the width (en), $ar (ar)"
"$PY" -c 'import sys; sys.exit(0 if float(sys.argv[1]) > 0.55 else 1)' "$ar" && ok ||
    fail "the Arabic page is not right to left (row headers at $ar of the width)"
"$PY" -c 'import sys; sys.exit(0 if float(sys.argv[1]) < 0.45 else 1)' "$en" && ok ||
    fail "control: the English page's row headers are at $en of the width"

stop_server
# Every request the browser made was answered 200 (no missing icon, style or script).
grep 'HTTP/1.1" [^2]' "$T/access.log" >"$T/not200"
[ ! -s "$T/not200" ] && ok || fail "requests not answered 200: $(head -3 "$T/not200")"
grep -qF "$tok" "$T/access.log" && fail "the token is in the access log" || ok
echo "screenshots in $ART"
finish
