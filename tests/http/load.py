#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# load.py URL FEEDS TOKENS [N] [CONNECTIONS]: N requests (10,000) over CONNECTIONS keep-alive
# connections (64) at once, mixed: public feeds and pages, private feeds and pages by token,
# and unknown tokens. Every answer is checked against what `convene publish` wrote to FEEDS
# (a person's page with their token where the folder has its hash): 0 errors, 0 wrong bodies.
import gzip
import hashlib
import http.client
import os
import random
import sys
import threading
import urllib.parse

url, feeds, tokens_file = sys.argv[1], sys.argv[2], sys.argv[3]
total = int(sys.argv[4]) if len(sys.argv) > 4 else 10000
conns = int(sys.argv[5]) if len(sys.argv) > 5 else 64
host = urllib.parse.urlsplit(url)

public = []
for name in sorted(os.listdir(feeds)):
    if name.endswith((".ics", ".html")):
        with open(os.path.join(feeds, name), "rb") as f:
            public.append(("/" + name if name != "index.html" else "/", 200, f.read()))
private = []
for tok in open(tokens_file).read().split():
    h = hashlib.sha256(tok.encode()).hexdigest()
    for ext in ("ics", "html"):
        with open(os.path.join(feeds, "private", f"{h}.{ext}"), "rb") as f:
            body = f.read()
        if ext == "html":
            body = body.replace(h.encode(), tok.encode())
        private.append((f"/private/{tok}.{ext}", 200, body))
if not public or not private:
    sys.exit("nothing to ask for")

rng = random.Random(11)
plan = []
for i in range(total):
    r = rng.random()
    if r < 0.5:
        plan.append(rng.choice(public))
    elif r < 0.8:
        plan.append(rng.choice(private))
    else:
        bad = "%032x" % rng.getrandbits(128)
        plan.append((f"/private/{bad}.{rng.choice(['ics', 'html'])}", 404, None))

lock = threading.Lock()
state = {"next": 0, "ok": 0, "errors": 0, "wrong": 0, "by_status": {}, "first": None}


def note(kind, msg):
    with lock:
        state[kind] += 1
        if state["first"] is None:
            state["first"] = msg


def worker(k):
    c = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
    while True:
        with lock:
            i = state["next"]
            if i >= len(plan):
                break
            state["next"] += 1
        path, want, body = plan[i]
        headers = {"Accept-Encoding": "gzip"} if i % 3 == 0 else {}
        try:
            c.request("GET", path, headers=headers)
            r = c.getresponse()
            data = r.read()
            if r.getheader("Content-Encoding") == "gzip":
                data = gzip.decompress(data)
        except Exception as e:  # noqa: BLE001 - every failure counts
            note("errors", f"{path}: {e!r}")
            c.close()
            c = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
            continue
        with lock:
            state["by_status"][r.status] = state["by_status"].get(r.status, 0) + 1
        if r.status != want:
            note("wrong", f"{path}: HTTP {r.status}, expected {want}")
        elif body is not None and data != body:
            note("wrong", f"{path}: a body of {len(data)} bytes differs from the published file")
        else:
            with lock:
                state["ok"] += 1
    c.close()


threads = [threading.Thread(target=worker, args=(k,)) for k in range(conns)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(f"{total} requests over {conns} connections: {state['ok']} right, {state['errors']} errors, "
      f"{state['wrong']} wrong; by status {dict(sorted(state['by_status'].items()))}")
if state["first"]:
    print("first problem:", state["first"])
sys.exit(0 if state["ok"] == total and not state["errors"] and not state["wrong"] else 1)
