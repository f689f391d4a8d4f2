"""Speech recognition backends (gold | pocketsphinx | google) behind one Protocol, the cached
recognition loop of the ``asr`` stage, and WER/CER scoring against the gold transcripts."""
