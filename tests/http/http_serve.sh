#!/bin/sh
# SPDX-License-Identifier: MIT
# http_serve.sh: convene serve on 127.0.0.1 with curl: status codes and headers, bodies equal to
# what `convene publish` writes, HEAD, gzip, 304 answers (RELIABILITY.md F2, F3, across a
# restart too), a database change served without a restart, token revocation (P3), no token in
# the logs (P4), traversal and CR/LF attempts (I5, I6), bounded requests, feeds status with its
# Google warning, and a clean stop on SIGTERM.
. "$CONVENE_SOURCE_ROOT/tests/http/lib.sh"

run "$C" init
run "$C" people import "$SRC/calendars/sample-delegates.csv"
tok_ke=$(token delegate-ke@example.org)
tok_jo=$(token delegate-jo@example.org)
h_ke=$(sha256 "$tok_ke")
[ ${#tok_ke} -eq 32 ] && [ ${#tok_jo} -eq 32 ] && ok || fail "tokens: '$tok_ke' '$tok_jo'"
# A French title set here; an event with an English title only (no translation to fall back from).
run "$C" event set americas-regional-meeting --title-in "fr:Amérique ouverte (essai)"
expect_rc 0 "a French title"
run "$C" event add fallback-test --title "Fallback event" --city Nairobi --country KE --tz Africa/Nairobi
expect_rc 0 "an event with an English title only"
run "$C" publish --out "$T/feeds" --base-url "$URL"
expect_rc 0 "publish"
expect_out "pages (open $T/feeds/index.html):" "publish writes the pages"
[ -f "$T/feeds/index-ar.html" ] && [ -f "$T/feeds/subscribe-fr.html" ] &&
    [ -f "$T/feeds/private/$h_ke.html" ] && ok || fail "pages missing: $(ls "$T/feeds")"
grep -q "private/$h_ke.ics" "$T/feeds/private/$h_ke.html" && ok ||
    fail "a published person's page links its feed by the hash of the token"
grep -rqF "$tok_ke" "$T/feeds" && fail "a token is in the published folder" || ok

start_server

# ---- a public feed: headers and bytes ---------------------------------------------------------
get /programme.ics
expect_code 200 "GET /programme.ics"
expect_header Content-Type "text/calendar; charset=utf-8" "feed type"
expect_header ETag "\"$(sha256sum <"$T/feeds/programme.ics" | cut -d' ' -f1)\"" "ETag is the SHA-256 of the bytes"
expect_header Cache-Control "public, max-age=300" "public feed caching"
expect_header Referrer-Policy "no-referrer" "Referrer-Policy"
expect_header Last-Modified "Mon, 15 Jan 2024 09:00:00 GMT" "Last-Modified: first served at CONVENE_NOW"
expect_same "$T/b" "$T/feeds/programme.ics" "the served feed is the published one"
etag=$(header ETag)
lm=$(header Last-Modified)

code=$(curl -s -I -o /dev/null -D "$T/h" -w '%{http_code} %{size_download}' "$URL/programme.ics")
[ "$code" = "200 0" ] && ok || fail "HEAD: '$code', expected a 200 without a body"
expect_header Content-Length "$(wc -c <"$T/feeds/programme.ics" | tr -d ' ')" "HEAD gives the length"

get /programme.ics -H 'Accept-Encoding: gzip'
expect_header Content-Encoding gzip "gzip when asked"
expect_header Vary Accept-Encoding "Vary"
gzip -dc <"$T/b" >"$T/gunzipped" && ok || fail "the gzip body does not decompress"
expect_same "$T/gunzipped" "$T/feeds/programme.ics" "the gzip body holds the feed"
get /programme.ics -H 'Accept-Encoding: gzip;q=0, identity'
[ -z "$(header Content-Encoding)" ] && ok || fail "gzip;q=0 still got gzip"

# ---- 304 (F2, F3) ---------------------------------------------------------------------------
get /programme.ics -H "If-None-Match: $etag"
expect_code 304 "If-None-Match with the ETag"
[ ! -s "$T/b" ] && ok || fail "a 304 with a body"
expect_header ETag "$etag" "a 304 carries the ETag"
get /programme.ics -H "If-None-Match: \"other\", W/$etag"
expect_code 304 "a list with the weak form of the ETag"
get /programme.ics -H 'If-None-Match: "other"'
expect_code 200 "another ETag"
get /programme.ics -H 'If-None-Match: "other"' -H 'If-Modified-Since: Fri, 01 Jan 2100 00:00:00 GMT'
expect_code 200 "If-None-Match wins over If-Modified-Since"
get /programme.ics -H "If-Modified-Since: $lm"
expect_code 304 "If-Modified-Since the Last-Modified"
get /programme.ics -H 'If-Modified-Since: Sun, 14 Jan 2024 09:00:00 GMT'
expect_code 200 "If-Modified-Since earlier"
get /programme.ics -H 'If-Modified-Since: yesterday'
expect_code 200 "a bad If-Modified-Since is ignored"
# 1,000 polls of an unchanged feed: not one 200.
qetag=$(printf '%s' "$etag" | sed 's/"/\\"/g')
printf 'header = "If-None-Match: %s"\nwrite-out = "%%{http_code}\\n"\n' "$qetag" >"$T/polls.cfg"
i=0
while [ $i -lt 1000 ]; do
    printf 'url = "%s/programme.ics"\noutput = /dev/null\n' "$URL"
    i=$((i + 1))
done >>"$T/polls.cfg"
curl -s -K "$T/polls.cfg" | sort | uniq -c >"$T/polls"
[ "$(cat "$T/polls" | tr -s ' ')" = " 1000 304" ] && ok || fail "1,000 conditional polls: $(cat "$T/polls")"

# ---- index.json: the public feeds and their ETags, as publish writes it ------------------------
get /index.json
expect_code 200 "GET /index.json"
expect_header Content-Type "application/json; charset=utf-8" "index.json type"
expect_same "$T/b" "$T/feeds/index.json" "the served index.json is the published one"
expect_header ETag "\"$(sha256sum <"$T/feeds/index.json" | cut -d' ' -f1)\"" "index.json ETag"
expect_header Cache-Control "public, max-age=300" "index.json caching"
"$PY" -c 'import json, sys; d = json.load(open(sys.argv[1])); sys.exit(0 if d["feeds"] and all(not f["path"].startswith("private/") for f in d["feeds"]) else 1)' "$T/b" &&
    ok || fail "index.json is not JSON listing public feeds only: $(head -c 300 "$T/b")"
grep -q '@' "$T/b" && fail "index.json holds an address: $(grep '@' "$T/b" | head -3)" || ok
grep -qF "$tok_ke" "$T/b" && fail "index.json holds a token" || ok
grep -qF "$h_ke" "$T/b" && fail "index.json names a private feed" || ok
ietag=$(header ETag)
get /index.json -H "If-None-Match: $ietag"
expect_code 304 "index.json: If-None-Match"
get /index.json -H "If-Modified-Since: $(header Last-Modified)"
expect_code 304 "index.json: If-Modified-Since"
get /index.json -H 'Accept-Encoding: gzip'
expect_header Content-Encoding gzip "index.json gzip"

# ---- pages in the reader's language: the events' translated titles, English where none ------
get /index-fr.html
grep -q '>Amérique ouverte (essai)</a>' "$T/b" && ok || fail "the French index has the French title"
grep -q '>Fallback event</a>' "$T/b" && ok || fail "an event without a French title falls back to English"
grep -q 'Signer le contrat du lieu: Amérique ouverte (essai)' "$T/b" && ok ||
    fail "the French timeline names the milestones in French"
grep -q 'Sign the venue contract' "$T/b" && fail "an English milestone on the French page" || ok
# The programme's name in the page's language; in English, marked lang=en, where it has none.
grep -q '<h1>Programme des coprésidents de l&#39;OGP 2023-2024 : gouvernement du Kenya et Blair Glencorse</h1>' "$T/b" &&
    ok || fail "the French index has the programme's French name: $(grep -o '<h1[^<]*' "$T/b")"
grep -q '<title>Programme des coprésidents de l&#39;OGP' "$T/b" && ok || fail "the French title element"
grep -q "<h1[^>]*>OGP co-chairs\|<title>OGP co-chairs\| · OGP co-chairs" "$T/b" &&
    fail "the English name on the French index" || ok
get /index-es.html
grep -q '<h1>Programa de los copresidentes de la Alianza para el Gobierno Abierto (OGP)' "$T/b" && ok ||
    fail "the Spanish index has the programme's Spanish name"
get /index-ar.html
grep -q '<h1 lang="en" dir="ltr">OGP co-chairs' "$T/b" && ok ||
    fail "no Arabic name: the English one, marked lang=en: $(grep -o '<h1[^>]*>' "$T/b")"
get /index.html
grep -q '<h1>OGP co-chairs' "$T/b" && ok || fail "the English index has the English name, unmarked"
# The subscribe page names the feeds in its language (the programme's name, the regions).
get /subscribe-fr.html
grep -q '<h2>Programme des coprésidents de l&#39;OGP 2023-2024 : gouvernement du Kenya et Blair Glencorse: Afrique et Moyen-Orient</h2>' "$T/b" &&
    ok || fail "subscribe-fr: the region feed in French: $(grep -o '<h2>[^<]*' "$T/b")"
grep -q 'Africa and the Middle East\|OGP co-chairs&#39;' "$T/b" && fail "subscribe-fr: an English feed name" || ok
grep -q 'aria-label="Code QR: Programme des coprésidents' "$T/b" && ok || fail "subscribe-fr: the QR codes' text in French"
grep -q 'QR code:' "$T/b" && fail "subscribe-fr: an English QR code label" || ok
get /subscribe-ar.html
grep -q '<h2><span lang="en" dir="ltr">OGP co-chairs&#39; programme 2023-2024 (Government of Kenya and Blair Glencorse)</span>: أفريقيا والشرق الأوسط</h2>' "$T/b" &&
    ok || fail "subscribe-ar: the English programme name marked, the region in Arabic: $(grep -o '<h2>.*</h2>' "$T/b" | head -3)"
grep -q "X-WR-CALNAME:Programme des coprésidents de l'OGP" "$T/feeds/programme-fr.ics" && ok ||
    fail "the French programme feed is named in French"
get /event-americas-regional-meeting-fr.html
grep -q '<h1>Amérique ouverte (essai)</h1>' "$T/b" && ok || fail "the French event page's heading"
get /event-americas-regional-meeting-es.html
grep -q '<h1>América Abierta 2024' "$T/b" && ok || fail "the Spanish event page's heading"
get /event-americas-regional-meeting.html
grep -q 'Amérique ouverte' "$T/b" && fail "the French title on the English page" || ok
get /index-ar.html
grep -q 'توقيع عقد مكان الانعقاد' "$T/b" && ok || fail "the Arabic timeline names the milestones in Arabic"

# ---- pages --------------------------------------------------------------------------------------
get /
expect_code 200 "GET /"
expect_header Content-Type "text/html; charset=utf-8" "page type"
expect_same "$T/b" "$T/feeds/index.html" "/ is the published index.html"
[ -n "$(header Content-Security-Policy)" ] && ok || fail "pages carry a Content-Security-Policy"
get /index-ar.html
grep -q '<html lang="ar" dir="rtl">' "$T/b" && ok || fail "the Arabic page is not lang=ar dir=rtl"
get /subscribe.html
grep -q "webcal://127.0.0.1:$PORT/programme.ics" "$T/b" && ok || fail "subscribe has the webcal link"
grep -q '<svg class="qr"' "$T/b" && ok || fail "subscribe has QR codes"

# ---- a timetable in any zone: PAGE?tz=ZONE (drawn on request), hostile values refused ---------
get '/event-americas-regional-meeting-fr.html?tz=America%2FBogota'
expect_code 200 "?tz=America%2FBogota"
grep -q '<strong>Heures de America/Bogota</strong>' "$T/b" && ok || fail "the page in Bogota time"
grep -q 'href="event-americas-regional-meeting-es.html?tz=America%2FBogota"' "$T/b" && ok ||
    fail "the language links keep the zone"
expect_header ETag "\"$(sha256sum <"$T/b" | cut -d' ' -f1)\"" "?tz: the ETag is the SHA-256 of the page"
zetag=$(header ETag)
cp "$T/b" "$T/tz1"
get '/event-americas-regional-meeting-fr.html?tz=America/Bogota' -H "If-None-Match: $zetag"
expect_code 304 "?tz: If-None-Match (the zone unescaped the same)"
# Drawn once, then kept with the snapshot: the same question gives the same bytes and ETag.
get '/event-americas-regional-meeting-fr.html?tz=America%2FBogota'
expect_code 200 "?tz= asked again"
expect_same "$T/b" "$T/tz1" "?tz= asked again: byte-identical"
expect_header ETag "$zetag" "?tz= asked again: the same ETag"
get '/event-americas-regional-meeting-fr.html?tz=America/Bogota'
expect_same "$T/b" "$T/tz1" "?tz= unescaped: the same page"
get '/event-americas-regional-meeting-fr.html?tz=UTC'
grep -q '<strong>Heures de UTC</strong>' "$T/b" && ok || fail "?tz=UTC"
get '/event-americas-regional-meeting-fr.html?tz='
expect_same "$T/b" "$T/feeds/event-americas-regional-meeting-fr.html" "an empty ?tz= is the page itself"
get '/index.html?tz=Asia/Tokyo'
expect_same "$T/b" "$T/feeds/index.html" "?tz on a page without times is ignored"
for q in '%3Cscript%3Ealert(1)%3C%2Fscript%3E' '<b>x' '..%2F..%2Fetc%2Fpasswd' '/etc/localtime' \
    'Europe/Nowhere' 'America%2' '%00UTC' 'UTC%0d%0aSet-Cookie:%20x=1' 'America/Bogota%22%3E%3Cx' \
    "$("$PY" -c 'print("A" * 65)')" 'posix%2F..%2F..%2F..%2Fetc%2Fpasswd'; do
    get "/event-americas-regional-meeting.html?tz=$q"
    expect_code 400 "?tz=$q"
    grep -qi 'script\|passwd\|nowhere\|<b>\|AAAA' "$T/b" "$T/h" && fail "?tz=$q is written back" || ok
    grep -qi '^set-cookie' "$T/h" && fail "?tz=$q: a header was injected" || ok
done

# ---- private feeds ----------------------------------------------------------------------------
get "/private/$tok_ke.ics"
expect_code 200 "a private feed by its token"
expect_header Cache-Control "private, no-cache" "private feeds are private"
expect_header Referrer-Policy "no-referrer" "private Referrer-Policy"
expect_same "$T/b" "$T/feeds/private/$h_ke.ics" "the private feed is the published one"
get "/private/$tok_ke.html"
expect_code 200 "a person's page by their token"
grep -q "$URL/private/$tok_ke.ics" "$T/b" && ok || fail "the person's page links their feed with their token"
grep -q "Your answers to invitations" "$T/b" && ok || fail "the person's page says where their answers are"
for p in "/private/$h_ke.ics" "/private/0123456789abcdef0123456789abcdef.ics" \
    "/private/$(printf '%s' "$tok_ke" | tr a-f A-F).ics" "/private/${tok_ke}0.ics" "/private/$tok_ke.txt" \
    "/private/$tok_ke" "/private/index.html" "/private/$h_ke.html"; do
    get "$p"
    expect_code 404 "$p"
done

# ---- a change is served without a restart; revocation at once (P3) --------------------------
# The kept ?tz= page goes with the old snapshot: after a change it is drawn anew.
run "$C" event set americas-regional-meeting --title-in "fr:Amérique ouverte (changée)"
expect_rc 0 "a new French title while serving"
get '/event-americas-regional-meeting-fr.html?tz=America%2FBogota' -H "If-None-Match: $zetag"
expect_code 200 "?tz= after a database change: not the kept page"
[ "$(header ETag)" != "$zetag" ] && ok || fail "?tz= after a change: the ETag did not change"
grep -q '<h1>Amérique ouverte (changée)</h1>' "$T/b" && ok || fail "?tz= after a change: the new title"
cmp -s "$T/b" "$T/tz1" && fail "?tz= after a change: the old bytes" || ok
run "$C" event set americas-regional-meeting --venue "Instituto Serzedello Correa (TCU)"
expect_rc 0 "event set while serving"
get /programme.ics -H "If-None-Match: $etag"
expect_code 200 "the edit changed the feed at the next request"
[ "$(header ETag)" != "$etag" ] && ok || fail "the ETag did not change"
grep -q 'Instituto Serzedello Correa' "$T/b" && ok || fail "the new venue is served"
etag2=$(header ETag)
run "$C" people revoke-token delegate-ke@example.org
get "/private/$tok_ke.ics"
expect_code 404 "a revoked token at the next request"
get "/private/$tok_ke.html"
expect_code 404 "a revoked token's page"
tok_ke2=$(token delegate-ke@example.org)
get "/private/$tok_ke2.ics"
expect_code 200 "the new token works at once"
get "/private/$tok_ke.ics"
expect_code 404 "the old token stays refused"

# ---- 1,000 private requests, then the logs (P4) ----------------------------------------------
printf 'write-out = "%%{http_code}\\n"\n' >"$T/private.cfg"
i=0
while [ $i -lt 1000 ]; do
    printf 'url = "%s/private/%s.ics"\noutput = /dev/null\n' "$URL" "$tok_jo"
    i=$((i + 1))
done >>"$T/private.cfg"
curl -s -K "$T/private.cfg" | sort | uniq -c >"$T/private"
[ "$(tr -s ' ' <"$T/private")" = " 1000 200" ] && ok || fail "1,000 private requests: $(cat "$T/private")"

# ---- bad requests (I5, I6) ------------------------------------------------------------------
for p in "/../etc/passwd" "/..%2f..%2fetc%2fpasswd" "/%2e%2e/convene.db" "/private/../programme.ics" \
    "/programme.ics%00.html" "/programme.ics%0d%0aSet-Cookie:%20x=1" "//etc/passwd" "/a%0aX-Injected:%201"; do
    get "$p"
    case "$code" in 400 | 404) ok ;; *) fail "$p: HTTP $code, expected 400 or 404" ;; esac
    grep -qi '^set-cookie\|^x-injected' "$T/h" && fail "$p: a header was injected" || ok
