# SPDX-License-Identifier: MIT
# bench_py.py: the python3-icalendar contender (Debian's 4.0.3, run with /usr/bin/python3).
#   bench_py.py write DATA.tsv VTIMEZONES.ics OUT.ics    build the calendar, to_ical(), write
#   bench_py.py read FILE.ics                            Calendar.from_ical(), walk the VEVENTs
# Prints "events N work SECONDS ..." like the other contenders.
import datetime as dt
import sys
import time

import pytz
from icalendar import Calendar, Event


def unescape(s):
    if '\\' not in s:
        return s
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == '\\' and i + 1 < len(s):
            i += 1
            c = {'n': '\n', 't': '\t'}.get(s[i], s[i])
        out.append(c)
        i += 1
    return ''.join(out)


def load(path):
    with open(path, encoding='utf-8') as f:
        head = f.readline().rstrip('\n').split('\t')
        if head[0] != '#convene-bench':
            sys.exit(f'{path}: not a file of gen')
        rows = [[unescape(x) for x in line.rstrip('\n').split('\t')] for line in f]
    return int(head[2]), rows


def write(data_path, vtz_path, out_path):
    dtstamp, rows = load(data_path)
    with open(vtz_path, encoding='utf-8') as f:
        vtz = f.read()
    t0 = time.monotonic()
    cal = Calendar()
    cal.add('version', '2.0')
    cal.add('prodid', '-//convene//bench python3-icalendar//EN')
    cal.add('calscale', 'GREGORIAN')
    cal.add('name', 'Benchmark programme')
    cal.add('x-wr-calname', 'Benchmark programme')
    cal.add('refresh-interval', 'PT12H', parameters={'VALUE': 'DURATION'})
    cal.add('x-published-ttl', 'PT12H')
    cal.add('url', 'https://ogp.example.org/feeds/programme.ics', parameters={'VALUE': 'URI'})
    for c in Calendar.from_ical('BEGIN:VCALENDAR\r\n' + vtz + 'END:VCALENDAR\r\n').subcomponents:
        cal.add_component(c)
    stamp = dt.datetime.fromtimestamp(dtstamp, pytz.utc)
    zones = {}
    parent = None
    for (kind, uid, key, ekey, euid, tzid, start, end, status, seq, summary, location, desc,
         url) in rows:
        e = Event()
        e.add('uid', uid)
        e.add('dtstamp', stamp)
        e.add('last-modified', stamp)
        e.add('sequence', int(seq))
        if kind == 'E':
            parent = uid
            e.add('dtstart', dt.date.fromisoformat(start))
            e.add('dtend', dt.date.fromisoformat(end) + dt.timedelta(days=1))
        else:
            tz = zones.get(tzid) or zones.setdefault(tzid, pytz.timezone(tzid))
            s = int(start)
            e.add('dtstart', dt.datetime.fromtimestamp(s, tz))
            e.add('dtend', dt.datetime.fromtimestamp(s + 60 * int(end), tz))
        e.add('summary', summary)
        e.add('location', location)
        e.add('status', status)
        e.add('class', 'PUBLIC')
        e.add('transp', 'OPAQUE')
        if kind != 'E':
            e.add('related-to', parent, parameters={'RELTYPE': 'PARENT'})
        e.add('description', f'{desc}\n\nSource: {url}')
        e.add('url', url)
        cal.add_component(e)
    data = cal.to_ical()
    with open(out_path, 'wb') as f:
        f.write(data)
    print(f'events {len(rows)} work {time.monotonic() - t0:.6f} bytes {len(data)}')


def read(path):
    with open(path, 'rb') as f:
        data = f.read()
    t0 = time.monotonic()
    cal = Calendar.from_ical(data)
    n = uidlen = textlen = 0
    for c in cal.walk('VEVENT'):
        c.decoded('DTSTART')
        uidlen += len(str(c.get('UID')).encode())
        textlen += len(str(c.get('SUMMARY', '')).encode()) + len(str(c.get('DESCRIPTION', '')).encode())
        n += 1
    print(f'events {n} work {time.monotonic() - t0:.6f} uidlen {uidlen} textlen {textlen}')


if __name__ == '__main__':
    if len(sys.argv) == 5 and sys.argv[1] == 'write':
        write(*sys.argv[2:])
    elif len(sys.argv) == 3 and sys.argv[1] == 'read':
        read(sys.argv[2])
    else:
        sys.exit('usage: bench_py.py write DATA.tsv VTIMEZONES.ics OUT.ics | read FILE.ics')
