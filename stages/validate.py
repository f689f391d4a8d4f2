"""Stage ``validate``: check the whole params.yaml (and the paths it names) before any other
stage runs; ``dvc.yaml`` runs it on every ``dvc repro``. Writes data/params.ok."""

from pipeline import paths, stage
from pipeline.config import validate
from pipeline.io import write_text


def main() -> None:
    args = stage.parser(__doc__).parse_args()
    validate(args.params)
    write_text(paths.PARAMS_OK, f"{args.params}: valid\n")
    print(f"{args.params}: valid")


if __name__ == "__main__":
    stage.run(main)
