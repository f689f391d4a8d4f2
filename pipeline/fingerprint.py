"""What code computes a result: a module's in-repo import closure, and its fingerprint.

The closure of a module is every in-repo Python file that importing it executes (its imports,
theirs, and so on, including imports inside functions, the packages' ``__init__.py``, and the
``"package.module:attribute"`` targets of every :class:`pipeline.registry.Registry` whose
``.get`` a module calls), every
data file those modules read (a string literal joined to a path with ``/`` that names a file or
folder next to the module, as in ``Path(__file__).parent / "opensmile"``), and the third-party
libraries they import. It is found by reading the source (:mod:`ast`), never by importing it.

Two things are derived from it, so neither can drift from the code:

- each stage's code dependencies in dvc.yaml (``tests/test_dvc_deps.py`` fails naming any file
  missing from, or needlessly listed in, a stage's ``deps``);
- :func:`code_fingerprint`, part of every per-item cache key and of the training-resume key: a
  hash of the closure's source (comments, docstrings and formatting excluded), its data files'
  bytes, the installed versions of its libraries and the Python version. Editing any module
  that computes a result, or upgrading a library it uses, makes every cached result miss.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import json
import platform
import re
import sys
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, packages_distributions, version
from pathlib import Path

from pipeline.errors import MmserError

REPO = Path(__file__).resolve().parents[1]
_DATA_NAME = re.compile(r"[\w][\w.-]*")
_TARGET = re.compile(r"(\w+(?:\.\w+)*):\w+")  # a Registry entry: "package.module:attribute"
_SKIP = ("__pycache__",)


@dataclass(frozen=True)
class Closure:
    """Everything a module's results depend on, as found in the source.

    Attributes:
        modules: In-repo Python files (repository-relative, sorted).
        data: In-repo data files the modules read (repository-relative, sorted).
        libraries: Top-level names of the third-party packages imported (sorted).
    """

    modules: tuple[str, ...]
    data: tuple[str, ...]
    libraries: tuple[str, ...]

    @property
    def files(self) -> tuple[str, ...]:
        """Modules and data files together (sorted)."""
        return tuple(sorted(self.modules + self.data))


@functools.cache
def packages(root: Path = REPO) -> frozenset[str]:
    """Top-level in-repo packages: the folders of ``root`` with an ``__init__.py``."""
    return frozenset(p.parent.name for p in root.glob("*/__init__.py"))


def module_path(module: str, root: Path = REPO) -> Path | None:
    """The file of an in-repo module (``a.b`` → ``a/b.py`` or ``a/b/__init__.py``), else None."""
    parts = module.split(".")
    if parts[0] not in packages(root):
        return None
    base = root.joinpath(*parts)
    for candidate in (base / "__init__.py", base.with_suffix(".py")):
        if candidate.is_file():
            return candidate
    return None


def _parse(path: Path) -> ast.Module:
    try:
        return ast.parse(path.read_bytes(), filename=str(path))
    except SyntaxError as exc:
        raise MmserError(f"cannot parse: {exc.msg}", file=path, line=exc.lineno) from None


def _registries(tree: ast.Module, module: str) -> dict[str, dict[str, str]]:
    """Module-level ``NAME = Registry(kind, {name: "package.module:attribute"})``: ``NAME`` →
    ``{"<module>.NAME:<name>": "package.module"}``."""
    found: dict[str, dict[str, str]] = {}
    for node in tree.body:
        value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
        if not (isinstance(value, ast.Call) and getattr(value.func, "id", None) == "Registry"):
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in (t for t in targets if isinstance(t, ast.Name)):
            found[target.id] = {
                f"{module}.{target.id}:{key.value}": match.group(1)
                for c in ast.walk(value)
                if isinstance(c, ast.Dict)
                for key, entry in zip(c.keys, c.values, strict=True)
                if isinstance(key, ast.Constant)
                and isinstance(entry, ast.Constant)
                and isinstance(entry.value, str)
                and (match := _TARGET.fullmatch(entry.value))
            }
    return found


def _chosen(entries: dict[str, str], choice: frozenset[str]) -> set[str]:
    """The modules of a registry's ``entries`` that a lookup may import: all of them, or only
    the chosen entry's when ``choice`` names one of them (``"<module>.NAME:<name>"``)."""
    picked = {module for entry, module in entries.items() if entry in choice}
    return picked or set(entries.values())


