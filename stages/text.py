"""Stage ``text``: gold or ASR transcripts → data/features/text/ (tokens.npy [N,128] int32,
vocab.json, embedding.npy [V,D] f32, index.csv, meta.json, failed.csv)."""

from pipeline import paths, stage
from pipeline.asr.base import read_transcripts
from pipeline.asr.params import AsrParams
from pipeline.manifest import read_manifest
from pipeline.params import load_params, load_section
from pipeline.text.features import text_features, write_text_features
from pipeline.text.params import GloveParams, TextParams


def main() -> None:
    args = stage.parser(__doc__).parse_args()
    params = load_params(args.params)
    text = load_section(TextParams, "text", params)
    asr = load_section(AsrParams, "asr", params)
    glove = load_section(GloveParams, "glove", params)
    asr_texts = None
    if text.source == "asr":
        asr_texts = read_transcripts(paths.transcripts_csv(asr.backend))
    features = text_features(read_manifest(paths.MANIFEST), text, asr, glove, asr_texts)
    write_text_features(features)


if __name__ == "__main__":
    stage.run(main)
