#!/bin/sh
# SPDX-License-Identifier: MIT
# http_load.sh: 10,000 requests over 64 connections at once to convene serve, mixed across
# public feeds and pages, private feeds and pages of three people, and unknown tokens; each
# answer checked against the published files: 0 errors, 0 wrong bodies. Then a control: the
# same client against a folder with one byte changed must report wrong bodies.
. "$CONVENE_SOURCE_ROOT/tests/http/lib.sh"

run "$C" init
run "$C" people import "$SRC/calendars/sample-delegates.csv"
for who in delegate-ke@example.org delegate-jo@example.org cochair-office@example.org; do
    token "$who" >>"$T/tokens"
done
[ "$(wc -l <"$T/tokens")" -eq 3 ] && ok || fail "three tokens: $(cat "$T/tokens")"
run "$C" publish --out "$T/feeds" --base-url "$URL"
expect_rc 0 "publish"
start_server --access-log none

run "$PY" "$HERE/load.py" "$URL" "$T/feeds" "$T/tokens" 10000 64
expect_rc 0 "10,000 requests, 64 connections"
printf '%s\n' "$out"
expect_out "10000 requests over 64 connections: 10000 right, 0 errors, 0 wrong" "load"

# Control: the checker sees a wrong body.
cp -r "$T/feeds" "$T/altered"
printf 'X' >>"$T/altered/programme.ics"
run "$PY" "$HERE/load.py" "$URL" "$T/altered" "$T/tokens" 400 8
expect_rc 1 "the checker catches a wrong body"
expect_out "programme.ics: a body of" "the checker names the wrong body"

stop_server
[ "$src" -eq 0 ] && ok || fail "convene serve exited $src"
finish
