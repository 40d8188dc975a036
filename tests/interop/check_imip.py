# SPDX-License-Identifier: MIT
"""check_imip.py: audits every iMIP message convene wrote (RELIABILITY.md S11, INTEROP.md).

    check_imip.py [--icaljs JSONL] MAILDIR DB CALDIR

For each MAILDIR/*.eml, parsed by Python's email package: no defect; exactly the headers From,
To, Subject, Date, Message-ID, MIME-Version, Content-Type, in that order; multipart/mixed holding
multipart/alternative (text/plain, text/html, text/calendar) and an application/ics attachment
with the same bytes; method= equal to the calendar's METHOD, charset=UTF-8; encoded words that
decode to the stored values (the person's name, the event's title in their language, the
programme's name in their language, English where it has none, also in the text and the
ORGANIZER's CN); the Message-ID, envelope and SEQUENCE the outbox holds; Arabic HTML right to
left; CRLF lines of at most 998 octets. The calendar part is read by python3-icalendar
(ORGANIZER, ATTENDEE with CN, ROLE, PARTSTAT, RSVP=TRUE, LANGUAGE; what RFC 5546 requires) and
written to CALDIR for ical.js; --icaljs checks what ical.js read from it. Every kind the outbox
holds is checked alike: invitations, updates, cancellations, reminders (the REQUEST again, same
SEQUENCE, RSVP=TRUE) and DECLINECOUNTER (RFC 5546 3.2.8: the attendee's own PARTSTAT, no RSVP,
the SEQUENCE of the COUNTER refused). The summary counts the messages by method and by kind.
Prints one line per problem and a summary; exit 1 when any."""
import email
import email.policy
import json
import os
import sqlite3
import sys

import icalendar

WANT = ["From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type"]
problems = []


def bad(f, msg):
    problems.append(f"{f}: {msg}")


