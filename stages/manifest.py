"""Stage ``manifest``: parse the release at ``corpus.root`` into data/manifest.csv."""

from pipeline import paths, stage
from pipeline.corpus.iemocap import parse_corpus, write_outputs
from pipeline.corpus.params import CorpusParams
from pipeline.params import load_section


def main() -> None:
    args = stage.parser(__doc__).parse_args()
    corpus = load_section(CorpusParams, "corpus", args.params)
    result = parse_corpus(corpus.root)
    write_outputs(result, paths.MANIFEST, paths.MANIFEST_SKIPPED, paths.MANIFEST_REPORT)


if __name__ == "__main__":
    stage.run(main)
