"""Stage ``report``: every setting's runs over ``split.folds`` → results/summary.{md,csv}, the
DVC metrics results/metrics.json and the self-contained page results/report.html."""

from pipeline import paths, stage
from pipeline.asr.params import AsrParams
from pipeline.io import read_json
from pipeline.params import load_params, load_section
from pipeline.report.checks import ReportParams
from pipeline.report.features import read_metas
from pipeline.report.html import write_html
from pipeline.report.metrics import curated_metrics, write_metrics
from pipeline.report.runs import collect_runs
from pipeline.report.sources import data_reports
from pipeline.report.summary import build_report, write_summary
from pipeline.settings import SETTINGS, SettingsParams
from pipeline.splits import SplitParams


def main() -> None:
    args = stage.parser(__doc__).parse_args()
    params = load_params(args.params)
    settings = load_section(SettingsParams, "settings", params)
    folds = load_section(SplitParams, "split", params).folds
    backend = load_section(AsrParams, "asr", params).backend
    runs = collect_runs({name: settings.runs(name) for name in SETTINGS}, folds)
    files = data_reports(SETTINGS, folds, backend)
    report = build_report(runs, read_metas(), load_section(ReportParams, "report", params), files)
    write_summary(report, paths.SUMMARY_MD, paths.SUMMARY_CSV)
    asr = read_json(paths.transcripts_report(backend))
    write_metrics(paths.METRICS, curated_metrics(report, read_json(paths.MANIFEST_REPORT), asr))
    write_html(report, paths.REPORT_HTML)
    print("\n".join(report.checks))
    print(f"results: {paths.SUMMARY_MD}, {paths.REPORT_HTML}")


if __name__ == "__main__":
    stage.run(main)