done
get /convene.db
expect_code 404 "the database is not a file we serve"
get /programme.ics -X POST -d x=1
expect_code 405 "POST"
expect_header Allow "GET, HEAD" "405 says what is allowed"
# Raw requests, and 2,000 random paths: no CR or LF from the path in any header, never a 5xx.
"$PY" "$HERE/raw.py" 127.0.0.1 "$PORT" >"$T/raw.out" 2>&1 && ok || fail "raw requests: $(cat "$T/raw.out")"
# A request larger than the bound is refused, and the server goes on.
big=$("$PY" -c 'print("x" * 40000)')
get /programme.ics -H "X-Big: $big"
case "$code" in 413 | 431 | 400) ok ;; *) fail "a 40 kB header: HTTP $code" ;; esac
get /programme.ics
expect_code 200 "the server answers after a too-large request"

# ---- who fetched: Google's client gets a warning -----------------------------------------------
get /region-americas.ics -A 'Google-Calendar-Importer'
expect_code 200 "Google's fetch"
stop_server
[ "$src" -eq 0 ] && ok || fail "convene serve exited $src on SIGTERM"
grep -q '^convene: stopped' "$T/serve.err" && ok || fail "no clean stop: $(cat "$T/serve.err")"
for t in "$tok_ke" "$tok_jo" "$tok_ke2"; do
    grep -qF "$t" "$T/access.log" "$T/serve.err" && fail "a token is in the logs" || ok
