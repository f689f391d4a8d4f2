"""Stage ``report``: every setting's runs over ``split.folds`` → results/summary.{md,csv}."""

from pipeline import paths, stage
from pipeline.params import load_params, load_section
from pipeline.report.checks import ReportParams
from pipeline.report.features import read_metas
from pipeline.report.runs import collect_runs
from pipeline.report.summary import write_report
from pipeline.settings import SETTINGS, SettingsParams
from pipeline.splits import SplitParams


def main() -> None:
    args = stage.parser(__doc__).parse_args()
    params = load_params(args.params)
    settings = load_section(SettingsParams, "settings", params)
    folds = load_section(SplitParams, "split", params).folds
    runs = collect_runs({name: settings.runs(name) for name in SETTINGS}, folds)
    report = load_section(ReportParams, "report", params)
    checks = write_report(runs, read_metas(), report, paths.SUMMARY_MD, paths.SUMMARY_CSV)
    print("\n".join(checks))
    print(f"results: {paths.SUMMARY_MD}")


if __name__ == "__main__":
    stage.run(main)
