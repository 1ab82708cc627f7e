#!/usr/bin/env python3
"""Regenerate the ocrview sample assets in this directory.

Run from anywhere:

    python3 assets/make-samples.py

Needs:
    apt-get install -y fonts-nanum fonts-dejavu-core   # NanumGothic/NanumMyeongjo, DejaVu
    pip install reportlab pillow

Writes (next to this script):
    sample.pdf               3-page US-letter document (headings, list, table, Korean text)
    sample.expected.md       its ground-truth text, as a vision OCR model would emit it
    sample-scan.png          scan-like grayscale image of a one-page memo (150 DPI letter)
    sample-scan.expected.md  its ground-truth text

Everything is deterministic: the PDF is written in ReportLab's "invariant" mode (fixed dates
and document ID), metadata is fixed, and the scan noise comes from a seeded random.Random.
Re-running with the same reportlab/Pillow/font versions gives byte-identical files.

The PDF text and the expected Markdown are produced from the same data below, so they always
agree word for word. Keep the text plain (no smart quotes, dashes or ligature-prone markup) so
tesseract and the OCR model can both read it back exactly.
"""

import os
import random
from xml.sax.saxutils import escape

from reportlab import rl_config

rl_config.invariant = 1  # fixed CreationDate/ModDate and /ID

from reportlab.lib import colors  # noqa: E402
from reportlab.lib.enums import TA_LEFT  # noqa: E402
from reportlab.lib.pagesizes import LETTER  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.lib.units import inch  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.ttfonts import TTFont  # noqa: E402
from reportlab.platypus import (  # noqa: E402
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))

DEJAVU = "/usr/share/fonts/truetype/dejavu"
NANUM = "/usr/share/fonts/truetype/nanum"
FONT_FILES = {
    "DejaVuSerif": f"{DEJAVU}/DejaVuSerif.ttf",
    "DejaVuSans": f"{DEJAVU}/DejaVuSans.ttf",
    "DejaVuSans-Bold": f"{DEJAVU}/DejaVuSans-Bold.ttf",
    "NanumMyeongjo": f"{NANUM}/NanumMyeongjo.ttf",
    "NanumGothicBold": f"{NANUM}/NanumGothicBold.ttf",
}

# --------------------------------------------------------------------------------------------
# Document content. Each page is a list of blocks:
#   ("h1", text) ("h2", text) ("p", text) ("ko", text) ("ul", [items])
#   ("table", [header, row, ...]) ("caption", text)
# --------------------------------------------------------------------------------------------

PAGES = [
    [
        ("h1", "ocrview sample document"),
        (
            "p",
            "This short document is used to try out ocrview, a terminal viewer for optical "
            "character recognition. It has three pages with headings, paragraphs, a list, a "
            "table and a page of Korean text, so you can see how each kind of content comes "
            "back from the model.",
        ),
        ("h2", "Streaming and batch modes"),
        (
            "p",
            "In stream mode the viewer shows each page while the model is still writing it. "
            "The first words appear after a fraction of a second, and every token that arrives "
            "is also saved to disk, so nothing is lost if the connection drops.",
        ),
        (
            "p",
            "In batch mode the viewer waits until a whole page is finished before it shows "
            "anything. The total time is about the same, but the screen stays empty until the "
            "page is done. Switching between the two modes makes the difference easy to feel "
            "and to measure.",
        ),
        (
            "ul",
            [
                "Headings should come back as Markdown headings.",
                "Lists should keep one item per line.",
                "Tables should keep their rows and columns.",
            ],
        ),
    ],
    [
        ("h2", "Measured latency"),
        (
            "table",
            [
                # Units live in the header: tesseract tends to read "6.81 s" as "6.815".
                ["Page", "Mode", "Time to first token (s)", "Total latency (s)"],
                ["1", "stream", "0.42", "6.81"],
                ["1", "batch", "6.93", "6.93"],
                ["2", "stream", "0.39", "9.14"],
                ["2", "batch", "9.27", "9.27"],
            ],
        ),
        (
            "caption",
            "Table 1. Time to first token and total latency for two pages in each mode.",
        ),
        (
            "p",
            "The total latency is nearly the same in both modes, because the model does the "
            "same amount of work. What changes is the time to first token: in stream mode the "
            "reader sees text almost at once, while in batch mode the first text appears only "
            "when the whole page is ready.",
        ),
    ],
    [
        ("h2", "스트리밍 모드와 배치 모드"),
        (
            "ko",
            "스트리밍 모드는 텍스트가 생성되는 즉시 화면에 출력합니다. 그래서 첫 번째 토큰이 "
            "도착하기까지의 시간이 짧고, 사용자는 페이지가 채워지는 과정을 바로 볼 수 있습니다. "
            "배치 모드는 페이지 전체가 완성될 때까지 기다린 뒤 결과를 한꺼번에 보여 줍니다. "
            "전체 처리 시간은 두 모드가 거의 같지만, 체감 속도는 크게 다릅니다.",
        ),
        (
            "p",
            "The Korean paragraph above says the same thing as the first page: stream mode "
            "shows text as soon as it is generated, while batch mode waits for the whole page "
            "and then shows the result at once. It is included to check that the viewer "
            "handles Hangul and other wide characters correctly.",
        ),
    ],
]

