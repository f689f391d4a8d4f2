"""The report as a list of blocks (headings, paragraphs, bullets, tables, images), rendered
once as markdown (``summary.md``) and once as a self-contained HTML page (``report.html``).

Texts use a small markdown subset that both renderings understand: ```code```, ``**bold**``,
``*emphasis*`` and ``[text](relative link)``.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str | None = None  # the HTML element's id (markdown headings get GitHub's slugs)


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Images:
    """PNG images side by side (HTML only): ``(png bytes, alternative text)`` each."""

    items: tuple[tuple[bytes, str], ...]


Block = Heading | Paragraph | Bullets | Table | Images


def _markdown_block(block: Block) -> str:
    match block:
        case Heading(level, text):
            return "#" * level + " " + text
        case Paragraph(text):
            return text
        case Bullets(items):
            return "\n".join(f"- {item}" for item in items)
        case Table(head, rows):
            lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
            return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])
    raise TypeError(f"{type(block).__name__} has no markdown form")


def markdown(blocks: Sequence[Block]) -> str:
    """The blocks as markdown, separated by blank lines."""
    return "\n\n".join(map(_markdown_block, blocks)) + "\n"


_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_EMPHASIS = re.compile(r"\*([^*\s][^*]*)\*")


def inline_html(text: str) -> str:
    """``text`` HTML-escaped, with its ```code```, ``**bold**``, ``*emphasis*`` and
    ``[links](href)``."""
    out = []
    for i, part in enumerate(text.split("`")):
        escaped = html.escape(part)
        if i % 2:
            out.append(f"<code>{escaped}</code>")
        else:
            escaped = _EMPHASIS.sub(r"<em>\1</em>", _BOLD.sub(r"<strong>\1</strong>", escaped))
            out.append(_LINK.sub(r'<a href="\2">\1</a>', escaped))
    return "".join(out)


def png_data_uri(png: bytes) -> str:
    """``data:image/png;base64,...``: an image embedded in the page itself."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _status_class(item: str) -> str:
    """``ok`` / ``fail`` for a check line (it starts with ``ok`` or ``FAIL``), else nothing."""
    word = item.split(" ", 1)[0]
    return {"ok": ' class="ok"', "FAIL": ' class="fail"'}.get(word, "")


def _html_block(block: Block) -> str:
    match block:
        case Heading(level, text, anchor):
            ident = f' id="{html.escape(anchor)}"' if anchor else ""
            return f"<h{level}{ident}>{inline_html(text)}</h{level}>"
        case Paragraph(text):
            return f"<p>{inline_html(text)}</p>"
        case Bullets(items):
            lis = (f"<li{_status_class(i)}>{inline_html(i)}</li>" for i in items)
            return "<ul>\n" + "\n".join(lis) + "\n</ul>"
        case Table(head, rows):
            ths = "".join(f"<th>{inline_html(h)}</th>" for h in head)
            trs = (
                "<tr>" + "".join(f"<td>{inline_html(c)}</td>" for c in row) + "</tr>"
                for row in rows
            )
            return f"<table>\n<tr>{ths}</tr>\n" + "\n".join(trs) + "\n</table>"
        case Images(items):
            imgs = (
                f'<img src="{png_data_uri(png)}" alt="{html.escape(alt)}">' for png, alt in items
            )
            return '<div class="images">' + "".join(imgs) + "</div>"
    raise TypeError(f"{type(block).__name__} has no HTML form")


STYLE = """
body { font-family: sans-serif; margin: 2em auto; max-width: 80em; padding: 0 1em; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.5em; text-align: left; }
th { background: #f0f0f0; }
li.ok::marker { color: green; } li.fail { color: #b00; font-weight: bold; }
code { background: #f4f4f4; padding: 0 0.2em; }
.images { display: flex; flex-wrap: wrap; gap: 1em; align-items: flex-start; }
.images img { max-width: 100%; height: auto; border: 1px solid #ddd; }
"""


def html_page(title: str, blocks: Sequence[Block]) -> str:
    """A complete HTML page of ``blocks``: styles inline, images embedded as data URIs, no
    script and no reference to anything outside the page but the relative links of the texts."""
    body = "\n".join(map(_html_block, blocks))
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )
