"""Stage ``video``: ResNet-101 features of the speaking actor → data/features/video/."""

from pathlib import Path

from pipeline import paths, stage
from pipeline.cache import CacheParams
from pipeline.corpus.layout import resolve_root
from pipeline.corpus.params import CorpusParams
from pipeline.manifest import read_manifest
from pipeline.params import load_params, load_section
from pipeline.video.extract import extract_features, finish
from pipeline.video.params import VideoParams


def main() -> None:
    args = stage.parser(__doc__).parse_args()
    params = load_params(args.params)
    corpus = load_section(CorpusParams, "corpus", params)
    video = load_section(VideoParams, "video", params)
    run = extract_features(
        read_manifest(paths.MANIFEST),
        resolve_root(corpus.root),
        video,
        Path(load_section(CacheParams, "cache", params).dir),
        paths.VIDEO_FEATURES,
    )
    finish(run, video.on_error, paths.VIDEO_FAILED)


if __name__ == "__main__":
    stage.run(main)
