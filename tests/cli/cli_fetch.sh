#!/bin/sh
# SPDX-License-Identifier: MIT
# cli_fetch.sh: calendar import from http(s)/webcal URLs against a local HTTP server: a
# re-import of an unchanged calendar transfers nothing; redirects, size and schemes are bounded.
. "$(dirname "$0")/lib.sh"

mkdir "$T/www"
cp "$SRC/calendars/reference/holidays-ke.ics" "$T/www/holidays.ics"
python3 "$SRC/tests/fixtures/httpd.py" "$T/www" "$T/port" "$T/http.log" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$T"' EXIT
i=0
while [ ! -s "$T/port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
port=$(cat "$T/port")
U="http://127.0.0.1:$port"

run "$C" init
run "$C" calendar import --key kenya-fetched "$U/holidays.ics"
expect_rc 0 "import from a URL"
expect_out "calendar kenya-fetched imported: 28 entries (scope country:KE, meaning blackout)" "the calendar is read"
size=$(wc -c <"$T/www/holidays.ics")
expect_out "$U/holidays.ics: $size bytes transferred" "the body is transferred once"

before=$(db_hash)
run "$C" calendar import --key kenya-fetched "$U/holidays.ics"
expect_rc 0 "re-import"
expect_out "calendar kenya-fetched unchanged" "an unchanged calendar"
expect_out "0 bytes transferred (not modified since the last import)" "nothing is transferred"
tail -n 1 "$T/http.log" | grep -q '^GET /holidays.ics 304 0 inm="' && ok || fail "the server saw If-None-Match and answered 304: $(tail -n 1 "$T/http.log")"
[ "$(db_hash)" = "$before" ] && ok || fail "a 304 changes nothing in the database"

# A change at the source is fetched and replaces the calendar.
sed 's/^SUMMARY:Labour Day/SUMMARY:Labour Day (Sikukuu ya Wafanyakazi)/' "$T/www/holidays.ics" >"$T/www/h2" &&
    mv "$T/www/h2" "$T/www/holidays.ics"
run "$C" calendar import --key kenya-fetched "$U/holidays.ics"
expect_out "calendar kenya-fetched replaced" "a changed calendar is replaced"
sqlite3 "$CONVENE_DB" "SELECT summary FROM refcal_entry WHERE summary LIKE 'Labour Day (%'" | grep -q Sikukuu &&
    ok || fail "the new text is stored"

run "$C" calendar import --key via-redirects "$U/redirect/3"
expect_rc 0 "three redirects are followed"
run "$C" calendar import --key too-many "$U/redirect/9"
expect_rc 69 "too many redirects"
expect_err "Number of redirects hit maximum amount" "too many redirects named"
expect_one_line "too many redirects"

before=$(db_hash)
run "$C" calendar import "$U/big"
expect_rc 65 "a body over the limit"
expect_err "the response is over the 1048576-byte limit" "size limit named"
run "$C" calendar import "$U/status/404"
expect_rc 69 "a 404"
expect_err "$U/status/404: the server answered HTTP 404; check the URL" "404 named"
run "$C" calendar import "$U/status/503"
expect_rc 75 "a 503 is temporary"
expect_err "the server answered HTTP 503; try again later" "503 named"
run "$C" calendar import "$U/ftp"
expect_one_line "a redirect to ftp"
[ "$rc" -ne 0 ] && ok || fail "a redirect to ftp:// is refused"
run "$C" calendar import "ftp://127.0.0.1/x.ics"
expect_rc 65 "an ftp URL"
run "$C" calendar import "$(printf 'http://127.0.0.1:%s/holidays.ics\r\nX: y' "$port")"
expect_rc 65 "a URL with CR/LF"
[ "$(db_hash)" = "$before" ] && ok || fail "failed fetches change nothing"

# Nothing listens: a clear error.
run "$C" calendar import "http://127.0.0.1:1/x.ics"
expect_one_line "no server"
expect_err "Couldn't connect to server" "connection refused named"

# webcal:// is fetched over https: no TLS here, so the error names the https URL's failure.
run "$C" calendar import "webcal://127.0.0.1:$port/holidays.ics"
expect_one_line "webcal over https to a plain server"

finish
