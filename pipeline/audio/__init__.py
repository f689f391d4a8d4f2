"""Audio features of both reference papers, from the manifest's sentence wavs.

Per utterance:

- ``mfcc`` ``[750, 39]`` + ``seqN``: R1's MFCC12_E_D_A frames (12 MFCC + log energy, deltas,
  accelerations; 25 ms frames, 10 ms hop), first 750 frames, zero right-padded.
- ``prosody`` ``[35]``: R1's prosodyShsViterbiLoudness functionals
  (:data:`features.PROSODY_COLUMNS`).
- ``amh_audio`` ``[1000, 120]`` + ``amh_seqN``: AMH's 120-dim frames (40 cepstra, deltas,
  accelerations; mmser's reading of the undocumented extraction), first 1000 frames.

Modules: :mod:`.params` (``audio:`` section), :mod:`.signal` (reading and conditioning wavs),
:mod:`.features` (shapes, column names, frame fitting), :mod:`.backends` (the backend protocol and
registry) with :mod:`.opensmile_backend` and :mod:`.librosa_backend`, :mod:`.prosody` (contour
smoothing and functionals in numpy), :mod:`.extract` (the stage's work: cache, parallel map,
streamed outputs) and :mod:`.normalize` (z-scoring fitted on the training partition, called by the
dataset stage).
"""
