// SPDX-License-Identifier: MIT
// write_icalgen.mjs: the ical-generator contender for publishing. ical-generator has no zone
// data: times go in as local wall-clock strings (converted here with Intl, memoised per zone and
// UTC hour) and the VTIMEZONEs come from its `generator` hook, fed with the ones convene wrote.
//   TZ=UTC node write_icalgen.mjs DATA.tsv VTIMEZONES.ics OUT.ics
import fs from 'node:fs';

import ical from 'ical-generator';

import {description, load, nextDay, now, vtimezones} from './data.mjs';

const [dataPath, vtzPath, outPath] = process.argv.slice(2);
if (process.env.TZ !== 'UTC')
    throw new Error('run with TZ=UTC: ical-generator reads wall-clock strings in the process zone');
const data = load(dataPath);
const vtz = vtimezones(vtzPath);

const t0 = now();
const formats = new Map();
const offsets = new Map();
// Local "YYYY-MM-DDTHH:MM:SS" of @sec in @tz.
function local(tz, sec) {
    const hour = Math.floor(sec / 3600);
    const key = `${tz}|${hour}`;
    let off = offsets.get(key);
    if (off === undefined) {
        let f = formats.get(tz);
        if (!f) {
            f = new Intl.DateTimeFormat('en-US', {
                timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
                hour: 'numeric', minute: 'numeric', second: 'numeric',
            });
            formats.set(tz, f);
        }
        const p = {};
        for (const part of f.formatToParts(new Date(hour * 3600 * 1000)))
            p[part.type] = Number(part.value);
        off = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) / 1000 - hour * 3600;
        offsets.set(key, off);
    }
    return new Date((sec + off) * 1000).toISOString().slice(0, 19);
}

const cal = ical({
    name: 'Benchmark programme',
    prodId: '//convene//bench ical-generator//EN',
    url: 'https://ogp.example.org/feeds/programme.ics',
    scale: 'GREGORIAN',
    ttl: 12 * 3600,
    timezone: {name: null, generator: (tz) => vtz[tz]},
});
const stamp = new Date(data.dtstamp * 1000);
let parent = null;
for (const r of data.rows) {
    const ev = {
        id: r.uid,
        sequence: r.seq,
        stamp,
        lastModified: stamp,
        summary: r.summary,
        location: r.location,
        description: description(r),
        status: r.status,
        class: 'PUBLIC',
        transparency: 'OPAQUE',
        url: r.url,
    };
    if (r.kind === 'E') {
        parent = r.uid;
        ev.allDay = true;
        ev.start = r.start;
        ev.end = nextDay(r.end);
    } else {
        const start = Number(r.start);
        ev.timezone = r.tzid;
        ev.start = local(r.tzid, start);
        ev.end = local(r.tzid, start + 60 * Number(r.end));
        // x() takes only X- names one by one; the list form writes any name as given.
        ev.x = [['RELATED-TO;RELTYPE=PARENT', parent]];
    }
    cal.createEvent(ev);
}
const text = cal.toString();
fs.writeFileSync(outPath, text);
process.stdout.write(`events ${data.n} work ${(now() - t0).toFixed(6)} bytes ${Buffer.byteLength(text)}\n`);