done
n=$(grep -c '"GET /private/\[token\].ics HTTP/1.1" 200 ' "$T/access.log")
[ "$n" -ge 1001 ] && ok || fail "the access log has $n redacted private fetches"
grep -Eq '^127\.0\.0\.1 - - \[15/Jan/2024:09:00:00 \+0000\] "GET /programme.ics HTTP/1.1" 304 -$' "$T/access.log" &&
    ok || fail "common log format: $(head -3 "$T/access.log")"
run "$C" feeds status
expect_rc 0 "feeds status"
expect_out "delegate-jo@example.org" "a private feed is shown by its owner"
expect_out "warning: region-americas.ics is subscribed in Google Calendar" "Google warning"
printf '%s\n' "$out" | grep -E '^programme\.ics +public +[0-9]+ +10[0-9][0-9] ' >/dev/null &&
    ok || fail "programme.ics counts its 304s: $(printf '%s\n' "$out" | grep '^programme')"
printf '%s\n' "$out" | grep -F "$tok_jo" && fail "feeds status shows a token" || ok

# ---- after a restart, with the clock two weeks on: the same validators (F3) -------------------
export CONVENE_NOW=2024-02-01T00:00:00Z
start_server
get /programme.ics -H "If-None-Match: $etag2"
expect_code 304 "the ETag survives a restart"
get /programme.ics -H "If-Modified-Since: $lm"
expect_code 304 "Last-Modified survives a restart"
expect_header Last-Modified "$lm" "Last-Modified is when the bytes were first served, not the restart"
run "$C" event set americas-regional-meeting --venue "Palacio Itamaraty"
get /programme.ics
expect_header Last-Modified "Thu, 01 Feb 2024 00:00:00 GMT" "an edit moves Last-Modified"
get /programme.ics -H "If-Modified-Since: $lm"
expect_code 200 "If-Modified-Since before the edit"
stop_server
export CONVENE_NOW=2024-01-15T09:00:00Z

