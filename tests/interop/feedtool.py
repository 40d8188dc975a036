#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""feedtool.py: small helpers for the interop shell tests (the standard library; `shape` uses icalendar).

  snapshot DIR              one line per file under DIR: path, size, mtime_ns, sha256 (sorted)
  changed A B               paths whose size or sha256 differ between two snapshots, or that
                            are in only one (one per line, sorted)
  touched A B               paths present in both whose mtime changed although the bytes did not
  replace FILE OLD NEW      replace the first occurrence of OLD by NEW in FILE (bytes; \\r and \\n
                            in the arguments are CR and LF); exit 1 when OLD is absent
  field JSONL UID FIELD     FIELD of every record with that UID, one per line, as JSON
  sha256 TEXT               the hex SHA-256 of TEXT
  dbsum DB                  SHA-256 of the database's content (an SQL dump, opened read-only)
  textesc TEXT              TEXT escaped as an RFC 5545 TEXT value (\\ \\; \\, \\n)
  rawprop FILE NAME         the raw (unfolded, still escaped) value of each NAME property in FILE
  json TEXT                 TEXT as a JSON string (as `field` prints it)
  shape FILE                what icalendar (Python) parses: each component with its number of
                            properties, in order
  icshape JSONL FILE        what ical.js read of FILE (from check_icaljs.mjs): the calendar's
                            property count and components, then each item's kind and count
  cn JSONL FILE             the distinct ATTENDEE CN values ical.js read in FILE, as JSON
  csv KEY COLUMN            from CSV with a header on stdin (convene ... list --format csv), the
                            COLUMN of the row whose first field is KEY
"""

import csv
import hashlib
import json
import os
import sqlite3
import sys


def snapshot(root):
    rows = []
    for d, _, files in os.walk(root):
        for n in files:
            p = os.path.join(d, n)
            st = os.stat(p)
            with open(p, "rb") as f:
                h = hashlib.sha256(f.read()).hexdigest()
            rows.append(f"{os.path.relpath(p, root)} {st.st_size} {st.st_mtime_ns} {h}")
    for r in sorted(rows):
        print(r)


def read_snap(path):
    out = {}
    with open(path) as f:
        for line in f:
            p, size, mtime, h = line.split()
            out[p] = (size, mtime, h)
    return out


def unescape(s):
    return s.replace("\\r", "\r").replace("\\n", "\n").encode()


def main(argv):
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 64
    cmd, args = argv[1], argv[2:]
    if cmd == "snapshot" and len(args) == 1:
        snapshot(args[0])
    elif cmd in ("changed", "touched") and len(args) == 2:
        a, b = read_snap(args[0]), read_snap(args[1])
        if cmd == "changed":
            diff = {p for p in a.keys() | b.keys()
                    if p not in a or p not in b or (a[p][0], a[p][2]) != (b[p][0], b[p][2])}
        else:
            diff = {p for p in a.keys() & b.keys() if a[p][2] == b[p][2] and a[p][1] != b[p][1]}
        for p in sorted(diff):
            print(p)
    elif cmd == "replace" and len(args) == 3:
        with open(args[0], "rb") as f:
            data = f.read()
        old, new = unescape(args[1]), unescape(args[2])
        if old not in data:
            sys.stderr.write(f"feedtool: {args[1]!r} not in {args[0]}\n")
            return 1
        with open(args[0], "wb") as f:
            f.write(data.replace(old, new, 1))
    elif cmd == "field" and len(args) == 3:
        with open(args[0], encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                if r.get("uid") == args[1]:
                    print(json.dumps(r.get(args[2]), ensure_ascii=False))
    elif cmd == "dbsum" and len(args) == 1:
        con = sqlite3.connect(f"file:{args[0]}?mode=ro", uri=True)
        h = hashlib.sha256()
        for line in con.iterdump():
            h.update(line.encode() + b"\n")
        con.close()
        print(h.hexdigest())
    elif cmd == "textesc" and len(args) == 1:
        t = args[0]
        print(t.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n"))
    elif cmd == "rawprop" and len(args) == 2:
        with open(args[0], "rb") as f:
            data = f.read().replace(b"\r\n ", b"").replace(b"\r\n\t", b"")
        for line in data.split(b"\r\n"):
            name, _, value = line.partition(b":")
            if name.split(b";")[0].upper() == args[1].upper().encode():
                print(value.decode())
    elif cmd == "json" and len(args) == 1:
        print(json.dumps(args[0], ensure_ascii=False))
    elif cmd == "shape" and len(args) == 1:
        import icalendar  # Debian's python3-icalendar: only to parse and count

        with open(args[0], "rb") as f:
            cal = icalendar.Calendar.from_ical(f.read())
        for c in cal.walk():
            print(c.name, len(c.property_items(recursive=False)) - 2, "errors" if c.errors else "")
    elif cmd in ("icshape", "cn") and len(args) == 2:
        with open(args[0], encoding="utf-8") as f:
            recs = [json.loads(line) for line in f if line.strip()]
        recs = [r for r in recs if r.get("file") == args[1]]
        if not recs:
            sys.stderr.write(f"feedtool: ical.js read nothing of {args[1]}\n")
            return 1
        if cmd == "cn":
            for cn in sorted({json.dumps(a["cn"], ensure_ascii=False) for r in recs for a in r.get("attendees", [])}):
                print(cn)
            return 0
        for r in recs:
            if r["type"] == "calendar":
                print("calendar", r["props"], json.dumps(r["components"], sort_keys=True))
            else:
                print(r["type"], r.get("props"))
    elif cmd == "csv" and len(args) == 2:
        rows = csv.DictReader(sys.stdin)
        found = [r[args[1]] for r in rows if r[rows.fieldnames[0]] == args[0]]
        if len(found) != 1:
            sys.stderr.write(f"feedtool: {len(found)} rows with key {args[0]!r}\n")
            return 1
        print(found[0])
    elif cmd == "sha256" and len(args) == 1:
        print(hashlib.sha256(args[0].encode()).hexdigest())
    else:
        sys.stderr.write(__doc__)
        return 64
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
