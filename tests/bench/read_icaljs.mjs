// SPDX-License-Identifier: MIT
// read_icaljs.mjs: the ical.js contender for importing: ICAL.parse(), then each VEVENT's UID,
// start (resolved through the file's VTIMEZONE), SUMMARY and DESCRIPTION.
//   node read_icaljs.mjs FILE.ics
import fs from 'node:fs';

import ICAL from 'ical.js';

import {now} from './data.mjs';

const text = fs.readFileSync(process.argv[2], 'utf8');
const t0 = now();
const cal = new ICAL.Component(ICAL.parse(text));
let n = 0, uidlen = 0, textlen = 0;
for (const v of cal.getAllSubcomponents('vevent')) {
    const start = v.getFirstPropertyValue('dtstart');
    if (!start.isDate)
        start.toUnixTime();
    uidlen += Buffer.byteLength(v.getFirstPropertyValue('uid'));
    textlen += Buffer.byteLength(v.getFirstPropertyValue('summary') || '') +
        Buffer.byteLength(v.getFirstPropertyValue('description') || '');
    n++;
}
process.stdout.write(`events ${n} work ${(now() - t0).toFixed(6)} uidlen ${uidlen} textlen ${textlen}\n`);
