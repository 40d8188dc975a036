// SPDX-License-Identifier: MIT
// write_icaljs.mjs: the ical.js contender for publishing: builds the components (times converted
// with ical.js's own Timezone from the VTIMEZONEs) and serialises them with toString().
//   node write_icaljs.mjs DATA.tsv VTIMEZONES.ics OUT.ics
import fs from 'node:fs';

import ICAL from 'ical.js';

import {description, load, nextDay, now} from './data.mjs';

const [dataPath, vtzPath, outPath] = process.argv.slice(2);
const data = load(dataPath);
const vtzText = fs.readFileSync(vtzPath, 'utf8');

const t0 = now();
const cal = new ICAL.Component(['vcalendar', [], []]);
cal.addPropertyWithValue('version', '2.0');
cal.addPropertyWithValue('prodid', '-//convene//bench ical.js//EN');
cal.addPropertyWithValue('calscale', 'GREGORIAN');
cal.addPropertyWithValue('name', 'Benchmark programme');
cal.addPropertyWithValue('x-wr-calname', 'Benchmark programme');
cal.addPropertyWithValue('refresh-interval', 'PT12H').setParameter('value', 'DURATION');
cal.addPropertyWithValue('x-published-ttl', 'PT12H');
cal.addPropertyWithValue('url', 'https://ogp.example.org/feeds/programme.ics').setParameter('value', 'URI');

const zones = {};
const tzcal = new ICAL.Component(ICAL.parse(`BEGIN:VCALENDAR\r\n${vtzText}END:VCALENDAR\r\n`));
for (const vtz of tzcal.getAllSubcomponents('vtimezone')) {
    tzcal.removeSubcomponent(vtz);
    cal.addSubcomponent(vtz);
    zones[vtz.getFirstPropertyValue('tzid')] = new ICAL.Timezone(vtz);
}

const stamp = ICAL.Time.fromJSDate(new Date(data.dtstamp * 1000), true);
let parent = null;
for (const r of data.rows) {
    const v = new ICAL.Component('vevent');
    v.addPropertyWithValue('uid', r.uid);
    v.addPropertyWithValue('dtstamp', stamp);
    v.addPropertyWithValue('last-modified', stamp);
    v.addPropertyWithValue('sequence', r.seq);
    if (r.kind === 'E') {
        parent = r.uid;
        v.addPropertyWithValue('dtstart', ICAL.Time.fromDateString(r.start));
        v.addPropertyWithValue('dtend', ICAL.Time.fromDateString(nextDay(r.end)));
    } else {
        const zone = zones[r.tzid];
        const start = Number(r.start);
        const times = [start, start + 60 * Number(r.end)];
        ['dtstart', 'dtend'].forEach((name, k) => {
            const t = ICAL.Time.fromJSDate(new Date(times[k] * 1000), true).convertToZone(zone);
            const p = new ICAL.Property(name);
            p.setParameter('tzid', r.tzid);
            p.setValue(t);
            v.addProperty(p);
        });
    }
    v.addPropertyWithValue('summary', r.summary);
    v.addPropertyWithValue('location', r.location);
    v.addPropertyWithValue('status', r.status);
    v.addPropertyWithValue('class', 'PUBLIC');
    v.addPropertyWithValue('transp', 'OPAQUE');
    if (r.kind !== 'E')
        v.addPropertyWithValue('related-to', parent).setParameter('reltype', 'PARENT');
    v.addPropertyWithValue('description', description(r));
    v.addPropertyWithValue('url', r.url);
    cal.addSubcomponent(v);
}
const text = cal.toString();
fs.writeFileSync(outPath, text);
process.stdout.write(`events ${data.n} work ${(now() - t0).toFixed(6)} bytes ${Buffer.byteLength(text)}\n`);
