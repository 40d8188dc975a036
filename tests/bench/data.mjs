// SPDX-License-Identifier: MIT
// data.mjs: loading gen.c's TSV for the JavaScript contenders, and what they share.
import fs from 'node:fs';

const unescape = (s) => (s.includes('\\') ? s.replace(/\\(.)/g, (m, c) => (c === 'n' ? '\n' : c === 't' ? '\t' : c)) : s);

// {n, dtstamp (seconds), rows: [{kind, uid, key, ekey, euid, tzid, start, end, status, seq,
//  summary, location, desc, url}]}
export function load(path) {
    const lines = fs.readFileSync(path, 'utf8').split('\n');
    const head = lines[0].split('\t');
    if (head[0] !== '#convene-bench')
        throw new Error(`${path}: not a file of gen`);
    const n = Number(head[1]);
    const rows = new Array(n);
    for (let i = 0; i < n; i++) {
        const f = lines[i + 1].split('\t').map(unescape);
        rows[i] = {
            kind: f[0], uid: f[1], key: f[2], ekey: f[3], euid: f[4], tzid: f[5], start: f[6],
            end: f[7], status: f[8], seq: Number(f[9]), summary: f[10], location: f[11],
            desc: f[12], url: f[13],
        };
    }
    return {n, dtstamp: Number(head[2]), rows};
}

// The VTIMEZONE blocks (CRLF text) by TZID.
export function vtimezones(path) {
    const text = fs.readFileSync(path, 'utf8');
    const out = {};
    for (const m of text.matchAll(/BEGIN:VTIMEZONE\r\n[\s\S]*?END:VTIMEZONE\r\n/g)) {
        const id = /\r\nTZID:([^\r]*)\r\n/.exec(m[0])[1];
        out[id] = m[0];
    }
    return out;
}

// The feed's DESCRIPTION: the text, then the link (convene repeats it for Thunderbird).
export const description = (r) => `${r.desc}\n\nSource: ${r.url}`;

// The day after an ISO date (DTEND of an all-day span is exclusive).
export function nextDay(iso) {
    const d = new Date(`${iso}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + 1);
    return d.toISOString().slice(0, 10);
}

export const now = () => Number(process.hrtime.bigint()) / 1e9;
