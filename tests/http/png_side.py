#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# png_side.py FILE: where a page's table row headers sit in a screenshot: the mean x of the
# pixels of their background (#f0f0f0), as a fraction of the width. Left-to-right pages put
# the row headers (the first column) on the left, right-to-left pages on the right.
# A small PNG reader (8-bit RGB or RGBA, not interlaced), as Chromium writes them.
import struct
import sys
import zlib


def read_png(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit(f"{path}: not a PNG")
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or ctype not in (2, 6) or interlace:
                sys.exit(f"{path}: PNG of depth {depth}, colour type {ctype}")
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += n + 12
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return w, h, bpp, rows


w, h, bpp, rows = read_png(sys.argv[1])
total = count = 0
for line in rows:
    for x in range(w):
        r, g, b = line[x * bpp:x * bpp + 3]
        if abs(r - 240) <= 1 and abs(g - 240) <= 1 and abs(b - 240) <= 1:
            total += x
            count += 1
if count < 1000:
    sys.exit(f"{sys.argv[1]}: only {count} pixels of the row headers' background")
print(f"{total / count / w:.3f}")
