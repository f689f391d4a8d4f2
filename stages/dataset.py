"""Stage ``dataset@<setting>-<fold>``: slice the feature arrays by the fold's split →
data/datasets/<setting>/fold<k>/{r1,amh}/ (the layouts its models read) and fold<k>.json."""

from pipeline import paths, stage
from pipeline.audio.params import AudioParams
from pipeline.datasets import build_datasets, dataset_options
from pipeline.io import read_json
from pipeline.params import load_params, load_section
from pipeline.settings import LAYOUTS, SettingsParams, fold_parser
from pipeline.text.params import TextParams
from pipeline.video.params import VideoParams


def main() -> None:
    args = fold_parser(__doc__).parse_args()
    params = load_params(args.params)
    split = read_json(paths.split_report(args.setting, args.fold))
    options = dataset_options(
        load_section(AudioParams, "audio", params),
        load_section(VideoParams, "video", params),
        load_section(TextParams, "text", params),
    )
    report = build_datasets(
        paths.split_csv(args.setting, args.fold),
        load_section(SettingsParams, "settings", params).scheme(args.setting),
        paths.datasets_dir(args.setting, args.fold),
        paths.FEATURES,
        options,
        layouts=LAYOUTS[args.setting],
        report_path=paths.datasets_report(args.setting, args.fold),
        source={"setting": args.setting, **{k: split[k] for k in ("fold", "protocol", "split")}},
    )
    sizes = ", ".join(f"{p} {report['partitions'][p]['total']}" for p in ("train", "dev", "test"))
    print(f"datasets: {sizes}; excluded {report['excluded']['total']} failed utterance(s)")


if __name__ == "__main__":
    stage.run(main)
