"""Stage ``split@<setting>-<fold>``: the setting's label scheme + ``split.protocol``, one fold →
data/splits/<setting>/fold<k>.csv and .json (counts)."""

from dataclasses import asdict

from pipeline import paths, stage
from pipeline.io import write_csv, write_json
from pipeline.manifest import read_manifest
from pipeline.params import load_params, load_section
from pipeline.settings import SettingsParams, fold_parser
from pipeline.splits import SplitParams, SplitRow, make_split, split_report


def main() -> None:
    args = fold_parser(__doc__).parse_args()
    params = load_params(args.params)
    scheme = load_section(SettingsParams, "settings", params).scheme(args.setting)
    split = load_section(SplitParams, "split", params)
    rows = make_split(read_manifest(paths.MANIFEST), scheme, split, args.fold)
    csv_path = paths.split_csv(args.setting, args.fold)
    write_csv(csv_path, (asdict(r) for r in rows), SplitRow.__dataclass_fields__)
    report = split_report(rows, scheme, split, args.fold)
    write_json(paths.split_report(args.setting, args.fold), {"setting": args.setting, **report})


if __name__ == "__main__":
    stage.run(main)
