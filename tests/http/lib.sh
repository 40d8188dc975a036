# SPDX-License-Identifier: MIT
# lib.sh: helpers for the HTTP tests, on top of the command-line tests' helpers: a free port on
# 127.0.0.1, starting and stopping `convene serve` there (never on another address).
# shellcheck source=../cli/lib.sh
. "$CONVENE_SOURCE_ROOT/tests/cli/lib.sh"
PY=/usr/bin/python3
HERE="$SRC/tests/http"
SPID=""
trap 'stop_server >/dev/null 2>&1; rm -rf "$T"' EXIT

# free_port: a TCP port nobody listens on at 127.0.0.1 now.
free_port() {
    "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

PORT=$(free_port)
URL="http://127.0.0.1:$PORT"

# start_server [ARGS...]: convene serve on $PORT, the access log in $T/access.log; returns once
# it listens (it says so on stderr), or fails the test after 30 s of not starting.
start_server() {
    : >"$T/serve.err"
    # A published folder (--dir) keeps the links publish wrote: no --base-url then.
    case "${1:-}" in
    --dir) "$C" serve --listen "127.0.0.1:$PORT" --access-log "$T/access.log" "$@" 2>>"$T/serve.err" & ;;
    *) "$C" serve --listen "127.0.0.1:$PORT" --base-url "$URL" --access-log "$T/access.log" "$@" \
        2>>"$T/serve.err" & ;;
    esac
    SPID=$!
    n=0
    until grep -q '^convene: serving' "$T/serve.err"; do
        if ! kill -0 "$SPID" 2>/dev/null || [ $n -ge 300 ]; then
            fail "convene serve did not start: $(cat "$T/serve.err")"
            SPID=""
            finish
        fi
        sleep 0.1
        n=$((n + 1))
    done
}

# stop_server: SIGTERM, then the exit status in $src.
stop_server() {
    src=0
    [ -n "$SPID" ] || return 0
    kill -TERM "$SPID" 2>/dev/null
    wait "$SPID" || src=$?
    SPID=""
}

# token EMAIL: a new private-feed token for EMAIL.
token() {
    "$C" people token --base-url "$URL" "$1" | sed -n 's|^  http://.*/private/\([0-9a-f]*\)\.ics$|\1|p'
}

sha256() {
    printf '%s' "$1" | sha256sum | cut -d' ' -f1
}

# get PATH [CURL-ARGS...]: GET $URL/PATH; $code, headers in $T/h, body in $T/b.
get() {
    p=$1
    shift
    rm -f "$T/b" "$T/h"
    code=$(curl -s --path-as-is -o "$T/b" -D "$T/h" -w '%{http_code}' "$@" "$URL$p")
    touch "$T/b"
}

# header NAME: the value of a response header in $T/h (without CR).
header() {
    sed -n "s/^$1: //Ip" "$T/h" | tr -d '\r' | head -n 1
}

expect_code() {
    if [ "$code" = "$1" ]; then ok; else fail "$2: HTTP $code, expected $1"; fi
}

expect_header() {
    v=$(header "$1")
    if [ "$v" = "$2" ]; then ok; else fail "$3: $1 is '$v', expected '$2'"; fi
}
