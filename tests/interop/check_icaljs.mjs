// SPDX-License-Identifier: MIT
// check_icaljs.mjs: read every feed convene published the way Thunderbird does, with ical.js.
//
//   node check_icaljs.mjs DIR            every DIR/*.ics and DIR/private/*.ics
//   node check_icaljs.mjs DIR FILE...    only these files (paths relative to DIR)
//
// Prints one JSON object per line:
//   {"type":"calendar","file":..., "name":..., "calname":..., "props":N, "components":{...}}
//   {"type":"vevent"|"vtodo","file":..., "uid":..., "summary":..., "start":..., "end":...,
//    "sequence":N, "dtstamp":..., "last_modified":..., "status":..., "location":...,
//    "description":..., "url":..., "props":N,
//    "attendees":[{"addr":...,"cn":...}], "organizer":..., "related":[...]}
//   {"type":"error","file":..., "uid":..., "error":...}
// start/end: YYYY-MM-DD for all-day values (DTEND exclusive, as written), an ISO instant in UTC
// (YYYY-MM-DDTHH:MM:SSZ) for timed ones, computed from the file's own VTIMEZONE.
// Exit 0 when every file parsed and every timed value resolved its TZID, 1 otherwise, 64 on usage.
import fs from 'node:fs';
import path from 'node:path';

import ICAL from 'ical.js';

const args = process.argv.slice(2);
if (args.length < 1) {
    process.stderr.write('usage: node check_icaljs.mjs DIR [FILE...]\n');
    process.exit(64);
}
const dir = args[0];
let files = args.slice(1);
if (files.length === 0) {
    const list = (sub) => {
        const d = path.join(dir, sub);
        if (!fs.existsSync(d))
            return [];
        return fs.readdirSync(d).filter((f) => f.endsWith('.ics')).sort().map((f) => sub ? `${sub}/${f}` : f);
    };
    files = [...list(''), ...list('private')];
}

let failures = 0;
const out = (obj) => process.stdout.write(JSON.stringify(obj) + '\n');
const fail = (file, uid, error) => {
    failures++;
    out({type: 'error', file, uid, error});
};

// A DATE or DATE-TIME property as the report writes it; null when absent.
function when(file, comp, name, uid) {
    const prop = comp.getFirstProperty(name);
    if (!prop)
        return null;
    const t = prop.getFirstValue();
    if (!t || typeof t.isDate !== 'boolean') {
        fail(file, uid, `${name} is not a date or date-time`);
        return null;
    }
    if (t.isDate)
        return t.toString();
    const tzid = prop.getParameter('tzid');
    if (tzid) {
        // ical.js silently falls back to floating time when the VTIMEZONE is missing.
        if (!ICAL.TimezoneService.has(tzid) || !t.zone || t.zone.tzid !== tzid)
            fail(file, uid, `${name};TZID=${tzid} has no VTIMEZONE in the file`);
    } else if (!t.zone || t.zone.tzid !== 'UTC') {
        fail(file, uid, `${name} is a floating time (no TZID, no Z)`);
    }
    const u = t.convertToZone(ICAL.Timezone.utcTimezone);
    return u.toString().replace(/Z?$/, 'Z');
}

function text(comp, name) {
    const v = comp.getFirstPropertyValue(name);
    return v === null || v === undefined ? null : String(v);
}

for (const file of files) {
    let source;
    try {
        // fatal: a byte sequence that is not UTF-8 is an error, not a replacement character.
        source = new TextDecoder('utf-8', {fatal: true}).decode(fs.readFileSync(path.join(dir, file)));
    } catch (e) {
        fail(file, null, `not readable as UTF-8: ${e.message}`);
        continue;
    }
    let cal;
    try {
        cal = new ICAL.Component(ICAL.parse(source));
    } catch (e) {
        fail(file, null, `ICAL.parse: ${e.message}`);
        continue;
    }
    if (cal.name !== 'vcalendar') {
        fail(file, null, `the top component is ${cal.name}, not vcalendar`);
        continue;
    }
    // Each file brings its own zones, cut to its own dates: never reuse another file's.
    ICAL.TimezoneService.reset();
    for (const tz of cal.getAllSubcomponents('vtimezone')) {
        try {
            ICAL.TimezoneService.register(tz);
        } catch (e) {
            fail(file, null, `VTIMEZONE ${tz.getFirstPropertyValue('tzid')}: ${e.message}`);
        }
    }
    const counts = {};
    for (const c of cal.getAllSubcomponents())
        counts[c.name.toUpperCase()] = (counts[c.name.toUpperCase()] || 0) + 1;
    out({
        type: 'calendar',
        file,
        name: text(cal, 'name'),
        calname: text(cal, 'x-wr-calname'),
        props: cal.getAllProperties().length,
        components: counts,
    });
    for (const c of cal.getAllSubcomponents()) {
        if (c.name !== 'vevent' && c.name !== 'vtodo')
            continue;
        const uid = text(c, 'uid');
        if (!uid)
            fail(file, null, `a ${c.name.toUpperCase()} without UID`);
        let start, end;
        try {
            if (c.name === 'vevent') {
                const ev = new ICAL.Event(c);
                start = when(file, c, 'dtstart', uid);
                end = c.hasProperty('dtend') ? when(file, c, 'dtend', uid)
                    : ev.endDate.convertToZone(ICAL.Timezone.utcTimezone).toString();
            } else {
                start = when(file, c, 'dtstart', uid);
                end = when(file, c, 'due', uid);
            }
        } catch (e) {
            fail(file, uid, `reading the dates: ${e.message}`);
        }
        const seq = c.getFirstPropertyValue('sequence');
        out({
            type: c.name,
            file,
            uid,
            summary: text(c, 'summary'),
            start,
            end,
            sequence: seq === null ? null : Number(seq),
            dtstamp: c.hasProperty('dtstamp') ? c.getFirstPropertyValue('dtstamp').toString() : null,
            last_modified: c.hasProperty('last-modified') ? c.getFirstPropertyValue('last-modified').toString() : null,
            status: text(c, 'status'),
            location: text(c, 'location'),
            description: text(c, 'description'),
            url: text(c, 'url'),
            props: c.getAllProperties().length,
            attendees: c.getAllProperties('attendee').map((p) => ({
                addr: String(p.getFirstValue()),
                cn: p.getParameter('cn') === undefined ? null : p.getParameter('cn'),
            })),
            organizer: c.hasProperty('organizer') ? String(c.getFirstPropertyValue('organizer')) : null,
            related: c.getAllProperties('related-to').map((p) => ({
                reltype: p.getParameter('reltype') || 'PARENT',
                uid: String(p.getFirstValue()),
            })),
        });
    }
}
const version = JSON.parse(fs.readFileSync(new URL('./node_modules/ical.js/package.json', import.meta.url))).version;
process.stderr.write(`check_icaljs: ${files.length} files read with ical.js ${version}, ${failures} problems\n`);
process.exit(failures ? 1 : 0);
