"""Text features: tokenisation, vocabulary, token indices and the GloVe embedding matrix.

The ``dataset`` stage applies ``text.vocab_scope: train`` with :func:`restrict_vocabulary`.
"""

from pipeline.text.vocab import PAD, PAD_ID, UNK, UNK_ID, restrict_vocabulary

__all__ = ["PAD", "PAD_ID", "UNK", "UNK_ID", "restrict_vocabulary"]
