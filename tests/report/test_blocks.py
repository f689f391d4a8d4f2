"""The report's blocks rendered as markdown and as a self-contained HTML page."""

from __future__ import annotations

import base64
import re

import pytest

from pipeline.report.blocks import (
    Bullets,
    Heading,
    Images,
    Paragraph,
    Table,
    html_page,
    inline_html,
    markdown,
)

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))  # bytes only: the page does not decode images


def test_markdown() -> None:
    blocks = [
        Heading(1, "Results"),
        Paragraph("Features:"),
        Bullets(("a", "b")),
        Heading(2, "R1", anchor="r1"),
        Table(("model", "WA"), (("are", "0.700"), ("tre", "0.650"))),
    ]
    assert markdown(blocks) == (
        "# Results\n\nFeatures:\n\n- a\n- b\n\n## R1\n\n"
        "| model | WA |\n|---|---|\n| are | 0.700 |\n| tre | 0.650 |\n"
    )


def test_inline_markup_is_escaped_and_converted() -> None:
    text = "a <b> & `x<y> **not bold**` **bold** *em* [metrics](runs/r1/fold1/are/metrics.json)"
    assert inline_html(text) == (
        "a &lt;b&gt; &amp; <code>x&lt;y&gt; **not bold**</code> <strong>bold</strong> "
        '<em>em</em> <a href="runs/r1/fold1/are/metrics.json">metrics</a>'
    )


def test_the_page_embeds_its_images_and_references_nothing_outside() -> None:
    blocks = [
        Heading(3, "are, r1 (4class), fold 1", anchor="r1-are-fold1"),
        Bullets(("ok r1: fine", "FAIL r1/mdre: worse")),
        Table(("a",), (("<script>alert(1)</script>",),)),
        Images(((PNG, "curves"), (PNG[::-1], "confusion"))),
    ]
    page = html_page("mmser results", blocks)
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert not re.search(r"https?://", page) and "<script" not in page
    assert '<h3 id="r1-are-fold1">are, r1 (4class), fold 1</h3>' in page
    assert '<li class="ok">ok r1: fine</li>' in page and '<li class="fail">FAIL' in page
    sources = re.findall(r'<img src="([^"]+)" alt="([^"]+)">', page)
    assert [alt for _, alt in sources] == ["curves", "confusion"]
    prefix = "data:image/png;base64,"
    assert all(src.startswith(prefix) for src, _ in sources)
    assert [base64.b64decode(src[len(prefix) :]) for src, _ in sources] == [PNG, PNG[::-1]]


def test_images_have_no_markdown_form() -> None:
    with pytest.raises(TypeError, match="Images has no markdown form"):
        markdown([Images(((PNG, "x"),))])
