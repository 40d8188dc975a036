#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""check_feeds.py: check what `convene publish` wrote against the database it came from.

usage: /usr/bin/python3 check_feeds.py [--icaljs FILE.jsonl] [--now ISO] [--cancelled-days N]
                                       DIR DB

Run with Debian's python3 (python3-icalendar 4.0.3). icalendar is used only to parse and to
resolve instants: 4.0.3 corrupts backslashes (INTEROP.md), so text is compared with what
ical.js read (--icaljs, the output of check_icaljs.mjs), never with icalendar's values.

Checks, for DIR/index.json and every feed it lists:
  index     paths stay inside DIR; bytes and ETag (sha256 of the bytes) match the file; the .ics
            files on disk are exactly the ones listed; private/ holds one file per person with a
            token, named by that token's hash
  parse     icalendar.Calendar.from_ical does not raise and no component carries errors
  count     VEVENT + VTODO count equals index.json's "components"
  dates     an event's VEVENT is all-day: DTSTART = start_date, DTEND = end_date + 1 day;
            DTSTAMP is the revision (event's, or the later of session's and event's), not "now";
            public VEVENTs say CLASS:PUBLIC
  instants  a session's VEVENT: DTSTART in UTC = session.start_utc, DTEND = start + minutes;
            TZID resolved both by icalendar (pytz) and by zoneinfo from the wall-clock time
  uids      programme, region and event feeds hold exactly the events (and sessions) they should
  privacy   public feeds: no ATTENDEE, mailto:, X-LIC-, person email or token hash (RELIABILITY
            P1), raw and unfolded; private feeds: one ATTENDEE address, the person whose
            token_hash names the file, and no other person's address
  text      (with --icaljs) SUMMARY read by ical.js = the title in the feed's language, byte
            for byte; SEQUENCE = the DB's; ical.js and icalendar agree on every instant; CN =
            person.name (RFC 6868)
Prints one line per failure and a summary line; exits 0 when all pass, 1 otherwise, 64 on usage.
"""

import argparse
import datetime as dt
import hashlib
import json
import os
import re
import sqlite3
import sys
import zoneinfo

try:
    import icalendar
except ImportError:  # pragma: no cover - the environment decides
    sys.stderr.write("check_feeds.py: needs python3-icalendar (run it with /usr/bin/python3)\n")
    sys.exit(77)

UTC = dt.timezone.utc


class Checker:
    def __init__(self):
        self.failures = []
        self.checks = 0

    def ok(self, cond, where, msg):
        self.checks += 1
        if not cond:
            self.failures.append(f"{where}: {msg}")
        return cond


def slugify(text):
    """cv_slugify: lower-case ASCII letters and digits, runs of anything else as one dash."""
    out = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return out[:64]


def utc_iso(seconds):
    return dt.datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def unfold(data):
    return data.replace(b"\r\n ", b"").replace(b"\r\n\t", b"")


def load_db(path):
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    db = {}
    db["programme"] = dict(con.execute("SELECT * FROM programme").fetchone())
    db["events"] = [dict(r) for r in con.execute("SELECT * FROM event ORDER BY id")]
    titles = {}
    for r in con.execute("SELECT event_id, lang, title FROM event_title"):
        titles.setdefault(r["event_id"], {})[r["lang"]] = r["title"]
    for e in db["events"]:
        e["titles"] = titles.get(e["id"], {})
    db["sessions"] = [dict(r) for r in con.execute("SELECT * FROM session ORDER BY id")]
    db["people"] = [dict(r) for r in con.execute("SELECT * FROM person ORDER BY id")]
    db["countries"] = {r["iso2"]: dict(r) for r in con.execute("SELECT * FROM country")}
    con.close()
    return db


def is_global(e):
    return not e["region"] or e["region"].lower() == "global"


def audience_match(e, p, region):
    """cv_audience_match: who an event invites."""
    if p["role"] in ("principal", "organizer"):
        return True
    terms = None
    if e.get("audience"):
        terms = [t.strip(" \t") for t in e["audience"].split(",")]
    elif e["kind"] == "regional-meeting":
        terms = ["region"]
    else:
        return True
    for t in terms:
        name, sep, v = t.partition(":")
        if not sep:
            if t == "all":
                return True
            if t == "region" and (
                is_global(e) or (region and e["region"] and region.lower() == e["region"].lower())
            ):
                return True
            continue
        if name == "region" and region and region.lower() == v.lower():
            return True
        if name == "country" and p["country"] == v:
            return True
        if name == "lang" and p["lang"] == v:
            return True
        if name == "role" and p["role"] == v:
            return True
        if name == "email" and p["email"].lower() == v.lower():
            return True
        # delegation:KIND needs the delegation table; not used by the tests
    return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("db")
    ap.add_argument("--icaljs", help="JSON lines written by check_icaljs.mjs")
    ap.add_argument("--now", default=os.environ.get("CONVENE_NOW"))
    ap.add_argument("--cancelled-days", type=int, default=30)
    try:
        args = ap.parse_args()
    except SystemExit:
        return 64
    c = Checker()
    root = os.path.realpath(args.dir)
    db = load_db(args.db)
    if args.now:
        now = int(dt.datetime.fromisoformat(args.now.replace("Z", "+00:00")).timestamp())
    else:
        now = int(dt.datetime.now(UTC).timestamp())
    langs = db["programme"]["languages"].split(",")
    first_lang = langs[0]
    events_by_uid = {e["uid"]: e for e in db["events"]}
    events_by_id = {e["id"]: e for e in db["events"]}
    sessions_by_uid = {s["uid"]: s for s in db["sessions"]}
    people_by_hash = {p["token_hash"]: p for p in db["people"] if p["token_hash"]}
    organizer = db["programme"]["organizer"]
    organizer_addr = organizer[7:].lower() if organizer.lower().startswith("mailto:") else ""

    def published(e):
        if not e["start_date"] or not e["end_date"]:
            return False
        if e["status"] != "cancelled":
            return True
        return now - e["revision"] <= args.cancelled_days * 86400

    pub_events = [e for e in db["events"] if published(e)]

    def with_sessions(evs):
        uids = {e["uid"] for e in evs}
        for s in db["sessions"]:
            e = events_by_id[s["event_id"]]
            if e["uid"] in uids and s["start_utc"] is not None:
                uids.add(s["uid"])
        return uids

    def title_in(e, lang):
        return e["titles"].get(lang, e["title"]) if lang != "en" else e["title"]

    # ---- index.json ------------------------------------------------------------------------
    with open(os.path.join(args.dir, "index.json"), "rb") as f:
        index = json.load(f)
    feeds = index.get("feeds", [])
    c.ok(len(feeds) > 0, "index.json", "lists no feed")
    listed = set()
    for ent in feeds:
        p = ent.get("path", "")
        where = f"index.json:{p}"
        full = os.path.realpath(os.path.join(args.dir, p))
        c.ok(not os.path.isabs(p) and ".." not in p.split("/") and full.startswith(root + os.sep),
             where, "path leaves the feed folder")
        c.ok(re.fullmatch(r"(private/[0-9a-f]{64}|[a-z0-9-]{1,120})\.ics", p) is not None, where,
             "file name is not a slug or a token hash")
        c.ok(p not in listed, where, "listed twice")
        listed.add(p)
        c.ok((ent.get("kind") == "private") == p.startswith("private/"), where,
             f"kind {ent.get('kind')!r} does not match the folder")
        c.ok(ent.get("kind") in ("programme", "region", "event", "private"), where,
             f"unknown kind {ent.get('kind')!r}")
        c.ok(ent.get("lang") in langs, where, f"lang {ent.get('lang')!r} not among {langs}")
    on_disk = set()
    for sub in ("", "private"):
        d = os.path.join(args.dir, sub)
        if os.path.isdir(d):
            on_disk |= {os.path.join(sub, n) if sub else n for n in os.listdir(d) if n.endswith(".ics")}
    # The index lists public feeds only: a private file's name is as good as its address to a
    # static server, so it must never appear there.
    public_on_disk = {p for p in on_disk if not p.startswith("private/")}
    c.ok(not any(p.startswith("private/") for p in listed), "index.json",
         "the index lists a private feed")
    c.ok(public_on_disk == listed, "index.json",
         f"public files on disk and in the index differ: not listed {sorted(public_on_disk - listed)}, "
         f"missing {sorted(listed - public_on_disk)}")
    want_private = {f"private/{h}.ics" for h in people_by_hash}
    have_private = {p for p in on_disk if p.startswith("private/")}
    c.ok(want_private == have_private, "private/",
         f"one feed per token expected: without a feed {sorted(want_private - have_private)}, "
         f"without a token {sorted(have_private - want_private)}")

    # Private feeds are checked too, from the folder (not from the index).
    for p in sorted(p for p in on_disk if p.startswith("private/")):
        person = people_by_hash.get(os.path.basename(p)[:-4])
        feeds.append({"path": p, "kind": "private", "lang": person["lang"] if person else None,
                      "_unlisted": True})

    # ---- every feed --------------------------------------------------------------------------
    py_times = {}  # (path, uid) -> (start, end) as the report strings
    feed_lang = {}
    secrets = [p["email"].lower().encode() for p in db["people"]]
    hashes = [h.encode() for h in people_by_hash]
    for ent in feeds:
        p = ent.get("path", "")
        fpath = os.path.join(args.dir, p)
        if not os.path.isfile(fpath):
            continue
        with open(fpath, "rb") as f:
            data = f.read()
        kind = ent.get("kind")
        lang = ent.get("lang")
        feed_lang[p] = lang
        if not ent.get("_unlisted"):
            c.ok(ent.get("bytes") == len(data), p,
                 f"index.json says {ent.get('bytes')} bytes, file has {len(data)}")
            c.ok(ent.get("etag") == '"' + hashlib.sha256(data).hexdigest() + '"', p,
                 "index.json's etag is not the quoted sha256 of the bytes")
        try:
            cal = icalendar.Calendar.from_ical(data)
        except Exception as ex:  # noqa: BLE001 - any exception is the finding
            c.ok(False, p, f"icalendar.Calendar.from_ical raised {type(ex).__name__}: {ex}")
            continue
        c.ok(cal.name == "VCALENDAR", p, f"top component is {cal.name}")
        for comp in cal.walk():
            c.ok(not comp.errors, p, f"{comp.name} {comp.get('UID', '')}: icalendar errors {comp.errors}")
        items = [s for s in cal.subcomponents if s.name in ("VEVENT", "VTODO", "VJOURNAL")]
        c.ok(ent.get("_unlisted") or ent.get("components") == len(items), p,
             f"index.json says {ent.get('components')} components, the file has {len(items)}")
        tzids = {str(s.get("TZID")) for s in cal.subcomponents if s.name == "VTIMEZONE"}

        uids = []
        for comp in items:
            uid = str(comp.get("UID", ""))
            uids.append(uid)
            w = f"{p}: {comp.name} {uid}"
            if comp.name != "VEVENT":
                continue
            start = comp.get("DTSTART")
            end = comp.get("DTEND")
            if not c.ok(start is not None and end is not None, w, "no DTSTART or DTEND"):
                continue
            stamp = comp.get("DTSTAMP")
            if kind != "private":
                c.ok(str(comp.get("CLASS", "")).upper() == "PUBLIC", w, "a public feed's VEVENT without CLASS:PUBLIC")
            if uid in events_by_uid:
                rev = events_by_uid[uid]["revision"]
            elif uid in sessions_by_uid:
                rev = max(sessions_by_uid[uid]["revision"], events_by_id[sessions_by_uid[uid]["event_id"]]["revision"])
            else:
                rev = None
            if rev is not None and c.ok(stamp is not None and type(stamp.dt) is dt.datetime and stamp.dt.tzinfo,
                                        w, "DTSTAMP missing or not in UTC"):
                c.ok(int(stamp.dt.timestamp()) == rev, w,
                     f"DTSTAMP {stamp.dt} is not the revision {utc_iso(rev)} (unchanged feeds must stay byte-identical)")
            if uid in events_by_uid:
                e = events_by_uid[uid]
                sd, ed = start.dt, end.dt
                if c.ok(type(sd) is dt.date and type(ed) is dt.date, w,
                        f"an event must be all-day (VALUE=DATE), got {sd!r} / {ed!r}"):
                    c.ok(sd.isoformat() == e["start_date"], w,
                         f"DTSTART {sd} is not start_date {e['start_date']}")
                    want_end = dt.date.fromisoformat(e["end_date"]) + dt.timedelta(days=1)
                    c.ok(ed == want_end, w, f"DTEND {ed} is not end_date + 1 = {want_end} (exclusive)")
                    py_times[(p, uid)] = (sd.isoformat(), ed.isoformat())
            elif uid in sessions_by_uid:
                s = sessions_by_uid[uid]
                e = events_by_id[s["event_id"]]
                got = []
                for name, prop, want in (("DTSTART", start, s["start_utc"]),
                                         ("DTEND", end, s["start_utc"] + s["minutes"] * 60)):
                    t = prop.dt
                    if not c.ok(type(t) is dt.datetime, w, f"{name} is not a date-time: {t!r}"):
                        break
                    if not c.ok(t.tzinfo is not None, w,
                                f"{name} is floating or its TZID {prop.params.get('TZID')} is unknown"):
                        break
                    tzid = prop.params.get("TZID")
                    c.ok(tzid is None or tzid in tzids, w, f"{name};TZID={tzid} has no VTIMEZONE")
                    c.ok(tzid is None or tzid == e["tzid"], w,
                         f"{name};TZID={tzid}, but the event's zone is {e['tzid']}")
                    inst = int(t.astimezone(UTC).timestamp())
                    c.ok(inst == want, w, f"{name} is {utc_iso(inst)} in UTC, the DB says {utc_iso(want)}")
                    if tzid:
                        local = t.replace(tzinfo=None).replace(tzinfo=zoneinfo.ZoneInfo(tzid))
                        zi = int(local.timestamp())
                        c.ok(zi == want, w,
                             f"{name} {t.replace(tzinfo=None)} in {tzid} is {utc_iso(zi)} by zoneinfo, "
                             f"the DB says {utc_iso(want)}")
                    got.append(utc_iso(inst))
                if len(got) == 2:
                    py_times[(p, uid)] = tuple(got)
            else:
                c.ok(False, w, "a VEVENT whose UID is neither an event nor a session in the DB")
        c.ok(len(uids) == len(set(uids)), p, "a UID appears twice")

        # Which UIDs each feed should hold.
        base = p[:-4]
        if lang != first_lang and base.endswith("-" + lang):
            base = base[: -len(lang) - 1]
        want = None
        if kind == "programme":
            want = {e["uid"] for e in pub_events}
        elif kind == "region":
            slug = base[len("region-"):]
            regions = {e["region"] for e in db["events"] if e["region"] and slugify(e["region"]) == slug}
            c.ok(len(regions) == 1, p, f"no region of the DB has the slug {slug!r}")
            want = {e["uid"] for e in pub_events if is_global(e) or e["region"] in regions}
        elif kind == "event":
            key = base[len("event-"):]
            evs = [e for e in db["events"] if e["key"] == key]
            if c.ok(len(evs) == 1, p, f"no event {key!r} in the DB"):
                want = with_sessions([e for e in evs if published(e)])
        if want is not None:
            got = set(uids)
            c.ok(got == want, p, f"UIDs differ from the DB: extra {sorted(got - want)}, missing {sorted(want - got)}")

        # Privacy.
        low = data.lower()
        flat = unfold(data).lower()
        if kind != "private":
            for needle in (b"attendee", b"mailto:", b"x-lic-"):
                c.ok(needle not in low and needle not in flat, p, f"a public feed contains {needle.decode()!r}")
            for s in secrets + hashes:
                c.ok(s not in low and s not in flat, p, f"a public feed contains {s.decode()!r}")
        else:
            h = os.path.basename(p)[:-4]
            person = people_by_hash.get(h)
            if not c.ok(person is not None, p, "no person's token_hash is this file's name"):
                continue
            c.ok(lang == person["lang"], p, f"index.json lang {lang} is not the person's {person['lang']}")
            addrs = set()
            for comp in items:
                att = comp.get("ATTENDEE")
                if att is None:
                    continue
                for a in att if isinstance(att, list) else [att]:
                    v = str(a)
                    c.ok(v.lower().startswith("mailto:"), p, f"ATTENDEE {v!r} is not a mailto: address")
                    addrs.add(v[7:].lower())
            c.ok(len(addrs) == 1, p, f"expected one ATTENDEE address, found {sorted(addrs)}")
            c.ok(addrs <= {person["email"].lower()}, p,
                 f"ATTENDEE {sorted(addrs)} is not {person['email']}, whose token names the file")
            for s in secrets:
                if s in (person["email"].lower().encode(), organizer_addr.encode()):
                    continue
                c.ok(s not in low and s not in flat, p, f"another person's address {s.decode()!r} is in it")
            region = (db["countries"].get(person["country"] or "") or {}).get("region")
            want = with_sessions([e for e in pub_events
                                  if person["role"] == "organizer" or audience_match(e, person, region)])
            got = {u for u, comp in zip(uids, items) if comp.name == "VEVENT"}
            c.ok(got == want, p, f"events differ from the audience rules: extra {sorted(got - want)}, "
                                 f"missing {sorted(want - got)}")
            todos = [comp for comp in items if comp.name == "VTODO"]
            if person["role"] != "organizer":
                c.ok(not todos, p, "a VTODO milestone in a feed that is not the office's")
            for t in todos:
                uid = str(t.get("UID"))
                parent = [str(r) for r in (t.get("RELATED-TO") if isinstance(t.get("RELATED-TO"), list)
                                           else [t.get("RELATED-TO")]) if r is not None]
                c.ok(any(r in events_by_uid for r in parent), p, f"VTODO {uid}: no RELATED-TO an event")
                due = t.get("DUE")
                ev = next((events_by_uid[r] for r in parent if r in events_by_uid), None)
                if c.ok(due is not None and type(due.dt) is dt.date, p, f"VTODO {uid}: DUE is not a date") and ev:
                    c.ok(due.dt.isoformat() < ev["start_date"], p,
                         f"VTODO {uid}: DUE {due.dt} is not before the event's start {ev['start_date']}")
                    py_times[(p, uid)] = (None, due.dt.isoformat())
            if person["role"] == "organizer":
                upcoming = [e for e in pub_events if e["status"] not in ("held", "cancelled")]
                c.ok(len(todos) == 6 * len(upcoming), p,
                     f"{len(todos)} VTODO milestones, expected 6 for each of {len(upcoming)} events to come")

    # ---- what ical.js read ---------------------------------------------------------------------
    if args.icaljs:
        people_by_hash_path = {f"private/{h}.ics": pp for h, pp in people_by_hash.items()}
        seen = set()
        with open(args.icaljs, encoding="utf-8") as f:
            recs = [json.loads(line) for line in f if line.strip()]
        for r in recs:
            p = r.get("file")
            w = f"{p}: {r.get('uid')} (ical.js)"
            if r["type"] == "error":
                c.ok(False, w, r["error"])
                continue
            if r["type"] == "calendar":
                seen.add(p)
                continue
            if p not in feed_lang:
                c.ok(False, w, "a file ical.js read that index.json does not list")
                continue
            lang = feed_lang[p]
            uid = r["uid"]
            if (p, uid) in py_times:
                c.ok((r["start"], r["end"]) == py_times[(p, uid)], w,
                     f"ical.js reads {r['start']} .. {r['end']}, icalendar {py_times[(p, uid)]}")
            if r["type"] == "vevent" and uid in events_by_uid:
                e = events_by_uid[uid]
                want = title_in(e, lang)
                c.ok(r["summary"] == want, w, f"SUMMARY {r['summary']!r} is not the {lang} title {want!r}")
                c.ok(r["sequence"] == e["sequence"], w, f"SEQUENCE {r['sequence']} is not the DB's {e['sequence']}")
                c.ok((r["status"] == "CANCELLED") == (e["status"] == "cancelled"), w,
                     f"STATUS {r['status']} for an event {e['status']}")
                if e["venue"]:
                    c.ok((r["location"] or "").startswith(e["venue"]), w,
                         f"LOCATION {r['location']!r} does not start with the venue {e['venue']!r}")
                if e["description"]:
                    c.ok((r["description"] or "").startswith(e["description"]), w,
                         f"DESCRIPTION does not start with the DB's text {e['description'][:60]!r}")
            elif r["type"] == "vevent" and uid in sessions_by_uid:
                s = sessions_by_uid[uid]
                c.ok(r["summary"] == s["title"], w, f"SUMMARY {r['summary']!r} is not the session's {s['title']!r}")
                c.ok(r["sequence"] == s["sequence"], w, f"SEQUENCE {r['sequence']} is not the DB's {s['sequence']}")
            elif r["type"] == "vtodo":
                ev = next((events_by_uid[x["uid"]] for x in r["related"] if x["uid"] in events_by_uid), None)
                c.ok(ev is not None and r["summary"].endswith(": " + ev["title"]), w,
                     f"VTODO SUMMARY {r['summary']!r} does not name its event")
            if p in people_by_hash_path and r["type"] == "vevent":
                pp = people_by_hash_path[p]
                c.ok(len(r["attendees"]) == 1, w, f"{len(r['attendees'])} ATTENDEEs, expected 1")
                for a in r["attendees"]:
                    c.ok(a["addr"].lower() == "mailto:" + pp["email"].lower(), w,
                         f"ATTENDEE {a['addr']!r} is not {pp['email']}")
                    c.ok(a["cn"] == pp["name"], w, f"ATTENDEE CN {a['cn']!r} is not the name {pp['name']!r}")
                c.ok(r["organizer"] is not None and r["organizer"].lower() == organizer.lower(), w,
                     f"ORGANIZER {r['organizer']!r} is not the programme's {organizer}")
        c.ok(seen == set(feed_lang), "ical.js",
             f"files not read by ical.js: {sorted(set(feed_lang) - seen)}")

    for line in c.failures:
        print(f"FAIL {line}")
    print(f"check_feeds: {len(feeds)} feeds, {c.checks} checks, {len(c.failures)} failed"
          + ("" if args.icaljs else " (text not compared: no --icaljs)"))
    return 1 if c.failures else 0


if __name__ == "__main__":
    sys.exit(main())
