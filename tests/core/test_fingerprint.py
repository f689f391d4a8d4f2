"""The import closure and code fingerprint of a module, on a small repository built here."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.errors import MmserError
from pipeline.fingerprint import code_fingerprint, module_closure

FILES = {
    "pkg/__init__.py": '"""A package."""\n',
    "pkg/stage.py": "from pkg.work import run\nimport numpy as np\n",
    "pkg/work.py": (
        '"""Work."""\n'
        "from pathlib import Path\n"
        "from . import helper\n"
        "from pkg.sub import tool\n"
        "CONFIG = Path(__file__).parent / 'conf'\n"
        "NAME = 'unused'  # a plain string naming a sibling is not a data file\n"
        "from pkg.kinds import KINDS\n"
        "def run():\n"
        "    from pkg import lazy  # imported inside a function\n"
        "    KINDS.get('x')  # imports the registered module\n"
        "    import yaml\n"
        "    return helper.VALUE + tool.VALUE + lazy.VALUE\n"
    ),
    "pkg/helper.py": "VALUE = 1  # a comment\n",
    "pkg/lazy.py": "VALUE = 2\n",
    "pkg/registered.py": "class Backend: ...\n",
    "pkg/kinds.py": (
        "from pkg.registry import Registry\n"
        "KINDS = Registry('kind', {'x': 'pkg.registered:Backend', 'y': 'fractions:Fraction'})\n"
        "SHAPES = Registry('shape', {'s': 'pkg.unused:VALUE'})  # nobody calls SHAPES.get\n"
    ),
    "pkg/registry.py": "class Registry: ...\n",
    "pkg/unused.py": "VALUE = 3\n",
    "pkg/sub/__init__.py": "from pkg.sub import extra\n",
    "pkg/sub/tool.py": "VALUE = 4\n",
    "pkg/sub/extra.py": "VALUE = 5\n",
    "pkg/conf/a.conf": "rate = 1\n",
    "pkg/conf/nested/b.inc": "size = 2\n",
    "other/__init__.py": "",
    "other/thing.py": "from pkg import helper\n",
}


def _repo(root: Path) -> Path:
    for name, text in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return _repo(tmp_path / "repo")


def test_closure_follows_every_import_and_names_data_and_libraries(repo: Path) -> None:
    closure = module_closure("pkg.stage", repo)
    assert closure.modules == tuple(
        f"pkg/{name}"
        for name in (
            "__init__.py",
            "helper.py",
            "kinds.py",
            "lazy.py",
            "registered.py",
            "registry.py",
            "stage.py",
            "sub/__init__.py",
            "sub/extra.py",
            "sub/tool.py",
            "work.py",
        )
    )
    assert closure.data == ("pkg/conf/a.conf", "pkg/conf/nested/b.inc")
    assert closure.libraries == ("numpy", "yaml")
    with pytest.raises(MmserError, match=r"'pkg\.missing' is not a module of this repository"):
        module_closure("pkg.missing", repo)


def _edited(repo: Path, tmp_path: Path, name: str, text: str, where: str) -> str:
    copy = tmp_path / where
    shutil.copytree(repo, copy)
    (copy / name).write_text(text)
    return code_fingerprint("pkg.stage", copy)


def test_fingerprint_changes_with_code_and_data_only(repo: Path, tmp_path: Path) -> None:
    base = code_fingerprint("pkg.stage", repo)
    assert base == code_fingerprint("pkg.stage", _repo(tmp_path / "same"))
    same = {
        "comment": ("pkg/helper.py", "VALUE = 1  # another comment\n\n"),
        "docstring": ("pkg/work.py", FILES["pkg/work.py"].replace('"""Work."""', '"""Doc."""')),
        "unrelated module": ("pkg/unused.py", "VALUE = 30\n"),
        "unrelated package": ("other/thing.py", "VALUE = 0\n"),
    }
    for what, (name, text) in same.items():
        assert _edited(repo, tmp_path, name, text, what) == base, what
    different = {
        "transitive import": ("pkg/sub/extra.py", "VALUE = 50\n"),
        "lazy import": ("pkg/lazy.py", "VALUE = 20\n"),
        "registry entry": ("pkg/registered.py", "class Backend:\n    VALUE = 1\n"),
        "data file": ("pkg/conf/nested/b.inc", "size = 3\n"),
    }
    for what, (name, text) in different.items():
        assert _edited(repo, tmp_path, name, text, what) != base, what