SCAN_HEADING = "Memo: streaming OCR for the archive"
SCAN_DATE = "Date: 14 March 2025"
SCAN_PARAGRAPHS = [
    "From next week the reading room scanner will send every page to the new OCR service "
    "in stream mode. Text will appear on the screen line by line while the page is still "
    "being read, instead of all at once when the page is finished.",
    "Please check the first pages of each box as they come in. If a heading, a list or a "
    "table looks wrong, write down the box number and the page, and keep scanning. The raw "
    "output is saved, so nothing needs to be scanned twice.",
    "Questions about the new setup can go to the archive team at the front desk. Thank you "
    "for helping us test it.",
]


# --------------------------------------------------------------------------------------------
# Expected Markdown
# --------------------------------------------------------------------------------------------


def block_markdown(kind, value):
    if kind == "h1":
        return f"# {value}"
    if kind == "h2":
        return f"## {value}"
    if kind in ("p", "ko", "caption"):
        return value
    if kind == "ul":
        return "\n".join(f"- {item}" for item in value)
    if kind == "table":
        header, *rows = value
        lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(lines)
    raise ValueError(kind)


def pdf_markdown():
    out = []
    for n, page in enumerate(PAGES, start=1):
        out.append(f"<!-- page {n} -->")
        out.append("")
        out.append("\n\n".join(block_markdown(k, v) for k, v in page))
        out.append("")
    return "\n".join(out)


def scan_markdown():
    parts = [f"# {SCAN_HEADING}", SCAN_DATE] + SCAN_PARAGRAPHS
    return "\n\n".join(parts) + "\n"


# --------------------------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------------------------


def make_pdf(path):
    for name, file in FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, file))  # TTFont embeds a subset by default

    body = ParagraphStyle(
        "body", fontName="DejaVuSerif", fontSize=11.5, leading=16.5, spaceAfter=9,
        alignment=TA_LEFT,
    )
    styles = {
        "h1": ParagraphStyle(
            "h1", fontName="DejaVuSans-Bold", fontSize=22, leading=27, spaceAfter=14,
        ),
        "h2": ParagraphStyle(
            "h2", fontName="DejaVuSans-Bold", fontSize=15, leading=19, spaceBefore=10,
            spaceAfter=9,
        ),
        "h2ko": ParagraphStyle(
            "h2ko", fontName="NanumGothicBold", fontSize=16, leading=21, spaceBefore=10,
            spaceAfter=10,
        ),
        "p": body,
        "ko": ParagraphStyle(
            "ko", parent=body, fontName="NanumMyeongjo", fontSize=12, leading=20,
            spaceAfter=12,
        ),
        "li": ParagraphStyle(
            "li", parent=body, leftIndent=22, bulletIndent=8, bulletFontName="DejaVuSans",
            spaceAfter=4,
        ),
        "caption": ParagraphStyle(
            "caption", fontName="DejaVuSans", fontSize=10, leading=13, spaceBefore=8,
            spaceAfter=14, textColor=colors.HexColor("#333333"),
        ),
        "cell": ParagraphStyle("cell", fontName="DejaVuSans", fontSize=11, leading=14),
        "cellhead": ParagraphStyle(
            "cellhead", fontName="DejaVuSans-Bold", fontSize=11, leading=14,
        ),
    }

    story = []
    for n, page in enumerate(PAGES):
        if n:
            story.append(PageBreak())
        for kind, value in page:
            if kind == "h2" and any(ord(c) > 0x1100 for c in value):
                story.append(Paragraph(escape(value), styles["h2ko"]))
            elif kind in ("h1", "h2", "p", "ko", "caption"):
                story.append(Paragraph(escape(value), styles[kind]))
            elif kind == "ul":
                for item in value:
                    story.append(Paragraph(escape(item), styles["li"], bulletText="\u2022"))
                story.append(Spacer(1, 6))
            elif kind == "table":
                header, *rows = value
                data = [[Paragraph(escape(c), styles["cellhead"]) for c in header]]
                data += [[Paragraph(escape(c), styles["cell"]) for c in row] for row in rows]
                table = Table(
                    data, colWidths=[0.8 * inch, 1.1 * inch, 2.25 * inch, 1.75 * inch],
                    hAlign="LEFT",
                )
                table.setStyle(TableStyle([
                    ("FONTNAME", (0, 0), (-1, -1), "DejaVuSans"),  # else Table sets Helvetica
                    ("GRID", (0, 0), (-1, -1), 0.75, colors.black),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6")),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("TOPPADDING", (0, 0), (-1, -1), 6),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
                    ("LEFTPADDING", (0, 0), (-1, -1), 8),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ]))
                story.append(Spacer(1, 4))
                story.append(table)
            else:
                raise ValueError(kind)

    doc = SimpleDocTemplate(
        path,
        pagesize=LETTER,
        leftMargin=1.1 * inch, rightMargin=1.1 * inch,
        topMargin=1.0 * inch, bottomMargin=1.0 * inch,
        title="ocrview sample document",
        author="ocrview",
        subject="Sample document for OCR testing",
        creator="assets/make-samples.py",
        keywords="ocrview, OCR, sample",
        invariant=1,
        pageCompression=1,
        initialFontName="DejaVuSerif",  # otherwise an unused, unembedded Helvetica is listed
    )
    doc.build(story)


