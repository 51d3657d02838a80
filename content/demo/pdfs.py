"""Render a demo filing's document as a PDF, byte for byte the same on every run.

A document is a cover page (title, facts, summary) and numbered sections whose
text is a small subset of Markdown: paragraphs, "- " bullets and "1. " lists.
"""

import io
import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as PdfTable

BULLET = re.compile(r"^- (.*)$")
NUMBERED = re.compile(r"^\d+\. (.*)$")


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    column_inches: tuple[float, ...] = ()  # empty: share the width equally


@dataclass(frozen=True)
class Signatures:
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Section:
    heading: str
    blocks: tuple  # Markdown text (str), Table or Signatures


@dataclass(frozen=True)
class DocumentContent:
    file_name: str
    title: str
    running_head: str
    kind_label: str
    facts: tuple[tuple[str, str], ...]
    summary: str
    sections: tuple[Section, ...]
    # Policies and contracts number their list items as clauses (2.1, 2.2, ...).
    numbered_clauses: bool = False


def markdown_blocks(text: str) -> list[tuple[str, list[str]]]:
    """Split text into ("paragraph", [text]), ("bullets", [items]) and ("numbered", [items])."""
    blocks = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        for kind, pattern in (("bullets", BULLET), ("numbered", NUMBERED)):
            if lines and all(pattern.match(line) for line in lines):
                blocks.append((kind, [pattern.match(line).group(1) for line in lines]))
                break
        else:
            if lines:
                blocks.append(("paragraph", [" ".join(lines)]))
    return blocks


def list_items(text: str) -> list[str]:
    """The items of every list in the text."""
    return [item for kind, items in markdown_blocks(text) if kind != "paragraph" for item in items]


def _styles():
    sheet = getSampleStyleSheet()
    body = ParagraphStyle(
        "DemoBody", parent=sheet["BodyText"], fontName="Helvetica", fontSize=10, leading=14
    )
    return {
        "title": ParagraphStyle(
            "DemoTitle", parent=sheet["Title"], fontSize=20, leading=25, alignment=TA_LEFT
        ),
        "kind": ParagraphStyle(
            "DemoKind", parent=body, fontSize=11, textColor=colors.HexColor("#36505c")
        ),
        "heading": ParagraphStyle(
            "DemoHeading", parent=sheet["Heading2"], fontSize=13, leading=17, spaceBefore=10
        ),
        "body": body,
        "item": ParagraphStyle("DemoItem", parent=body, leftIndent=28, firstLineIndent=-20),
        "cell": ParagraphStyle("DemoCell", parent=body, fontSize=9, leading=12),
        "cell_head": ParagraphStyle(
            "DemoCellHead", parent=body, fontName="Helvetica-Bold", fontSize=9, leading=12
        ),
        "notice": ParagraphStyle(
            "DemoNotice", parent=body, fontSize=8, leading=11, textColor=colors.HexColor("#666666")
        ),
    }


def _table(
    rows: list[list[str]], styles, header: bool, column_widths=None, grid: bool = True
) -> PdfTable:
    cells = [
        [
            Paragraph(escape(value), styles["cell_head" if header and index == 0 else "cell"])
            for value in row
        ]
        for index, row in enumerate(rows)
    ]
    table = PdfTable(cells, colWidths=column_widths, hAlign="LEFT", repeatRows=1 if header else 0)
    commands = [("VALIGN", (0, 0), (-1, -1), "TOP")]
    if grid:
        commands.append(("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#9aa7ad")))
    else:
        commands.append(("BOTTOMPADDING", (0, 0), (-1, -1), 16))
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e3eaed")))
    table.setStyle(TableStyle(commands))
    return table


def _markdown(text: str, styles, clause_prefix: str | None) -> list:
    flowables = []
    for kind, parts in markdown_blocks(text):
        if kind == "paragraph":
            flowables.append(Paragraph(escape(parts[0]), styles["body"]))
            continue
        for number, item in enumerate(parts, start=1):
            if clause_prefix:
                marker = f"{clause_prefix}.{number}"
            else:
                marker = f"{number}." if kind == "numbered" else "&bull;"
            flowables.append(Paragraph(f"{marker}&nbsp;&nbsp;{escape(item)}", styles["item"]))
    return flowables


def _section(number: int, section: Section, styles, numbered_clauses: bool) -> list:
    flowables = [Paragraph(escape(f"{number}. {section.heading}"), styles["heading"])]
    for block in section.blocks:
        if isinstance(block, Table):
            rows = [list(block.header), *[list(row) for row in block.rows]]
            widths = [width * inch for width in block.column_inches] or None
            flowables += [
                Spacer(1, 4),
                _table(rows, styles, header=True, column_widths=widths),
                Spacer(1, 6),
            ]
        elif isinstance(block, Signatures):
            signature_rows = [[line, "_" * 34] for line in block.lines]
            flowables += [
                Spacer(1, 10),
                _table(
                    signature_rows,
                    styles,
                    header=False,
                    column_widths=[3 * inch, 3 * inch],
                    grid=False,
                ),
            ]
        else:
            flowables += _markdown(block, styles, str(number) if numbered_clauses else None)
    return [KeepTogether(flowables[:2]), *flowables[2:]]


def render_pdf(document: DocumentContent) -> bytes:
    """The document as PDF bytes; `invariant` keeps dates and IDs out of the file."""
    styles = _styles()
    buffer = io.BytesIO()
    template = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        invariant=1,
        title=document.title,
        author=document.running_head,
        subject=document.kind_label,
        creator="Surveillance Technology Oversight portal demo data",
        leftMargin=inch,
        rightMargin=inch,
        topMargin=inch,
        bottomMargin=0.9 * inch,
    )

    def decorate(canvas, doc):
        width, height = LETTER
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(colors.HexColor("#36505c"))
        canvas.drawString(inch, height - 0.6 * inch, document.running_head)
        canvas.drawRightString(width - inch, height - 0.6 * inch, document.kind_label)
        canvas.drawString(inch, 0.5 * inch, "Demo data: a fictional city, people and figures.")
        canvas.drawRightString(width - inch, 0.5 * inch, f"Page {doc.page}")
        canvas.restoreState()

    facts = _table(
        [[label, value] for label, value in document.facts],
        styles,
        header=False,
        column_widths=[1.7 * inch, 4.8 * inch],
    )
    story = [
        Paragraph(escape(document.kind_label), styles["kind"]),
        Spacer(1, 6),
        Paragraph(escape(document.title), styles["title"]),
        Spacer(1, 12),
        facts,
        Spacer(1, 16),
        *_markdown(document.summary, styles, None),
        Spacer(1, 24),
        Paragraph(
            "This document is part of the demonstration data of an open-source transparency "
            "portal. The City of Alameda Bay and everything in this filing are invented.",
            styles["notice"],
        ),
        PageBreak(),
    ]
    for number, section in enumerate(document.sections, start=1):
        story += _section(number, section, styles, document.numbered_clauses)
    template.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()