def _from_imports(tree: ast.Module, module: str, is_package: bool) -> list[tuple[str, str, str]]:
    """``(module, name, alias)`` of every ``from module import name as alias`` (relative ones
    resolved against ``module``)."""
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
            base = ".".join(anchor + ([node.module] if node.module else []))
        else:
            base = node.module or ""
        found += [(base, a.name, a.asname or a.name) for a in node.names if a.name != "*"]
    return found


def _imported_names(tree: ast.Module, module: str, is_package: bool) -> set[str]:
    """Dotted names a module imports (``from a import b`` gives ``a`` and ``a.b``)."""
    names = {a.name for node in ast.walk(tree) if isinstance(node, ast.Import) for a in node.names}
    for base, name, _ in _from_imports(tree, module, is_package):
        names |= {base, f"{base}.{name}"}
    names.discard("")
    return names


@functools.cache
def _registry_uses(
    path: Path, module: str, root: Path, choice: frozenset[str]
) -> tuple[set[str], dict[str, set[str]]]:
    """What this module's ``<registry>.get`` calls may import: the targets it always may, and
    those only a caller of one of its top-level functions or classes may (a definition that the
    module itself uses counts as always)."""
    tree = _parse(path)
    visible = {name: _chosen(e, choice) for name, e in _registries(tree, module).items()}
    for base, name, alias in _from_imports(tree, module, path.name == "__init__.py"):
        source = module_path(base, root)
        if source is not None and name in (found := _registries(_parse(source), base)):
            visible[alias] = _chosen(found[name], choice)
    always: set[str] = set()
    by_name: dict[str, set[str]] = {}
    for statement in tree.body:
        targets = {
            target
            for node in ast.walk(statement)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and isinstance(node.func.value, ast.Name)
            for target in visible.get(node.func.value.id, ())
        }
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            by_name[statement.name] = targets
        else:
            always |= targets
    for statement in tree.body:
        own = getattr(statement, "name", None)
        for node in ast.walk(statement):
            if isinstance(node, ast.Name) and node.id in by_name and node.id != own:
                always |= by_name[node.id]
    return always, by_name


def _registry_imports(
    tree: ast.Module, module: str, path: Path, root: Path, choice: frozenset[str]
) -> set[str]:
    """The modules that registry lookups may import for ``module``: its own, and those of the
    functions and classes it imports (all of them for a module it imports whole)."""

    def uses(name: str) -> tuple[set[str], dict[str, set[str]]]:
        found = module_path(name, root)
        return _registry_uses(found, name, root, choice) if found is not None else (set(), {})

    def whole(name: str) -> set[str]:
        always, by_name = uses(name)
        return always.union(*by_name.values())

    targets = set(_registry_uses(path, module, root, choice)[0])
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = targets.union(*(whole(a.name) for a in node.names))
    for base, name, _ in _from_imports(tree, module, path.name == "__init__.py"):
        if module_path(f"{base}.{name}", root) is not None:
            targets |= whole(f"{base}.{name}")
        else:
            targets |= uses(base)[1].get(name, set())
    return targets


def _data_files(tree: ast.Module, path: Path) -> set[Path]:
    """Non-Python files and folders next to ``path`` that a string literal joined to a path with
    ``/`` names (``Path(__file__).parent / "opensmile"``)."""
    found: set[Path] = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div)):
            continue
        literal = node.right
        if not (isinstance(literal, ast.Constant) and isinstance(literal.value, str)):
            continue
        if not _DATA_NAME.fullmatch(literal.value) or literal.value in _SKIP:
            continue
        target = path.parent / literal.value
        if target.is_file() and target.suffix != ".py":
            found.add(target)
        elif target.is_dir() and not (target / "__init__.py").exists():
            found.update(
                f
                for f in target.rglob("*")
                if f.is_file() and not any(part in _SKIP for part in f.parts)
            )
    return found


