"""Code, config and docs speak to a reader of this repository: no pointer to a document or an
issue tracker the reader does not have (issue numbers, spec sections, briefs)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = re.compile(
    r"\bissues? #?\d"  # issue 7, issues 4-6
    r"|\bspec\b\s*(§|originals)"  # spec §3.4, spec originals.md
    r"|§\s?\d"  # §8.19
    r"|(?-i:\bBRIEF)"  # BRIEF, BRIEF's (upper case: "brief" is a word)
    r"|shared/spec|originals\.md|iemocap_format\.md|dependencies\.md|style\.md",
    re.IGNORECASE,
)


def tracked_text_files() -> list[Path]:
    names = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    files = []
    for name in names:
        path = ROOT / name
        if path.is_file() and path != Path(__file__).resolve():
            data = path.read_bytes()
            if b"\0" not in data[:8192]:
                files.append(path)
    return files


def test_no_reference_to_documents_outside_the_repository() -> None:
    files = tracked_text_files()
    assert any(p.name == "README.md" for p in files) and len(files) > 100
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in files
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1)
        if FORBIDDEN.search(line)
    ]
    assert not found, "\n".join(found)


def test_the_pattern_catches_what_it_is_meant_to() -> None:
    for text in (
        "(issue 7)",
        "issues 4-6",
        "spec §5.1",
        "(spec: iemocap_format.md)",
        "§8.19",
        "BRIEF",
    ):
        assert FORBIDDEN.search(text), text
    for text in ("a brief note", "load_backbone(spec: str)", "for spec in specs", "tissue 3"):
        assert not FORBIDDEN.search(text), text
