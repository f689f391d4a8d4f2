"""Video features (AMH, R2): ResNet-101 pool features of the speaking actor's half at 3 fps.

Modules: :mod:`.params` (``video:`` section), :mod:`.frames` (which frames, which half, the crop),
:mod:`.decode` (OpenCV, one pass per dialog), :mod:`.weights` (ImageNet / random / file policy),
:mod:`.backbone` (batched ResNet-101 inference), :mod:`.plan` (per-utterance frames and
failures), :mod:`.dialogs` (one video: cache entry, decoding), :mod:`.extract` (the stage:
threads, batching, streaming output).
"""