# ---- a published folder instead of the database (--dir) ------------------------------------
run "$C" publish --out "$T/site" --base-url "$URL"
expect_rc 0 "publish for --dir"
mv "$CONVENE_DB" "$T/away.db"
start_server --dir "$T/site"
get /programme.ics
expect_code 200 "--dir: a public feed"
expect_same "$T/b" "$T/site/programme.ics" "--dir: the file's bytes"
expect_header Last-Modified "$(TZ=GMT date -r "$T/site/programme.ics" '+%a, %d %b %Y %H:%M:%S GMT')" "--dir: Last-Modified is the file's time"
et=$(header ETag)
get /programme.ics -H "If-None-Match: $et"
expect_code 304 "--dir: 304"
get "/private/$tok_jo.ics"
expect_code 200 "--dir: a private feed by its token"
expect_same "$T/b" "$T/site/private/$(sha256 "$tok_jo").ics" "--dir: the private file"
get "/private/$tok_jo.html"
grep -q "$URL/private/$tok_jo.ics" "$T/b" && ok || fail "--dir: the person's page links the feed by the token"
get "/private/$(sha256 "$tok_jo").ics"
expect_code 404 "--dir: the hash is not a token"
get '/event-americas-regional-meeting.html?tz=Asia/Tokyo'
expect_same "$T/b" "$T/site/event-americas-regional-meeting.html" "--dir: ?tz is ignored, as by any static host"
get /index.json
expect_code 200 "--dir: index.json"
expect_same "$T/b" "$T/site/index.json" "--dir: index.json's bytes"
expect_header Content-Type "application/json; charset=utf-8" "--dir: index.json type"
get /private/index.json
expect_code 404 "--dir: no private index"
# A publish into the folder is served at the next request; a removed private feed is gone.
mv "$T/away.db" "$CONVENE_DB"
run "$C" people revoke-token delegate-jo@example.org
run "$C" event set americas-regional-meeting --venue "Esplanada dos Ministerios"
run "$C" publish --out "$T/site" --base-url "$URL"
mv "$CONVENE_DB" "$T/away.db"
get /programme.ics
grep -q 'Esplanada dos Ministerios' "$T/b" && ok || fail "--dir: a new publish is served at once"
get "/private/$tok_jo.ics"
expect_code 404 "--dir: a feed removed by publish"
stop_server
[ "$src" -eq 0 ] && ok || fail "--dir: exit $src"
mv "$T/away.db" "$CONVENE_DB"
run "$C" serve --dir "$T/site" --base-url "$URL"
expect_rc 64 "--dir with --base-url"
run timeout 20 "$C" serve --dir "$T/nowhere" --listen "127.0.0.1:$PORT"
expect_rc 66 "--dir of a missing folder"
expect_one_line "--dir of a missing folder"

