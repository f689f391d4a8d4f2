"""Stage ``asr``: recognise every manifest utterance with ``asr.backend`` →
data/transcripts/<backend>.csv, <backend>_report.json (WER/CER, real-time factor), _failed.csv."""

from pipeline import paths, stage
from pipeline.asr.params import AsrParams
from pipeline.asr.run import run_asr
from pipeline.cache import CacheParams
from pipeline.corpus.params import CorpusParams
from pipeline.manifest import read_manifest
from pipeline.params import load_params, load_section


def main() -> None:
    args = stage.parser(__doc__).parse_args()
    params = load_params(args.params)
    corpus = load_section(CorpusParams, "corpus", params)
    asr = load_section(AsrParams, "asr", params)
    cache = load_section(CacheParams, "cache", params)
    run_asr(read_manifest(paths.MANIFEST), corpus.root, asr, cache.dir)


if __name__ == "__main__":
    stage.run(main)
