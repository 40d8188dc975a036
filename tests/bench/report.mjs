// SPDX-License-Identifier: MIT
// report.mjs: turns the runs (raw.tsv) and the checks (checks.jsonl) into the table: medians,
// peak memory, ratios to convene, the goals, and what each figure does and does not compare.
//   node report.mjs RAW.tsv CHECKS.jsonl OUT.md      (environment: BENCH_ROOT, BENCH_BUILD, ...)
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const [rawPath, checksPath, mdPath] = process.argv.slice(2);
const here = path.dirname(fileURLToPath(import.meta.url));

const sh = (cmd, args) => {
    try {
        return execFileSync(cmd, args, {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']}).trim();
    } catch {
        return '?';
    }
};
const pkg = (name) => {
    try {
        return JSON.parse(fs.readFileSync(path.join(here, 'node_modules', name, 'package.json'))).version;
    } catch {
        return '?';
    }
};
function buildtype() {
    try {
        const opts = JSON.parse(fs.readFileSync(path.join(process.env.BENCH_BUILD, 'meson-info', 'intro-buildoptions.json')));
        const get = (n) => opts.find((o) => o.name === n)?.value;
        return `${get('buildtype')} (-O${get('optimization')}), b_sanitize=${get('b_sanitize')}`;
    } catch {
        return '?';
    }
}
const py = process.env.BENCH_PYTHON || '/usr/bin/python3';
const env = {
    cpu: (fs.readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) || [])[1] || '?',
    cores: sh('nproc', []),
    mem: `${Math.round(Number((fs.readFileSync('/proc/meminfo', 'utf8').match(/MemTotal:\s*(\d+)/) || [0, 0])[1]) / 1048576)} GiB`,
    convene: (fs.readFileSync(path.join(process.env.BENCH_ROOT, 'meson.build'), 'utf8').match(/version: '([^']*)'/) || [])[1],
    build: buildtype(),
    libical: sh('pkg-config', ['--modversion', 'libical']),
    cc: sh(process.env.BENCH_CC || 'cc', ['--version']).split('\n')[0],
    node: process.version,
    icaljs: pkg('ical.js'),
    icalgen: pkg('ical-generator'),
    python: sh(py, ['-c', 'import sys; print(sys.version.split()[0])']),
    icalendar: sh(py, ['-c', 'import icalendar; print(icalendar.__version__)']),
    date: new Date().toISOString().slice(0, 10),
};

// ---- the runs ----
const groups = new Map();
for (const line of fs.readFileSync(rawPath, 'utf8').split('\n')) {
    if (!line)
        continue;
    const [size, task, name, run, wall, rss, status, out, why] = line.split('\t');
    const key = `${size}\t${task}\t${name}`;
    if (!groups.has(key))
        groups.set(key, {size: Number(size), task, name, runs: []});
    const kv = {};
    const w = (out || '').split(' ');
    for (let i = 0; i + 1 < w.length; i += 2)
        kv[w[i]] = Number(w[i + 1]);
    groups.get(key).runs.push({wall: Number(wall), rss: Number(rss), status, why, ...kv});
}
const checks = fs.existsSync(checksPath)
    ? fs.readFileSync(checksPath, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];

const median = (a) => {
    const s = [...a].sort((x, y) => x - y);
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const taskOrder = ['write', 'read-feed', 'read-programme'];
const taskName = {write: 'publish', 'read-feed': 'import feed', 'read-programme': 'import programme'};

const rows = [];
for (const g of groups.values()) {
    const ok = g.runs.filter((r) => r.status === '0');
    const bad = g.runs.find((r) => r.status !== '0');
    const row = {size: g.size, task: g.task, name: g.name, runs: ok.length, notes: [], error: null};
    if (bad)
        row.error = bad.status === 'timeout' ? `timeout after ${process.env.BENCH_TIMEOUT || 600} s`
            : `failed (exit ${bad.status})${bad.why ? `: ${bad.why.trim()}` : ''}`;
    if (ok.length) {
        row.wall = median(ok.map((r) => r.wall));
        row.work = median(ok.map((r) => r.work));
        row.mib = Math.max(...ok.map((r) => r.rss)) / 1024;
        row.events = ok[0].events;
        row.uidlen = ok[0].uidlen;
        row.textlen = ok[0].textlen;
        row.lint = g.name === 'convene+lint' ? median(ok.map((r) => r.lint)) : undefined;
        if (row.events !== g.size)
            row.error = `${row.events} events, expected ${g.size}`;
    }
    rows.push(row);
}

// Writers: the ical.js check of each feed.
for (const r of rows.filter((x) => x.task === 'write')) {
    const c = checks.find((x) => x.size === r.size && x.name === r.name && 'events' in x);
    if (checks.some((x) => x.size === r.size && x.name === r.name && x.identical_to_convene))
        r.notes.push('byte-identical to convene');
    if (!c) {
        if (!r.error)
            r.notes.push('not checked (no node)');
        continue;
    }
    if (c.errors.length)
        r.error = `not the same programme: ${c.errors.slice(0, 2).join('; ')}`;
    if (c.text_differences) {
        const e = c.example;
        const show = (s) => JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
        r.notes.push(`${c.text_differences} text values differ from the data (e.g. ${e.property.toUpperCase()} ${show(e.got)} for ${show(e.expected)})`);
    }
    if (c.lines_over_75)
        r.notes.push(`${c.lines_over_75} lines over 75 octets (longest ${c.longest_line})`);
    if (c.split_chars)
        r.notes.push(`${c.split_chars} folds inside a UTF-8 character`);
    if (c.bare_lf)
        r.notes.push(`${c.bare_lf} bare LF`);
    if (!c.final_crlf)
        r.notes.push('no final CRLF');
}
// Readers: the same events as ical.js read, and the same text?
for (const r of rows.filter((x) => x.task !== 'write' && !x.error)) {
    const ref = rows.find((x) => x.size === r.size && x.task === r.task && x.name === 'ical.js' && !x.error);
    if (r.uidlen !== 36 * r.size)
        r.error = `UIDs of ${r.uidlen} octets, expected ${36 * r.size}`;
    else if (ref && r !== ref && r.textlen !== ref.textlen)
        r.notes.push(`SUMMARY+DESCRIPTION ${r.textlen - ref.textlen > 0 ? '+' : ''}${r.textlen - ref.textlen} octets against ical.js`);
}
const convene = (r) => rows.find((x) => x.size === r.size && x.task === r.task && x.name === 'convene' && !x.error);
for (const r of rows) {
    const c = convene(r);
    if (c && !r.error) {
        r.xwall = r.wall / c.wall;
        r.xwork = r.work / c.work;
    }
}
rows.sort((a, b) => a.size - b.size || taskOrder.indexOf(a.task) - taskOrder.indexOf(b.task));

// ---- output ----
const f3 = (x) => (x === undefined ? '—' : x < 0.0995 ? x.toFixed(4) : x < 9.95 ? x.toFixed(3) : x.toFixed(1));
const fx = (x) => (x === undefined ? '—' : `${x.toFixed(2)}×`);
const fm = (x) => (x === undefined ? '—' : x.toFixed(0));
const fmtN = (n) => n.toLocaleString('en-US');
const cells = (r) => r.error
    ? [fmtN(r.size), taskName[r.task], r.name, String(r.runs), '—', '—', '—', '—', '—', `**error**: ${r.error}`]
    : [fmtN(r.size), taskName[r.task], r.name, String(r.runs), f3(r.wall), f3(r.work), fm(r.mib), fx(r.xwall), fx(r.xwork),
        [r.lint !== undefined ? `lint ${f3(r.lint)} s of the work` : '', ...r.notes].filter(Boolean).join('; ')];
const head = ['size', 'task', 'contender', 'runs', 'wall s', 'work s', 'peak MiB', 'wall ×convene', 'work ×convene', 'notes'];

// The terminal table.
const table = [head, ...rows.map(cells)].map((c) => c.slice(0, 9));
const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
for (const row of table)
    process.stdout.write(row.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ') + '\n');

// The goals, at each size.
const goals = [];
for (const size of [...new Set(rows.map((r) => r.size))]) {
    const get = (task, name) => rows.find((r) => r.size === size && r.task === task && r.name === name && !r.error);
    const c = get('write', 'convene'), h = get('write', 'handwritten C');
    if (c && h) {
        const x = c.work / h.work, xw = c.wall / h.wall;
        goals.push(`- ${fmtN(size)}, publish: convene takes ${x.toFixed(1)}× the hand-written writer's work time (${xw.toFixed(1)}× its wall time): goal ≤ 2×, ${x <= 2 ? '**met**' : '**not met**'}.`);
    }
    for (const task of taskOrder) {
        const cv = get(task, 'convene');
        const peers = rows.filter((r) => r.size === size && r.task === task && !r.name.startsWith('convene') && r.name !== 'handwritten C');
        if (!cv || !peers.length)
            continue;
        const slower = peers.filter((p) => p.error || p.wall > cv.wall);
        const faster = peers.filter((p) => !p.error && p.wall <= cv.wall);
        goals.push(`- ${fmtN(size)}, ${taskName[task]}: convene is ${faster.length ? `**slower** than ${faster.map((p) => `${p.name} (${p.wall.toFixed(3)} s; convene ${cv.wall.toFixed(3)} s)`).join(', ')}` : '**faster than every peer**'}${slower.length && faster.length ? `, faster than ${slower.map((p) => p.name).join(', ')}` : ''} (wall time).`);
    }
}

const md = `# Feed benchmarks: results

Written by \`tests/bench/run\` on ${env.date}; see \`tests/bench/README.md\` for what each contender
does and what is and is not comparable. Medians of the runs (5, or 3 at 100,000 events); peak MiB
is the largest peak resident set (ru_maxrss) of the runs. **wall s** is the whole process, as
a user waits for it (interpreter start, loading the generated data, the work, writing the
file); **work s** is the part each contender times itself: from the data in memory to the file
written (publish) or from the file's bytes in memory to every event read (import). Ratios are
to convene's median in the same task and size: above 1 is slower than convene.

Machine: ${env.cpu}, ${env.cores} cores, ${env.mem}. convene ${env.convene} (libical ${env.libical}),
built ${env.build}, bench programs ${env.cc} -O2. Node ${env.node}, ical.js ${env.icaljs},
ical-generator ${env.icalgen}; Python ${env.python} (/usr/bin/python3), python3-icalendar ${env.icalendar}.

| ${head.join(' | ')} |
|${head.map((h, i) => (i < 3 ? '---' : '---:')).map((x, i) => (i === 9 ? '---' : x)).join('|')}|
${rows.map((r) => `| ${cells(r).map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`).join('\n')}

## Goals

${goals.join('\n')}

## The tasks

- **publish**: the programme (N items: one all-day event in five, the others timed sessions of
  it in the event's zone; five IANA zones) as one feed: VCALENDAR with NAME, X-WR-CALNAME,
  REFRESH-INTERVAL, X-PUBLISHED-TTL and URL, a VTIMEZONE per zone, and per item UID, DTSTAMP,
  LAST-MODIFIED, SEQUENCE, DTSTART/DTEND (VALUE=DATE, or TZID and local time converted from
  UTC), SUMMARY, LOCATION, STATUS, CLASS, TRANSP, RELATED-TO (sessions), DESCRIPTION (the text
  and its link) and URL. Every feed is read back with ical.js: the VEVENT count, the UIDs and
  every start and end must match the data (else the row is an error, not a result); text that
  differs and line-rule breaks are noted.
- **import feed**: reading convene's published feed. convene: \`cv_ical_read_refcal()\` (its
  reader for outside calendars: each VEVENT becomes a dated entry; its programme reader needs the
  X-CONVENE- properties a feed does not carry). ical.js: \`ICAL.parse()\` and each VEVENT's UID,
  start (timed ones resolved to an instant through the VTIMEZONE), SUMMARY and DESCRIPTION;
  python3-icalendar: \`Calendar.from_ical()\` and the same.
- **import programme**: the same events with the X-CONVENE- properties of a programme calendar
  (written by the hand-written writer with --programme); convene: \`cv_ical_read_programme()\`,
  which builds and validates every event and session (the path of \`convene init\`); the peers
  as above.
`;
fs.writeFileSync(mdPath, md);
process.stdout.write(`\n${goals.join('\n')}\n\nbench: wrote ${mdPath}\n`);
