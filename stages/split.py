"""Stage ``split``: label scheme + protocol → data/split.csv and data/split_report.json."""

from dataclasses import asdict

from pipeline import paths, stage
from pipeline.io import write_csv, write_json
from pipeline.labels import LabelParams
from pipeline.manifest import read_manifest
from pipeline.params import load_params, load_section
from pipeline.splits import SplitParams, SplitRow, make_split, split_report


def main() -> None:
    args = stage.parser(__doc__).parse_args()
    params = load_params(args.params)
    scheme = load_section(LabelParams, "labels", params).label_scheme
    split = load_section(SplitParams, "split", params)
    rows = make_split(read_manifest(paths.MANIFEST), scheme, split)
    write_csv(paths.SPLIT, (asdict(r) for r in rows), SplitRow.__dataclass_fields__)
    write_json(paths.SPLIT_REPORT, split_report(rows, scheme, split))


if __name__ == "__main__":
    stage.run(main)
