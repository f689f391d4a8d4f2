"""mmser pipeline library: corpus parsing, labels and splits, features, ASR, and shared machinery.

Everything a DVC stage does lives here; ``stages/`` only wires parameters and paths to it.
"""

__version__ = "0.1.0"
