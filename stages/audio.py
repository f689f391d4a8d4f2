"""Stage ``audio``: manifest wavs → MFCC, prosody and AMH arrays in data/features/audio/."""

from pathlib import Path

from pipeline import paths, stage
from pipeline.audio.extract import extract_audio
from pipeline.audio.params import AudioParams
from pipeline.cache import CacheParams
from pipeline.corpus.params import CorpusParams
from pipeline.manifest import read_manifest
from pipeline.params import load_params, load_section


def main() -> None:
    args = stage.parser(__doc__).parse_args()
    params = load_params(args.params)
    corpus = load_section(CorpusParams, "corpus", params)
    audio = load_section(AudioParams, "audio", params)
    cache_dir = Path(load_section(CacheParams, "cache", params).dir)
    extract_audio(
        read_manifest(paths.MANIFEST), corpus.root, audio, cache_dir, paths.AUDIO_FEATURES
    )


if __name__ == "__main__":
    stage.run(main)
