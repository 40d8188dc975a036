#!/bin/sh
# SPDX-License-Identifier: MIT
# outbox_full.sh: RELIABILITY.md D6, a full disk. The database on a 16 MiB tmpfs (root only:
# skipped otherwise): `convene invite` of 300 invitations with 3 MiB left fails as a whole with
# one line and exit 74 (the queueing is one transaction: nothing half-queued), the file passes
# integrity_check; with the space back, the invitations are queued. Then the disk is filled up
# to its last 32 KiB and `outbox send` runs against smtp-sink: it either sends or stops with an I/O
# error, never corrupts; with the space back, every queued message reaches the sink, at most one
# twice (a sent mark that could not be written).
# shellcheck source=lib.sh
. "$CONVENE_SOURCE_ROOT/tests/fault/lib.sh"
need_sink
SINK_PID=
FS="$T/fs"
mkdir -p "$FS"
if [ "$(id -u)" -ne 0 ] || ! mount -t tmpfs -o size=16m tmpfs "$FS" 2>/dev/null; then
    echo "SKIP: mounting a 16 MiB tmpfs needs root"
    exit 77
fi
trap 'sink_stop; umount "$FS"; rm -rf "$T"' EXIT
export CONVENE_NOW=2024-01-15T09:00:00Z CONVENE_DB="$FS/convene.db"
run "$C" init
people_csv 300 "$T/people.csv"
run "$C" people import "$T/people.csv"
# Leave about 3 MiB: the 300 messages (2.8 MB) and their WAL do not fit.
avail=$(df -k --output=avail "$FS" | tail -1)
dd if=/dev/zero of="$FS/filler" bs=1k count=$((avail - 3072)) 2>/dev/null
run "$C" invite africa-regional-meeting --to country:KE
expect_rc 74 "d6: a full disk fails the queueing (EX_IOERR)"
expect_one_line "d6: one line"
expect_err "full" "d6: the message says the disk is full"
[ "$(sql "PRAGMA integrity_check")" = ok ] && ok || fail "d6: integrity_check after the failed queueing"
n=$(sql "SELECT count(*) FROM outbox")
[ "$n" -eq 0 ] && ok || fail "d6: $n messages half-queued"
rm -f "$FS/filler"
run "$C" invite africa-regional-meeting --to country:KE
expect_out "queued 300 invitations" "d6: queued once the space is back"
# Now not one byte left but 32 KiB.
dd if=/dev/zero of="$FS/filler" bs=64k 2>/dev/null
truncate -s -32K "$FS/filler"
sink_start
run "$C" outbox send --smtp "$SMTP"
first_rc=$rc
echo "d6: outbox send on a full disk: exit $rc; $out; $err"
case $rc in
0) ok ;;
74) expect_one_line "d6: outbox send on a full disk: one line" ;;
*) fail "d6: outbox send on a full disk: exit $rc ($err)" ;;
esac
rm -f "$FS/filler"
[ "$(sql "PRAGMA integrity_check")" = ok ] && ok || fail "d6: integrity_check after sending on a full disk"
run "$C" outbox send --smtp "$SMTP"
sink_stop
expect_rc 0 "d6: the run after the space is back"
check_delivered "d6 (the first run exited $first_rc)" 300 1 "$SINK_DIR"
[ "$(sql "PRAGMA integrity_check")" = ok ] && ok || fail "d6: integrity_check at the end"
finish