def main():
    args = sys.argv[1:]
    icaljs = None
    if args[:1] == ["--icaljs"]:
        icaljs = args[1]
        args = args[2:]
    maildir, dbpath, caldir = args
    db = sqlite3.connect(dbpath)
    outbox = {r[0]: r for r in db.execute(
        "SELECT message_id, recipient, sender, method, sequence, event_key, kind FROM outbox")}
    people = {r[0].lower(): r for r in db.execute("SELECT email, name, lang FROM person")}
    answers, sent = {}, {}
    for email_, key, partstat, seq_sent in db.execute(
            "SELECT p.email, e.key, i.partstat, i.sequence_sent FROM invitation i"
            " JOIN person p ON p.id = i.person_id JOIN event e ON e.id = i.event_id"):
        answers[(email_.lower(), key)] = partstat
        sent[(email_.lower(), key)] = seq_sent
    titles = {}
    for key, title in db.execute("SELECT key, title FROM event"):
        titles[(key, "en")] = title
    for key, lang, title in db.execute(
            "SELECT e.key, t.lang, t.title FROM event_title t JOIN event e ON e.id = t.event_id"):
        titles[(key, lang)] = title
    programme = db.execute("SELECT name, organizer FROM programme").fetchone()
    # The programme's name in each language; English where it has none (Arabic).
    programme_names = dict(db.execute("SELECT lang, name FROM programme_name"))
    os.makedirs(caldir, exist_ok=True)
    files = sorted(f for f in os.listdir(maildir) if f.endswith(".eml"))
    methods = {}
    kinds = {}
    checked = 0
    for f in files:
        raw = open(os.path.join(maildir, f), "rb").read()
        lines = raw.split(b"\r\n")
        if lines[-1] != b"":
            bad(f, "does not end in CRLF")
        for ln in lines:
            if b"\r" in ln or b"\n" in ln:
                bad(f, "a bare CR or LF")
                break
            if len(ln) > 998:
                bad(f, "a line over 998 octets")
                break
        m = email.message_from_bytes(raw, policy=email.policy.default)
        if m.defects:
            bad(f, f"defects: {m.defects}")
        names = list(m.keys())
        if names != WANT:
            bad(f, f"headers {names}")
        mid = str(m["Message-ID"]).strip()
        row = outbox.get(mid)
        if not row:
            bad(f, f"Message-ID {mid} is not in the outbox")
            continue
        _, rcpt, sender, method, sequence, event_key, kind = row
        if kind == "notice":
            continue
        methods[method] = methods.get(method, 0) + 1
        kinds[kind] = kinds.get(kind, 0) + 1
        want_file = {"CANCEL": "cancel.ics", "DECLINECOUNTER": "declinecounter.ics"}.get(
            method, "invite.ics")
        # A reminder is the request again: same SEQUENCE as last sent, an ID of its own a day.
        if kind == "reminder" and (method != "REQUEST" or ".reminder-" not in mid
                                   or sequence != sent.get((rcpt.lower(), event_key))):
            bad(f, f"reminder {mid}: method {method}, SEQUENCE {sequence} (last sent "
                   f"{sent.get((rcpt.lower(), event_key))})")
        if kind == "declinecounter" and (method != "DECLINECOUNTER" or ".dc-" not in mid):
            bad(f, f"declinecounter {mid}: method {method}")
        to = m["To"].addresses[0]
        frm = m["From"].addresses[0]
        if to.addr_spec.lower() != rcpt.lower():
            bad(f, f"To {to.addr_spec} is not the envelope recipient {rcpt}")
        if frm.addr_spec.lower() != sender.lower():
            bad(f, f"From {frm.addr_spec} is not the envelope sender {sender}")
        person = people.get(rcpt.lower())
        if not person:
            bad(f, f"{rcpt} is not a person")
            continue
        if to.display_name != person[1]:
            bad(f, f"To's name decodes to {to.display_name!r}, not {person[1]!r}")
        prog_name = programme_names.get(person[2], programme[0])
        if frm.display_name != prog_name:
            bad(f, f"From's name decodes to {frm.display_name!r}, not {prog_name!r}")
        title = titles.get((event_key, person[2])) or titles.get((event_key, "en"))
        # A DECLINECOUNTER's subject names the title inside the sentence, in every language.
        if not (str(m["Subject"]).endswith(title) if method != "DECLINECOUNTER"
                else title in str(m["Subject"])):
            bad(f, f"Subject {str(m['Subject'])!r} does not name the title {title!r}")
        if m.get_content_type() != "multipart/mixed":
            bad(f, f"top is {m.get_content_type()}")
            continue
        parts = m.get_payload()
        if [p.get_content_type() for p in parts] != ["multipart/alternative", "application/ics"]:
            bad(f, f"parts {[p.get_content_type() for p in parts]}")
            continue
        alt = parts[0].get_payload()
        if [p.get_content_type() for p in alt] != ["text/plain", "text/html", "text/calendar"]:
            bad(f, f"alternative parts {[p.get_content_type() for p in alt]}")
            continue
        calpart = alt[2]
        if calpart.get_param("method") != method or calpart.get_param("charset") != "UTF-8":
            bad(f, f"text/calendar params {calpart.get_params()}")
        cal_bytes = calpart.get_payload(decode=True)
        if parts[1].get_payload(decode=True) != cal_bytes:
            bad(f, "the attachment differs from the inline calendar")
        if parts[1].get_filename() != want_file:
            bad(f, f"attachment name {parts[1].get_filename()}")
        html = alt[1].get_content()
        text = alt[0].get_content()
        if person[2] == "ar" and 'dir="rtl"' not in html:
            bad(f, "Arabic HTML without dir=rtl")
        if "<script" in html.lower() or person[1] not in text:
            bad(f, "the texts do not name the person, or hold a script")
        if kind in ("invitation", "reminder", "declinecounter") and prog_name not in text:
            bad(f, f"the text does not name the programme as {prog_name!r}")
        try:
            cal = icalendar.Calendar.from_ical(cal_bytes)
        except Exception as e:  # noqa: BLE001 - any parse failure is the finding
            bad(f, f"icalendar: {e}")
            continue
        if str(cal.get("METHOD")) != method:
            bad(f, f"METHOD {cal.get('METHOD')} is not {method}")
        evs = [c for c in cal.walk() if c.name == "VEVENT"]
        if len(evs) != 1:
            bad(f, f"{len(evs)} VEVENTs")
            continue
        ev = evs[0]
        for prop in ("UID", "DTSTAMP", "DTSTART", "ORGANIZER", "SUMMARY", "SEQUENCE", "ATTENDEE"):
            if prop not in ev:
                bad(f, f"no {prop}")
        if "METHOD" in ev:
            bad(f, "METHOD inside VEVENT")
        if int(ev.get("SEQUENCE", -1)) != sequence:
            bad(f, f"SEQUENCE {ev.get('SEQUENCE')} is not {sequence}")
        if str(ev.get("ORGANIZER")).lower() != programme[1].lower():
            bad(f, f"ORGANIZER {ev.get('ORGANIZER')}")
        elif ev.get("ORGANIZER").params.get("CN") != prog_name:
            bad(f, f"ORGANIZER's CN {ev.get('ORGANIZER').params.get('CN')!r}, not {prog_name!r}")
        att = ev.get("ATTENDEE")
        if isinstance(att, list) or str(att).lower() != "mailto:" + rcpt.lower():
            bad(f, f"ATTENDEE {att} is not the one recipient")
        else:
            p = att.params
            want = {"ROLE", "PARTSTAT", "CN", "LANGUAGE"} | ({"RSVP"} if method == "REQUEST" else set())
            if not want <= set(p):
                bad(f, f"ATTENDEE lacks {want - set(p)}")
            if method == "REQUEST" and p.get("RSVP") != "TRUE":
                bad(f, "ATTENDEE without RSVP=TRUE")
            # A DECLINECOUNTER leaves the attendee's answer as it is; the others ask for one.
            want_ps = (answers.get((rcpt.lower(), event_key), "NEEDS-ACTION")
                       if method == "DECLINECOUNTER" else "NEEDS-ACTION")
            if p.get("PARTSTAT") != want_ps:
                bad(f, f"PARTSTAT {p.get('PARTSTAT')}, not {want_ps}")
            if method != "REQUEST" and "RSVP" in p:
                bad(f, f"RSVP on a {method}")
        if method == "CANCEL" and str(ev.get("STATUS")) != "CANCELLED":
            bad(f, "CANCEL without STATUS:CANCELLED")
        with open(os.path.join(caldir, f[:-4] + ".ics"), "wb") as out:
            out.write(cal_bytes)
        checked += 1
    if icaljs:
        seen = 0
        for line in open(icaljs, encoding="utf-8"):
            r = json.loads(line)
            if r["type"] == "error":
                bad(r["file"], f"ical.js: {r['error']}")
            elif r["type"] == "vevent":
                seen += 1
                if not r.get("attendees") or not r.get("organizer"):
                    bad(r["file"], "ical.js reads no ATTENDEE or ORGANIZER")
        if seen != checked:
            bad(icaljs, f"ical.js read {seen} events of {checked}")
    for p in problems:
        print(p)
    print(f"{checked} messages checked ({', '.join(f'{k} {v}' for k, v in sorted(methods.items()))}; "
          f"{', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))}), {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
