"""Stage ``dataset``: slice the feature arrays by data/split.csv into data/datasets/{r1,amh}/."""

from pipeline import paths, stage
from pipeline.audio.params import AudioParams
from pipeline.datasets import build_datasets, dataset_options
from pipeline.labels import LabelParams
from pipeline.params import load_params, load_section
from pipeline.text.params import TextParams


def main() -> None:
    args = stage.parser(__doc__).parse_args()
    params = load_params(args.params)
    scheme = load_section(LabelParams, "labels", params).label_scheme
    options = dataset_options(
        load_section(AudioParams, "audio", params), load_section(TextParams, "text", params)
    )
    report = build_datasets(paths.SPLIT, scheme, paths.DATASETS, paths.FEATURES, options)
    sizes = ", ".join(f"{p} {report['partitions'][p]['total']}" for p in ("train", "dev", "test"))
    print(f"datasets: {sizes}; excluded {report['excluded']['total']} failed utterance(s)")


if __name__ == "__main__":
    stage.run(main)
