"""Stage ``report``: every model's results/<model>/metrics.json → results/summary.{md,csv}."""

from models.report import ReportParams, run_context, write_summary
from models.zoo import MODELS
from pipeline import paths, stage
from pipeline.io import read_json
from pipeline.params import load_params, load_section


def main() -> None:
    args = stage.parser(__doc__).parse_args()
    params = load_section(ReportParams, "report", load_params(args.params))
    runs = {name: [read_json(paths.results_dir(name) / "metrics.json")] for name in MODELS}
    checks = write_summary(runs, run_context(), params, paths.SUMMARY_MD, paths.SUMMARY_CSV)
    print("\n".join(checks))


if __name__ == "__main__":
    stage.run(main)
