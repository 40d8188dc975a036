#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# raw.py HOST PORT: requests curl will not send (raw CR, NUL, spaces in the path), then 2,000
# random paths made of the pieces attacks use; every answer must be a well-formed response of
# an expected status whose headers carry no CR or LF and no header convene does not send
# (RELIABILITY.md I6). Exits 1 with the first problem.
import random
import re
import socket
import sys

HOST, PORT = sys.argv[1], int(sys.argv[2])
HEADERS = {"date", "connection", "content-length", "content-type", "cache-control",
           "referrer-policy", "etag", "last-modified", "vary", "x-content-type-options",
           "content-security-policy", "content-encoding", "allow"}
OK_STATUS = {200, 304, 400, 404, 405, 413, 414, 431, 505}
LINE = re.compile(rb"^[A-Za-z0-9-]+: [\x20-\x7e]*$")


def ask(raw):
    s = socket.create_connection((HOST, PORT), timeout=10)
    try:
        s.sendall(raw)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    finally:
        s.close()
    return data


def check(raw, what):
    data = ask(raw)
    head = data.split(b"\r\n\r\n", 1)[0]
    lines = head.split(b"\r\n")
    m = re.match(rb"^HTTP/1\.[01] (\d{3}) ", lines[0])
    if not m:
        sys.exit(f"{what}: not an HTTP response: {data[:200]!r}")
    status = int(m.group(1))
    if status not in OK_STATUS:
        sys.exit(f"{what}: status {status}")
    for line in lines[1:]:
        if not LINE.match(line):
            sys.exit(f"{what}: a malformed header line {line!r}")
        name = line.split(b":", 1)[0].decode().lower()
        if name not in HEADERS:
            sys.exit(f"{what}: an unexpected header {line!r}")
    return status


fixed = [
    b"GET /programme.ics%0d%0aSet-Cookie:%20x=1 HTTP/1.1\r\nHost: a\r\n\r\n",
    b"GET /programme.ics\rSet-Cookie: x=1 HTTP/1.1\r\nHost: a\r\n\r\n",
    b"GET /prog\x00ramme.ics HTTP/1.1\r\nHost: a\r\n\r\n",
    b"GET /../../../etc/passwd HTTP/1.1\r\nHost: a\r\n\r\n",
    b"GET /..\\..\\etc\\passwd HTTP/1.1\r\nHost: a\r\n\r\n",
    b"GET http://evil.example/programme.ics HTTP/1.1\r\nHost: a\r\n\r\n",
    b"GET /private/..%2f..%2fconvene.db HTTP/1.1\r\nHost: a\r\n\r\n",
    b"GET /programme.ics HTTP/1.1\r\nHost: a\r\nIf-None-Match: \"x\r\n\r\n",
]
for i, raw in enumerate(fixed):
    status = check(raw, f"fixed request {i}")
    if status == 200 and i != 7:
        sys.exit(f"fixed request {i} answered 200")

rng = random.Random(7)
pieces = ["%0d", "%0a", "%0D%0A", "%00", "..", "/", "%2f", "%2F", "%5c", "\\", "a", "private/",
          "programme.ics", "0123456789abcdef0123456789abcdef", ".ics", ".html", "%25", "~", "-",
          "\x7f", "\xc3\xa9", "%c0%ae", "?x=1", "#f", ";", "=", "'", "\"", "<", ">", "index.html"]
counts = {}
for i in range(2000):
    path = "/" + "".join(rng.choice(pieces) for _ in range(rng.randint(1, 8)))
    raw = b"GET " + path.encode("latin-1") + b" HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
    status = check(raw, f"random path {path!r}")
    counts[status] = counts.get(status, 0) + 1
print("random paths by status:", dict(sorted(counts.items())))
if counts.get(400, 0) < 500:
    sys.exit("too few bad requests among the random paths: the generator is broken")
