"""The whole-file params check: one list of sections, derived from the code, and every user
mistake named with its line, dotted key and the allowed values."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import os
import subprocess
import sys
import typing
from pathlib import Path

import pytest

from models.params import ModelsParams
from models.zoo import MODALITIES, MODELS
from pipeline.config import Params, validate
from pipeline.params import ParamsError
from tests.params import committed_params_text

ROOT = Path(__file__).resolve().parents[2]
PARAMS_TEXT = committed_params_text()  # the committed defaults, whatever the workspace holds


def edited(tmp_path: Path, *replacements: tuple[str, str]) -> Path:
    """A copy of the committed params.yaml with each ``old`` text replaced by ``new``."""
    text = PARAMS_TEXT
    for old, new in replacements:
        assert text.count(old) == 1, f"{old!r} is not unique in params.yaml"
        text = text.replace(old, new)
    path = tmp_path / "params.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path: Path, text: str) -> int:
    """1-based number of the only line of ``path`` that starts with ``text``."""
    lines = path.read_text().splitlines()
    found = [i for i, line in enumerate(lines, 1) if line.startswith(text)]
    assert len(found) == 1, (text, found)
    return found[0]


def problems(path: Path) -> list[str]:
    with pytest.raises(ParamsError) as info:
        validate(path)
    return [str(p) for p in info.value.problems]


def test_committed_params_file_is_complete_and_equals_the_code_defaults(tmp_path: Path) -> None:
    assert validate(edited(tmp_path)) == Params()


def test_repository_params_file_is_complete_and_valid() -> None:
    validate(ROOT / "params.yaml")  # whatever values it holds (tuned, or set by dvc exp run)


def test_models_section_lists_every_registered_model_with_its_params_class() -> None:
    fields = {f.name: f.type for f in dataclasses.fields(ModelsParams)}
    assert list(fields) == MODELS.names()
    hints = typing.get_type_hints(ModelsParams)
    for name in MODELS:
        assert hints[name] is MODELS.get(name).params_type
    letters = {"audio": "A", "text": "T", "video": "V"}
    for name in MODELS:
        roles = MODELS.get(name).roles
        assert MODALITIES[name] == "+".join(letters[r] for r in letters if r in roles)


def _section_type(dotted: str) -> type:
    cls: type = Params
    for part in dotted.split("."):
        hints = typing.get_type_hints(cls)
        assert part in hints, f"{dotted}: {cls.__name__} has no section or key {part!r}"
        cls = hints[part]
    return cls


def _section_reads() -> list[tuple[str, int, type | None, str]]:
    """(file, line, class read, key) of every ``load_section``/``load_file`` call in the code.

    The class is found through the file's own ``from <module> import <Class>`` (``None`` when
    it is an expression, e.g. ``MODELS.get(name).params_type``).
    """
    reads = []
    for folder in ("stages", "pipeline", "models", "benchmarks"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path == ROOT / "pipeline" / "params.py":  # where they are defined
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            imported = {
                alias.asname or alias.name: node.module
                for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom)
                for alias in node.names
            }
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                    continue
                key_arg = {"load_section": 1, "load_file": 2}.get(node.func.id)
                if key_arg is None or len(node.args) <= key_arg:
                    continue
                cls_node, key = node.args[0], ast.unparse(node.args[key_arg])
                cls = None
                if isinstance(cls_node, ast.Name):
                    module = importlib.import_module(imported[cls_node.id])
                    cls = getattr(module, cls_node.id)
                reads.append((str(path.relative_to(ROOT)), node.lineno, cls, key))
    return reads


def test_stages_read_only_sections_of_the_registry() -> None:
    reads = _section_reads()
    assert len(reads) >= 15  # every stage reads at least one section
    for where, line, cls, key_text in reads:
        if key_text.startswith("f'models."):  # train@<model>: the class of that model
            assert cls is None, (where, line)  # MODELS.get(name).params_type, checked above
            continue
        key = ast.literal_eval(key_text)
        assert _section_type(key) is cls, f"{where}:{line}: {key} is read as {cls}"


def test_typo_of_a_key_names_line_key_and_suggestion(tmp_path: Path) -> None:
    typo = ("  normalize: speaker_zscore", "  normalize: speaker_zscore\n  bakend: librosa")
    path = edited(tmp_path, typo)
    assert problems(path) == [
        f"{path}:{line_of(path, '  bakend')}: audio.bakend: unknown key; did you mean "
        "`audio.backend`? (audio takes: backend, on_error, workers, normalize)"
    ]


def test_unknown_section_and_other_mistakes_are_all_reported_at_once(tmp_path: Path) -> None:
    path = edited(
        tmp_path,
        ("cache:\n", "audoi:\n  backend: librosa\ncache:\n"),
        ("  backend: opensmile", "  backend: librosaa"),
        ("  normalize: speaker_zscore", "  normalize: speaker_zscor"),
        ("  folds: [1]", "  folds: one"),
        ("  rnn: tf_gru ", "  rnn: tf_gruu "),
    )
    found = problems(path)
    expected = [  # in file order
        ("  folds: one", "split.folds: expected a list, got 'one'"),
        (
            "  backend: librosaa",
            "audio.backend: unknown audio backend 'librosaa'; choose one of opensmile, librosa; "
            "did you mean `librosa`?",
        ),
        (
            "  normalize: speaker_zscor",
            "audio.normalize: 'speaker_zscor' is not one of none, train_zscore, speaker_zscore; "
            "did you mean `speaker_zscore`?",
        ),
        (
            "  rnn: tf_gruu",
            "train.rnn: unknown recurrent layer 'tf_gruu'; choose one of tf_gru, torch_gru; "
            "did you mean `tf_gru`?",
        ),
        (
            "audoi:",
            "audoi: unknown section; did you mean `audio`? (sections are: corpus, settings,",
        ),
    ]
    assert len(found) == len(expected)
    for text, (anchor, message) in zip(found, expected, strict=True):
        assert text.startswith(f"{path}:{line_of(path, anchor)}: {message}"), text


def test_ranges_and_rules_across_keys(tmp_path: Path) -> None:
    path = edited(
        tmp_path,
        ("  max_steps: 10000 ", "  max_steps: 100 "),
        ("  max_len: 128 ", "  max_len: 100 "),
        ("  crop: 224 ", "  crop: 16 "),
    )
    found = problems(path)
    crop = line_of(path, "  crop: 16")
    assert found[0] == f"{path}:{crop}: video.crop: must be in 32..1024, got 16"
    assert found[1] == (
        f"{path}:{line_of(path, '  min_steps: 150')}: train.min_steps: must not exceed max_steps "
        "(100), got 150"
    )
    assert len(found) == 2  # the cross-section rule below needs valid sections first
    path = edited(tmp_path, ("  max_len: 128 ", "  max_len: 100 "))
    assert problems(path)[0].endswith(
        "models.tre.text.encoder_size: 128 exceeds text.max_len (100), the text steps stored "
        "per utterance: set it to at most 100"
    )


def test_missing_key_names_its_default(tmp_path: Path) -> None:
    path = edited(tmp_path, ("  on_error: fail      # fail: stop after", "  # fail: stop after"))
    line = line_of(path, "asr:")
    assert problems(path) == [f"{path}:{line}: asr.on_error: missing key (default: fail)"]


def test_corpus_root_pointing_nowhere_names_the_key_and_what_it_must_hold(tmp_path: Path) -> None:
    nowhere = tmp_path / "IEMOCAP_full_release"
    path = edited(
        tmp_path,
        ("  source: synthetic", "  source: iemocap"),
        ("  root: data/IEMOCAP_synthetic", f"  root: {nowhere}"),
    )
    what = (
        "with corpus.source: iemocap it must be the IEMOCAP_full_release folder, holding "
        "Session1..Session5 (each with dialog/EmoEvaluation, dialog/transcriptions and "
        "sentences/wav)"
    )
    line = line_of(path, "  root: ")
    assert problems(path) == [
        f"{path}:{line}: corpus.root: '{nowhere}': corpus root does not exist; {what}"
    ]
    nowhere.mkdir()
    assert problems(path) == [
        f"{path}:{line}: corpus.root: '{nowhere}': no Session1..Session5 folder under the corpus "
        f"root; {what}"
    ]
    (nowhere / "Session2").mkdir()
    assert validate(path).corpus.root == str(nowhere)


def test_synthetic_corpus_must_live_where_the_corpus_stage_writes(tmp_path: Path) -> None:
    path = edited(tmp_path, ("  root: data/IEMOCAP_synthetic", "  root: data/elsewhere"))
    assert problems(path)[0].startswith(
        f"{path}:{line_of(path, '  root: data/elsewhere')}: corpus.root: with corpus.source: "
        "synthetic the root must be data/IEMOCAP_synthetic"
    )


def test_files_named_by_params_must_exist(tmp_path: Path) -> None:
    path = edited(
        tmp_path,
        ("  path: null", "  path: /nowhere/glove.840B.300d.txt"),
        ("  weights: auto", "  weights: imagenett"),
    )
    assert problems(path) == [
        f"{path}:{line_of(path, '  path: /nowhere')}: glove.path: file not found: "
        "'/nowhere/glove.840B.300d.txt' (a GloVe text file such as glove.840B.300d.txt, or null "
        "for glove.fallback)",
        f"{path}:{line_of(path, '  weights: imagenett')}: video.weights: 'imagenett' is neither "
        "one of auto, imagenet, random nor an existing .pth file",
    ]


def _validate_stage(tmp_path: Path, params: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "stages.validate", "--params", str(params)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_validate_stage_exits_non_zero_and_writes_no_marker(tmp_path: Path) -> None:
    path = edited(tmp_path, ("  batch_size: 16 ", "  batch_sise: 16 "))
    result = _validate_stage(tmp_path, path)
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: {path}: 2 problems:\n")
    assert (
        f"{path}:{line_of(path, '  batch_sise')}: video.batch_sise: unknown key; did you mean "
        "`video.batch_size`?"
    ) in result.stderr
    assert f"{path}:{line_of(path, 'video:')}: video.batch_size: missing key" in result.stderr
    assert not (tmp_path / "data" / "params.ok").exists()
    good = tmp_path / "good.yaml"
    good.write_text(PARAMS_TEXT, encoding="utf-8")
    result = _validate_stage(tmp_path, good)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "params.ok").read_text() == f"{good}: valid\n"


def _checks() -> list[tuple[str, int, str, str, set[str]]]:
    """(file, line, class, field named by ``check``, the class's fields) for every ``check(...)``
    call in a dataclass method of the code."""
    found = []
    for folder in ("pipeline", "models"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            if "check(" not in text:
                continue
            tree = ast.parse(text)
            module = importlib.import_module(
                str(path.relative_to(ROOT)).removesuffix(".py").replace("/", ".")
            )
            for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
                target = getattr(module, cls.name)
                if not dataclasses.is_dataclass(target):
                    continue
                fields = {f.name for f in dataclasses.fields(target)}
                for node in ast.walk(cls):
                    call = isinstance(node, ast.Call) and getattr(node.func, "id", "") == "check"
                    if call and isinstance(node.args[1], ast.Constant):
                        where = str(path.relative_to(ROOT))
                        found.append((where, node.lineno, cls.name, node.args[1].value, fields))
    return found


def test_range_checks_name_a_field_of_their_own_dataclass() -> None:
    checks = _checks()
    assert len(checks) >= 20
    for where, line, cls, name, fields in checks:
        assert name == "" or name in fields, f"{where}:{line}: {cls} has no field {name!r}"


def test_the_check_imports_no_heavy_library() -> None:
    """It runs before every `dvc repro`: no torch, NLTK, librosa, openSMILE, OpenCV, sklearn."""
    heavy = ("torch", "nltk", "librosa", "opensmile", "cv2", "sklearn", "google.cloud")
    code = f"import sys, pipeline.config; print([m for m in {heavy!r} if m in sys.modules])"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
