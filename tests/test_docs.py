"""The README fits one screen and links the reference pages in docs/; every relative link of the
README and docs/ reaches an existing file and heading."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
PAGES = sorted((ROOT / "docs").glob("*.md"))
LINK = re.compile(r"\]\(([^)\s]+)\)")


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces → hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    return {slug(m) for m in re.findall(r"^#+ (.+)$", text, flags=re.M)}


def test_slugs_follow_github() -> None:
    assert slug("Training and evaluation (`train-<g>@<m>-<k>`, `evaluate-…`)") == (
        "training-and-evaluation-train-gm-k-evaluate-"
    )
    assert slug("Reruns, caches and interrupts") == "reruns-caches-and-interrupts"


def test_the_readme_fits_one_screen_and_reaches_every_page() -> None:
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 60, "move reference text into docs/ and link it"
    assert "make repro" in text and "make test" in text
    linked = {(README.parent / link.split("#")[0]).resolve() for link in LINK.findall(text)}
    assert PAGES and set(PAGES) <= linked, "link every docs/ page from the README"
    images = re.findall(r"!\[[^\]]*\]\((docs/[^)]+\.png)\)", text)
    assert images and all((ROOT / image).is_file() for image in images)


def test_every_relative_link_reaches_a_file_and_heading() -> None:
    for page in (README, *PAGES):
        for link in LINK.findall(page.read_text(encoding="utf-8")):
            assert not re.match(r"[a-z]+:", link), f"{page.name}: {link} is not relative"
            target, _, anchor = link.partition("#")
            path = (page.parent / target).resolve() if target else page
            assert path.is_file(), f"{page.name}: {link}: no such file"
            if anchor:
                assert anchor in anchors(path), f"{page.name}: {link}: no such heading"
