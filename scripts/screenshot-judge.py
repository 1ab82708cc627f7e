#!/usr/bin/env python3
"""Judges a screenshot of ocrview's page image in a real terminal (scripts/terminal-screenshots).

  screenshot-judge.py bars PAGE.png              write the page of known geometry
  screenshot-judge.py bars SCREEN.pgm [SLACK]    is it on screen, straight, in place, upright?
  screenshot-judge.py found SCREEN.pgm           is a page on screen yet? (exit status)
  screenshot-judge.py like SCREEN.pgm PAGE.pgm   does the page on screen look like PAGE?
                                                 (PAGE: the page rendered directly, any size)

The page on screen is found as the largest bright box whose rows hold no bright pixel outside
it (the terminal's text around it — header, title, stats bar — reaches further), so the judge
needs no knowledge of the terminal's font or layout. Python's standard library only.
"""
import struct
import sys
import zlib

# The bars page: vertical bars (fractions of the width) and horizontal ones (of the height).
# The horizontal bars are not symmetric, so a page drawn upside down is told apart.
VERTICAL = [(0.10, 0.14), (0.86, 0.90)]
HORIZONTAL = [(0.25, 0.30), (0.60, 0.65)]
WIDTH, HEIGHT = 1001, 1400  # an odd width: rows of 3003 bytes, the stride libchafa sheared


def write_bars(path):
    rows = []
    for y in range(HEIGHT):
        fy = (y + 0.5) / HEIGHT
        across = any(a <= fy <= b for a, b in HORIZONTAL)
        row = bytearray([0])
        for x in range(WIDTH):
            fx = (x + 0.5) / WIDTH
            ink = across or any(a <= fx <= b for a, b in VERTICAL)
            row += b"\x00\x00\x00" if ink else b"\xff\xff\xff"
        rows.append(bytes(row))

    def chunk(kind, data):
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 2, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header))
        f.write(chunk(b"IDAT", zlib.compress(b"".join(rows), 6)) + chunk(b"IEND", b""))


def read_pgm(path):
    """A binary PGM (P5, 8 bits) as (width, height, rows of ints)."""
    data = open(path, "rb").read()
    fields, position = [], 0
    while len(fields) < 4:
        while data[position : position + 1].isspace():
            position += 1
        if data[position : position + 1] == b"#":
            position = data.index(b"\n", position)
            continue
        end = position
        while not data[end : end + 1].isspace():
            end += 1
        fields.append(data[position:end])
        position = end
    position += 1
    width, height = int(fields[1]), int(fields[2])
    pixels = data[position : position + width * height]
    return width, height, [pixels[y * width : (y + 1) * width] for y in range(height)]


def find_page(width, height, rows):
    """The page's box (x0, y0, x1, y1), inclusive, or None."""
    bright = [[value > 128 for value in row] for row in rows]
    counts = [sum(bright[y][x] for y in range(height)) for x in range(width)]
    columns = [x for x in range(width) if counts[x] > 0.25 * height]
    if not columns:
        return None
    x0, x1 = columns[0], columns[-1]
    inside = []
    for y in range(height):
        outside = any(bright[y][x] for x in range(0, max(0, x0 - 2))) or any(
            bright[y][x] for x in range(min(width, x1 + 3), width)
        )
        if not outside and any(bright[y][x0 : x1 + 1]):
            inside.append(y)
    if not inside:
        return None
    return x0, inside[0], x1, inside[-1]


def located(path):
    """The screenshot's rows and its page's box with the box's size, or None."""
    width, height, rows = read_pgm(path)
    box = find_page(width, height, rows)
    if box is None:
        return None
    x0, y0, x1, y1 = box
    return rows, box, x1 - x0 + 1, y1 - y0 + 1


