"""A synthetic corpus in the exact IEMOCAP_full_release layout, with emotion cues in all modalities.

Modules, in the order the generator uses them:

- :mod:`.emotions`: how each raw label reads, sounds and looks (groups, prosody, colour, motion).
- :mod:`.sentences`: the sentence pools (per label and per valence group) and transcript quirks.
- :mod:`.plan`: seeded planning of sessions, dialogs, turns, labels, cues and evaluator lines.
- :mod:`.tts`: espeak-ng speech through ctypes (reproducible call by call).
- :mod:`.timeline`: turn spans on a 0.5 ms grid, so printed times are exact sample positions.
- :mod:`.audio`, :mod:`.video`, :mod:`.annotations`, :mod:`.release`: the files they write.
- :mod:`.render`: one dialog → its files; :mod:`.build`: all dialogs in parallel, atomically.
"""

from pipeline.corpus.synthetic.build import CorpusPlan, build_corpus, generate
from pipeline.corpus.synthetic.render import SyntheticUtterance

__all__ = ["CorpusPlan", "SyntheticUtterance", "build_corpus", "generate"]
