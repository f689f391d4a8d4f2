"""The ``opensmile`` audio backend: mmser's openSMILE configs, all features in one run.

The configs under ``pipeline/audio/opensmile/`` are mmser's own. The MFCC and prosody ones restate
every option of openSMILE's official ``config/mfcc/MFCC12_E_D_A.conf`` and
``config/prosody/prosodyShsViterbiLoudness.conf`` (R1's features) and reproduce their outputs
(tests/audio/test_opensmile_reference.py); the AMH one is mmser's reading of AMH's 120-dim
frames. Each feature has a stand-alone config usable with
``opensmile.Smile(feature_set=<conf>, feature_level=<level>)`` (``mfcc12_e_d_a.conf``/``mfcc``,
``prosody_shs_viterbi_loudness.conf``/``prosody``, ``amh_mfcc40_d_a.conf``/``amh``). The
backend runs ``all_features.conf`` instead: the same component files, one shared 25 ms front
end, and two external sinks (frame features, prosody), through the library binding
``opensmile.Smile`` itself uses (``opensmile.core.lib.OpenSMILE``).
One run per utterance is about twice as fast as three ``Smile`` calls and gives identical numbers
(tests/audio/test_opensmile_backend.py checks both). openSMILE reports errors only in its log, so
a failed run is repeated once with a log file and the error line is put in the message.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from pipeline.audio.features import MFCC_DIM, AudioFeatures
from pipeline.audio.signal import to_pcm16
from pipeline.cache import stable_hash
from pipeline.errors import MmserError

CONFIG_DIR = Path(__file__).parent / "opensmile"
ALL_FEATURES = CONFIG_DIR / "all_features.conf"
SOURCE = CONFIG_DIR / "external_source.conf.inc"
SINKS = CONFIG_DIR / "external_sinks.conf.inc"
SINK_OF = {"frames": "sinkFrames", "prosody": "sinkProsody"}  # frames = [mfcc ; amh]
SOURCE_COMPONENT = "extsource"
RUNS_PER_INSTANCE = 500
# Stand-alone configs and their level, for opensmile.Smile.
SMILE_CONFIGS = {
    "mfcc": CONFIG_DIR / "mfcc12_e_d_a.conf",
    "amh": CONFIG_DIR / "amh_mfcc40_d_a.conf",
    "prosody": CONFIG_DIR / "prosody_shs_viterbi_loudness.conf",
}


def config_files() -> list[Path]:
    """Every config file the backend reads (their contents are part of the cache key)."""
    return sorted(p for p in CONFIG_DIR.iterdir() if p.suffix in (".conf", ".inc"))


class OpenSmileBackend:
    """openSMILE (the ``opensmile`` package's bundled library) with mmser's configs."""

    name: ClassVar[str] = "opensmile"

    def __init__(self) -> None:
        import opensmile  # imported lazily, like every backend's library

        self._version = opensmile.__version__
        self._smile: Any = None
        self._runs = 0

    def config(self) -> dict[str, Any]:
        files = {p.name: p.read_text(encoding="utf-8") for p in config_files()}
        return {"opensmile": self._version, "configs": stable_hash(files)}

    def extract(self, signal: np.ndarray) -> AudioFeatures:
        from opensmile.core.lib import OpenSmileException

        try:
            outputs = _run(self._instance(), signal)
        except OpenSmileException as exc:
            self.close()
            raise MmserError(f"openSMILE failed ({exc}): {_diagnose(signal)}") from None
        if not outputs["frames"] or len(outputs["prosody"]) != 1:
            raise MmserError("openSMILE produced no frames for this signal")
        frames = np.stack(outputs["frames"])
        return AudioFeatures(
            mfcc=frames[:, :MFCC_DIM], amh=frames[:, MFCC_DIM:], prosody=outputs["prosody"][0]
        )

    def _instance(self) -> Any:
        """The openSMILE instance: initialised once, reset between utterances (initialising per
        utterance costs a quarter of the run time), renewed every ``RUNS_PER_INSTANCE`` runs
        because the binding keeps every callback ever registered on an instance."""
        if self._smile is not None and self._runs >= RUNS_PER_INSTANCE:
            self.close()
        if self._smile is None:
            self._smile, self._runs = _initialize(log_file=None), 0
        else:
            self._smile.reset()
        self._runs += 1
        return self._smile

    def close(self) -> None:
        """Free the openSMILE instance (a new one is created on the next :meth:`extract`)."""
        if self._smile is not None:
            self._smile.free()
            self._smile = None


def _initialize(log_file: str | None) -> Any:
    """A new openSMILE instance of ``all_features.conf``. It is reused across utterances
    (``reset`` between runs): initialising per utterance costs about a quarter of the time."""
    from opensmile.core.lib import OpenSMILE

    smile = OpenSMILE()
    smile.initialize(
        config_file=str(ALL_FEATURES),
        options={"source": str(SOURCE), "sink": str(SINKS)},
        loglevel=1 if log_file else 0,
        log_file=log_file,
        debug=False,
    )
    return smile


def _run(smile: Any, signal: np.ndarray) -> dict[str, list[np.ndarray]]:
    """One run; returns the frames per level (the callbacks' lists are emptied afterwards, so
    callbacks the binding retains hold no data)."""
    collected: dict[str, list[np.ndarray]] = {level: [] for level in SINK_OF}
    for level, sink in SINK_OF.items():
        smile.external_sink_set_callback(sink, _collector(collected[level]))
    try:
        smile.external_audio_source_write_data(
            SOURCE_COMPONENT, to_pcm16(signal).astype("<i2").tobytes()
        )
        smile.external_audio_source_set_eoi(SOURCE_COMPONENT)
        smile.run()
        return {level: list(frames) for level, frames in collected.items()}
    finally:
        for frames in collected.values():
            frames.clear()


def _diagnose(signal: np.ndarray) -> str:
    """openSMILE reports errors only in its log: rerun once with a log file, return the error."""
    from opensmile.core.lib import OpenSmileException

    with tempfile.TemporaryDirectory(prefix="mmser-opensmile-") as folder:
        log = Path(folder) / "smile.log"
        smile = None
        try:
            smile = _initialize(log_file=str(log))
            _run(smile, signal)
        except OpenSmileException:
            pass
        finally:
            if smile is not None:
                smile.free()
        text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    errors = [
        line.split("(ERR)", 1)[1].strip()
        for line in text.splitlines()
        if "(ERR)" in line and "commandlineParser" not in line  # options other configs use
    ]
    return "; ".join(errors[:3]) if errors else "no error message in its log"


def _collector(target: list[np.ndarray]) -> Callable[[np.ndarray], None]:
    def collect(data: np.ndarray) -> None:
        target.append(np.array(data, dtype=np.float32))

    return collect