@functools.cache
def module_closure(module: str, root: Path = REPO, choice: frozenset[str] = frozenset()) -> Closure:
    """The closure of ``module`` (a dotted name such as ``stages.audio``) in the repository at
    ``root`` (paths in it are relative to ``root``).

    ``choice`` narrows registry lookups to the entries a run picks, each named
    ``"<module>.<REGISTRY>:<name>"`` (``"models.zoo.MODELS:are"``: the closure of training ARE
    holds models/are.py, not the other models); a registry with no chosen entry counts whole.

    Raises:
        MmserError: if ``module`` is not an in-repo module or a file in its closure does not parse.
    """
    if module_path(module, root) is None:
        raise MmserError(f"{module!r} is not a module of this repository", file=root)
    seen: dict[str, Path] = {}
    data: set[Path] = set()
    libraries: set[str] = set()
    queue = [module]
    while queue:
        name = queue.pop()
        path = module_path(name, root)
        if path is None or name in seen:
            continue
        seen[name] = path
        parts = name.split(".")
        queue.extend(".".join(parts[:i]) for i in range(1, len(parts)))  # parent packages run
        tree = _parse(path)
        data |= _data_files(tree, path)
        imports = _imported_names(tree, name, path.name == "__init__.py")
        for imported in imports | _registry_imports(tree, name, path, root, choice):
            top = imported.split(".")[0]
            if top in packages(root):
                queue.append(imported)
            elif top not in sys.stdlib_module_names and top != "__future__":
                libraries.add(top)
    return Closure(
        modules=tuple(sorted(p.relative_to(root).as_posix() for p in seen.values())),
        data=tuple(sorted(p.relative_to(root).as_posix() for p in data)),
        libraries=tuple(sorted(libraries)),
    )


def _strip_docstrings(tree: ast.AST) -> ast.AST:
    """``tree`` without module, class and function docstrings (they compute nothing)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            first = body[0].value if body and isinstance(body[0], ast.Expr) else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                node.body = body[1:] or [ast.Pass()]
    return tree


def source_digest(path: Path) -> str:
    """SHA-256 of a Python file's syntax tree (comments, docstrings and layout do not count)."""
    dump = ast.dump(_strip_docstrings(_parse(path)), include_attributes=False)
    return hashlib.sha256(dump.encode("utf-8")).hexdigest()


@functools.cache
def library_versions(libraries: tuple[str, ...]) -> dict[str, str]:
    """Installed distribution versions of top-level import names (``cv2`` → opencv-python...)."""
    distributions = packages_distributions()
    found: dict[str, str] = {}
    for name in libraries:
        for dist in distributions.get(name, [name]):
            try:
                found[dist] = version(dist)
            except PackageNotFoundError:
                found[dist] = "not installed"
    return dict(sorted(found.items()))


@functools.cache
def code_fingerprint(module: str, root: Path = REPO, choice: frozenset[str] = frozenset()) -> str:
    """A hash of everything in :func:`module_closure` (with ``choice``) that can change what
    ``module`` computes."""
    closure = module_closure(module, root, choice)
    record = {
        "modules": {m: source_digest(root / m) for m in closure.modules},
        "data": {d: hashlib.sha256((root / d).read_bytes()).hexdigest() for d in closure.data},
        "libraries": library_versions(closure.libraries),
        "python": platform.python_version(),
    }
    return hashlib.sha256(json.dumps(record, sort_keys=True).encode("utf-8")).hexdigest()


def main() -> None:
    """``python -m pipeline.fingerprint stages.<name>... [--choose <module>.<REGISTRY>:<name>]``:
    print each module's closure files, as a stage's code deps in dvc.yaml list them."""
    args = sys.argv[1:]
    choice = frozenset(args[i + 1] for i, a in enumerate(args[:-1]) if a == "--choose")
    modules = [a for i, a in enumerate(args) if a != "--choose" and args[i - 1 : i] != ["--choose"]]
    for module in modules:
        print(f"# {module}")
        for path in module_closure(module, choice=choice).files:
            print(f"      - {path}")


if __name__ == "__main__":
    main()
