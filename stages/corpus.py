"""Stage ``corpus``: generate the synthetic release at ``corpus.root`` (or a placeholder)."""

from pipeline import stage
from pipeline.corpus.params import CorpusParams
from pipeline.corpus.synthetic import build_corpus
from pipeline.params import load_section


def main() -> None:
    args = stage.parser(__doc__).parse_args()
    build_corpus(load_section(CorpusParams, "corpus", args.params))


if __name__ == "__main__":
    stage.run(main)
