# SPDX-License-Identifier: MIT
# lib.sh: helpers for the fault tests against real SMTP servers on 127.0.0.1: Postfix's
# smtp-sink and python3-aiosmtpd (tests/fixtures/smtpd.py). Source it after nothing else; it
# sources the command-line tests' helpers ($C, $T, run, expect_*, finish).
# shellcheck source=../cli/lib.sh
. "$CONVENE_SOURCE_ROOT/tests/cli/lib.sh"
PY=/usr/bin/python3
SINK=/usr/sbin/smtp-sink
FAULT="$SRC/tests/fault"
# smtp-sink drops root privileges to this user when run as root; the dump folders must let it in.
chmod 755 "$T"

need_sink() {
    if ! [ -x "$SINK" ]; then
        echo "SKIP: $SINK is missing (apt-get install postfix)"
        exit 77
    fi
}

need_aiosmtpd() {
    if ! "$PY" -c 'import aiosmtpd' 2>/dev/null || ! command -v openssl >/dev/null 2>&1; then
        echo "SKIP: python3-aiosmtpd or openssl is missing"
        exit 77
    fi
}

# fixture_start SCRIPT NAME [OPTIONS...]: the test server tests/fixtures/SCRIPT on a free port
# of 127.0.0.1, writing to a new folder $T/NAMEn; sets FIXTURE_PID, FIXTURE_PORT, FIXTURE_DIR
# once it listens (its errors go to $T/NAME.log).
fixture_n=0
fixture_start() {
    fixture_n=$((fixture_n + 1))
    FIXTURE_DIR="$T/$2$fixture_n"
    mkdir -p "$FIXTURE_DIR"
    FIXTURE_PORT=$(free_port)
    script=$1 log="$T/$2.log"
    shift 2
    "$PY" "$SRC/tests/fixtures/$script" --port "$FIXTURE_PORT" --dir "$FIXTURE_DIR" "$@" 2>>"$log" &
    FIXTURE_PID=$!
    i=0
    while ! [ -f "$FIXTURE_DIR/ready" ] && [ "$i" -lt 100 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    wait_port "$FIXTURE_PORT" || { fail "$script did not start: $(cat "$log")"; finish; }
}

# free_port: a TCP port free on 127.0.0.1 now.
free_port() {
    "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_port PORT: until something listens on 127.0.0.1:PORT (at most 10 s).
wait_port() {
    "$PY" - "$1" <<'PYEOF'
import socket, sys, time
for _ in range(200):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.05)
sys.exit(1)
PYEOF
}

sink_n=0
# sink_start [OPTIONS...]: smtp-sink on a free port of 127.0.0.1, keeping every message in a new
# folder; sets SINK_PID, SINK_PORT, SINK_DIR and SMTP (the URL convene uses).
sink_start() {
    sink_n=$((sink_n + 1))
    SINK_DIR="$T/sink$sink_n"
    mkdir -p "$SINK_DIR"
    chmod 777 "$SINK_DIR"
    SINK_PORT=$(free_port)
    if [ "$(id -u)" -eq 0 ]; then
        "$SINK" -u nobody "$@" -d "$SINK_DIR/%M." "127.0.0.1:$SINK_PORT" 64 2>>"$T/sink.log" &
    else
        "$SINK" "$@" -d "$SINK_DIR/%M." "127.0.0.1:$SINK_PORT" 64 2>>"$T/sink.log" &
    fi
    SINK_PID=$!
    SMTP="smtp+plain://127.0.0.1:$SINK_PORT"
    if ! wait_port "$SINK_PORT"; then
        fail "smtp-sink did not start: $(cat "$T/sink.log")"
        finish
    fi
}

sink_stop() {
    kill "$SINK_PID" 2>/dev/null
    wait "$SINK_PID" 2>/dev/null
    SINK_PID=
}

# ids DIR...: the Message-IDs the servers kept, one per line (repeated when kept twice).
ids() {
    "$PY" "$FAULT/sinkids.py" "$@" | cut -f1
}

# check_delivered WHAT N MAXDUPS DIR...: every message of the outbox is sent, the servers kept
# all N, and at most MAXDUPS twice.
check_delivered() {
    what=$1 n_want=$2 maxdups=$3
    shift 3
    left=$(sql "SELECT count(*) FROM outbox WHERE state <> 'sent'")
    [ "$left" -eq 0 ] && ok || fail "$what: $left messages not sent"
    unique=$(ids "$@" | sort -u | wc -l)
    copies=$(ids "$@" | wc -l)
    [ "$unique" -eq "$n_want" ] && ok || fail "$what: $unique of $n_want messages delivered"
    [ $((copies - unique)) -le "$maxdups" ] && ok || fail "$what: $((copies - unique)) duplicates"
}

# sql QUERY: one query on the test database, through the sqlite3 command.
sql() {
    sqlite3 "$CONVENE_DB" "$1"
}

# people_csv N FILE: N delegates in Kenya, their names partly non-ASCII.
people_csv() {
    {
        echo "name,email,language,country,delegation,role,timezone"
        i=1
        while [ "$i" -le "$1" ]; do
            case $((i % 4)) in
            0) l=en n="Delegate $i" ;;
            1) l=fr n="Déléguée $i" ;;
            2) l=es n="Delegado Núñez $i" ;;
            3) l=ar n="مندوب $i" ;;
            esac
            echo "$n,d$i@example.org,$l,KE,government,delegate,Africa/Nairobi"
            i=$((i + 1))
        done
    } >"$2"
}

# setup_outbox N: a database with N invitations to africa-regional-meeting queued.
setup_outbox() {
    run "$C" init
    people_csv "$1" "$T/people.csv"
    run "$C" people import "$T/people.csv"
    run "$C" invite africa-regional-meeting --to country:KE
    expect_out "queued $1 invitations" "setup: $1 invitations queued"
}

# later MINUTES: moves CONVENE_NOW forward, past the retry time of deferred messages.
later() {
    CONVENE_NOW=$("$PY" -c "import datetime,sys; t=datetime.datetime.strptime(sys.argv[1], '%Y-%m-%dT%H:%M:%SZ'); print((t + datetime.timedelta(minutes=int(sys.argv[2]))).strftime('%Y-%m-%dT%H:%M:%SZ'))" "$CONVENE_NOW" "$1")
    export CONVENE_NOW
}

trap 'sink_stop; rm -rf "$T"' EXIT