# --------------------------------------------------------------------------------------------
# Scan-like PNG
# --------------------------------------------------------------------------------------------

SCAN_W, SCAN_H = 1275, 1650  # US letter at 150 DPI
SCAN_SEED = 20250314


def wrap(draw, text, font, width):
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}" if line else word
        if draw.textlength(trial, font=font) <= width:
            line = trial
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def make_scan(path):
    rng = random.Random(SCAN_SEED)
    margin_x, margin_top = 160, 170
    text_w = SCAN_W - 2 * margin_x

    # 1. Ink layer: white page, dark-gray antialiased text.
    ink = Image.new("L", (SCAN_W, SCAN_H), 255)
    d = ImageDraw.Draw(ink)
    f_head = ImageFont.truetype(FONT_FILES["DejaVuSans-Bold"], 38)
    f_body = ImageFont.truetype(FONT_FILES["DejaVuSerif"], 25)  # 12 pt at 150 DPI
    f_date = ImageFont.truetype(FONT_FILES["DejaVuSans"], 24)
    ink_level = 38

    y = margin_top
    for line in wrap(d, SCAN_HEADING, f_head, text_w):
        d.text((margin_x, y), line, font=f_head, fill=ink_level)
        y += 50
    y += 14
    d.text((margin_x, y), SCAN_DATE, font=f_date, fill=ink_level + 10)
    y += 34
    d.line((margin_x, y, SCAN_W - margin_x, y), fill=90, width=2)
    y += 40
    for para in SCAN_PARAGRAPHS:
        for line in wrap(d, para, f_body, text_w):
            d.text((margin_x, y), line, font=f_body, fill=ink_level)
            y += 38
        y += 24

    # 2. The page sits slightly crooked on the glass; optics soften the edges a little.
    ink = ink.rotate(0.25, resample=Image.BICUBIC, expand=False, fillcolor=255)
    ink = ink.filter(ImageFilter.GaussianBlur(0.55))

    # 3. Paper: off-white, a little darker toward the corners (uneven scanner lighting).
    #    An analytic radial gradient keeps the 1-grey-level steps smooth and round.
    big = Image.radial_gradient("L").resize(
        (round(SCAN_W * 1.7), round(SCAN_H * 1.6)), Image.BILINEAR
    )
    x0 = (big.width - SCAN_W) // 2 - 60
    y0 = (big.height - SCAN_H) // 2 - 90
    paper = big.crop((x0, y0, x0 + SCAN_W, y0 + SCAN_H)).point(
        lambda v: 240 - round(v * 9 / 255)
    )

    # Darker band along the left edge (shadow of the scanner lid), a few faint specks.
    shadow = Image.new("L", (SCAN_W, SCAN_H), 255)
    sd = ImageDraw.Draw(shadow)
    for i in range(28):
        sd.line((i, 0, i, SCAN_H), fill=200 + round(55 * i / 28))
    page = ImageChops.multiply(paper, shadow)
    pd = ImageDraw.Draw(page)
    for _ in range(70):
        x, y0 = rng.randrange(SCAN_W), rng.randrange(SCAN_H)
        r = rng.choice((1, 1, 1, 2))
        pd.ellipse((x, y0, x + r, y0 + r), fill=rng.randrange(150, 200))

    page = ImageChops.multiply(page, ink)

    # 4. Mild sensor noise: about 2 % of pixels brightened and 2 % darkened by 1-3 grey
    #    levels. Sparse on purpose: dense per-pixel noise makes the PNG several times larger.
    table = [0] * 251 + [1, 1, 2, 2, 3]
    noise_pos = Image.frombytes("L", (SCAN_W, SCAN_H), rng.randbytes(SCAN_W * SCAN_H))
    noise_neg = Image.frombytes("L", (SCAN_W, SCAN_H), rng.randbytes(SCAN_W * SCAN_H))
    page = ImageChops.add(page, noise_pos.point(table))
    page = ImageChops.subtract(page, noise_neg.point(table))

    page.save(path, format="PNG", optimize=True, dpi=(150, 150))


def main():
    make_pdf(os.path.join(HERE, "sample.pdf"))
    with open(os.path.join(HERE, "sample.expected.md"), "w", encoding="utf-8") as f:
        f.write(pdf_markdown())
    make_scan(os.path.join(HERE, "sample-scan.png"))
    with open(os.path.join(HERE, "sample-scan.expected.md"), "w", encoding="utf-8") as f:
        f.write(scan_markdown())
    for name in ("sample.pdf", "sample.expected.md", "sample-scan.png",
                 "sample-scan.expected.md"):
        print(f"{name}: {os.path.getsize(os.path.join(HERE, name))} bytes")


if __name__ == "__main__":
    main()