def judge_bars(path, slack):
    found = located(path)
    if found is None:
        return ["no page on screen"]
    rows, (x0, y0, x1, y1), w, h = found
    problems = []
    aspect, expected = w / h, WIDTH / HEIGHT
    if abs(aspect / expected - 1) > 0.04:
        problems.append(f"page is {w}×{h} px: aspect {aspect:.3f}, the page's is {expected:.3f}")
    tolerance = max(slack, 0.015 * w)
    # Rows clear of the horizontal bars: dark exactly at the vertical bars.
    margin = 0.02
    checked, straight, gaps = 0, 0, 0
    for y in range(y0, y1 + 1):
        fy = (y - y0 + 0.5) / h
        if any(a - margin <= fy <= b + margin for a, b in HORIZONTAL):
            continue
        dark = [v <= 128 for v in rows[y][x0 : x1 + 1]]
        # A terminal font's block symbols may leave a dark pixel row between text rows.
        if sum(dark) > 0.9 * w:
            gaps += 1
            continue
        checked += 1
        runs, start = [], None
        for x, d in enumerate(dark + [False]):
            if d and start is None:
                start = x
            elif not d and start is not None:
                # Bars are 4 % of the page wide; thinner dark runs are gaps between glyphs.
                if x - start >= 0.02 * w:
                    runs.append((start + x - 1) / 2)
                start = None
        centres = [(a + b) / 2 * w for a, b in VERTICAL]
        if len(runs) == len(centres) and all(abs(r - c) <= tolerance for r, c in zip(runs, centres)):
            straight += 1
    if checked == 0 or straight / checked < 0.98:
        problems.append(f"{straight} of {checked} rows show the vertical bars in place")
    if gaps > 0.2 * h:
        problems.append(f"{gaps} of {h} rows are dark across the page")
    # Each horizontal bar: its middle row dark across the page, where the page has it.
    for a, b in HORIZONTAL:
        y = y0 + int((a + b) / 2 * h)
        share = sum(v <= 128 for v in rows[y][x0 : x1 + 1]) / w
        if share < 0.98:
            problems.append(f"the bar at {a:.0%}–{b:.0%} of the height is dark on {share:.0%} of its row")
    print(f"page at ({x0}, {y0})–({x1}, {y1}), {w}×{h} px; {straight}/{checked} rows straight")
    return problems


def judge_like(path, reference):
    found = located(path)
    if found is None:
        return ["no page on screen"]
    rows, (x0, y0, x1, y1), w, h = found
    rw, rh, ref = read_pgm(reference)
    problems = []
    if abs((w / h) / (rw / rh) - 1) > 0.04:
        problems.append(f"page is {w}×{h} px on screen, {rw}×{rh} rendered: another shape")
    # Both sampled on a 64×64 grid of block means, then correlated.
    n = 64

    def blocks(rows, left, top, bw, bh):
        out = []
        for j in range(n):
            for i in range(n):
                ya, yb = top + int(j * bh / n), top + max(int(j * bh / n) + 1, int((j + 1) * bh / n))
                xa, xb = left + int(i * bw / n), left + max(int(i * bw / n) + 1, int((i + 1) * bw / n))
                values = [rows[y][x] for y in range(ya, yb) for x in range(xa, xb)]
                out.append(sum(values) / len(values))
        return out

    a, b = blocks(rows, x0, y0, w, h), blocks(ref, 0, 0, rw, rh)
    ma, mb = sum(a) / len(a), sum(b) / len(b)
    cov = sum((p - ma) * (q - mb) for p, q in zip(a, b))
    va = sum((p - ma) ** 2 for p in a) ** 0.5
    vb = sum((q - mb) ** 2 for q in b) ** 0.5
    correlation = cov / (va * vb) if va and vb else 0
    # Upside down, it would correlate with the reversed page instead.
    flipped = list(reversed(b))
    mf = sum(flipped) / len(flipped)
    cov_flipped = sum((p - ma) * (q - mf) for p, q in zip(a, flipped))
    upside_down = cov_flipped / (va * vb) if va and vb else 0
    print(f"page at ({x0}, {y0})–({x1}, {y1}), {w}×{h} px; correlation {correlation:.3f} "
          f"(upside down {upside_down:.3f})")
    if correlation < 0.85:
        problems.append(f"correlation with the page rendered directly is {correlation:.3f} (< 0.85)")
    if upside_down >= correlation:
        problems.append("the page looks more like itself upside down")
    return problems


def main():
    command, path = sys.argv[1], sys.argv[2]
    if command == "bars" and path.endswith(".png"):
        write_bars(path)
        return 0
    if command == "found":  # is a page on screen yet?
        return 0 if located(path) else 1
    if command == "bars":
        problems = judge_bars(path, float(sys.argv[3]) if len(sys.argv) > 3 else 0)
    else:
        problems = judge_like(path, sys.argv[3])
    for problem in problems:
        print("  ✗", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
