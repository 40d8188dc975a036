// SPDX-License-Identifier: MIT
// check.mjs: are the contenders' feeds the same programme? Parses each with ical.js and compares
// it with the generated data: VEVENT count, UIDs, starts and ends (errors: such a file gives no
// result), then the unescaped SUMMARY, LOCATION and DESCRIPTION (text differences, reported) and
// the line rules of RFC 5545 (CRLF, 75 octets, folds between UTF-8 characters; reported).
//   node check.mjs DATA.tsv NAME=FILE.ics...
// Prints one JSON object per file; exits 1 when any file has an error.
import fs from 'node:fs';

import ICAL from 'ical.js';

import {description, load, nextDay} from './data.mjs';

const [dataPath, ...files] = process.argv.slice(2);
const data = load(dataPath);
const expected = new Map();
for (const r of data.rows) {
    const timed = r.kind !== 'E';
    expected.set(r.uid, {
        start: timed ? Number(r.start) : r.start,
        end: timed ? Number(r.start) + 60 * Number(r.end) : nextDay(r.end),
        summary: r.summary, location: r.location, description: description(r),
    });
}

// Line rules, on the bytes.
function lines(buf) {
    let over = 0, maxLine = 0, bareLf = 0, splitChar = 0, start = 0;
    for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, start)) {
        const cr = i > start && buf[i - 1] === 13;
        if (!cr)
            bareLf++;
        const len = i - start - (cr ? 1 : 0);
        if (len > maxLine)
            maxLine = len;
        if (len > 75)
            over++;
        // A continuation line that starts with a UTF-8 continuation byte: the fold split a character.
        if (buf[start] === 32 && start + 1 < i && (buf[start + 1] & 0xc0) === 0x80)
            splitChar++;
        start = i + 1;
    }
    return {lines_over_75: over, longest_line: maxLine, bare_lf: bareLf, split_chars: splitChar,
        final_crlf: buf.length >= 2 && buf[buf.length - 2] === 13 && buf[buf.length - 1] === 10};
}

const when = (v, name) => {
    const t = v.getFirstPropertyValue(name);
    if (!t)
        return null;
    return t.isDate ? t.toString() : t.toUnixTime();
};

let failed = false;
for (const arg of files) {
    const eq = arg.indexOf('=');
    const name = arg.slice(0, eq), file = arg.slice(eq + 1);
    const res = {name, file, events: 0, errors: [], text_differences: 0, example: null};
    const err = (m) => {
        if (res.errors.length < 5)
            res.errors.push(m);
        else
            res.errors[5] = '...';
    };
    try {
        const buf = fs.readFileSync(file);
        Object.assign(res, lines(buf));
        const cal = new ICAL.Component(ICAL.parse(buf.toString('utf8')));
        const seen = new Set();
        for (const v of cal.getAllSubcomponents('vevent')) {
            res.events++;
            const uid = v.getFirstPropertyValue('uid');
            const x = expected.get(uid);
            if (!x) {
                err(`unknown UID ${uid}`);
                continue;
            }
            if (seen.has(uid))
                err(`UID ${uid} twice`);
            seen.add(uid);
            const s = when(v, 'dtstart'), e = when(v, 'dtend');
            if (s !== x.start || e !== x.end)
                err(`${uid}: ${s}..${e}, expected ${x.start}..${x.end}`);
            for (const p of ['summary', 'location', 'description']) {
                const got = v.getFirstPropertyValue(p);
                if (got !== x[p]) {
                    res.text_differences++;
                    res.example ??= {uid, property: p, got, expected: x[p]};
                }
            }
        }
        if (res.events !== data.n)
            err(`${res.events} VEVENTs, expected ${data.n}`);
        if (seen.size !== data.n)
            err(`${seen.size} distinct UIDs, expected ${data.n}`);
    } catch (e) {
        err(`ical.js could not read it: ${e.message}`);
    }
    if (res.errors.length)
        failed = true;
    process.stdout.write(JSON.stringify(res) + '\n');
}
process.exit(failed ? 1 : 0);