# ---- the base URL of the printed links: --base-url, else $CONVENE_BASE_URL ------------------------
out=$(CONVENE_BASE_URL=https://calendars.example.org/ "$C" people token delegate-gh@example.org)
printf '%s\n' "$out" | grep -Eq '^  https://calendars\.example\.org/private/[0-9a-f]{32}\.ics$' &&
    printf '%s\n' "$out" | grep -Eq '^  webcal://calendars\.example\.org/private/[0-9a-f]{32}\.ics$' &&
    ok || fail "people token with CONVENE_BASE_URL: $out"
out=$(CONVENE_BASE_URL=https://calendars.example.org "$C" people token --base-url "$URL" delegate-gh@example.org)
printf '%s\n' "$out" | grep -q "^  $URL/private/" && ok || fail "--base-url wins over CONVENE_BASE_URL: $out"
run env CONVENE_BASE_URL='javascript:alert(1)' "$C" people token delegate-gh@example.org
expect_rc 64 "a CONVENE_BASE_URL that is not http(s)"
expect_one_line "a bad CONVENE_BASE_URL"
run env CONVENE_BASE_URL=https://calendars.example.org "$C" publish --out "$T/env-site"
expect_rc 0 "publish with CONVENE_BASE_URL"
grep -q 'webcal://calendars.example.org/programme.ics' "$T/env-site/subscribe.html" && ok ||
    fail "publish takes its links from CONVENE_BASE_URL"

# ---- a port that is taken ------------------------------------------------------------------------
"$PY" -c 'import socket,sys,time; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(); print("held", flush=True); time.sleep(20)' "$PORT" >"$T/held" &
holder=$!
until [ -s "$T/held" ] || ! kill -0 "$holder" 2>/dev/null; do sleep 0.1; done
run timeout 20 "$C" serve --listen "127.0.0.1:$PORT"
expect_rc 69 "a taken port"
expect_one_line "a taken port"
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
run "$C" serve --listen "localhost:x"
expect_rc 64 "a bad --listen"

finish
