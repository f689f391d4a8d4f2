"""Stage ``evaluate-<group>@<model>-<fold>``: score a trained model on its fold's test set →
results/<setting>/fold<k>/<model>/ (metrics.json, predictions.csv, confusion.png)."""

from models.checkpoint import resolve_device
from models.evaluate import evaluate
from models.params import TrainParams
from models.zoo import MODELS
from pipeline import paths, stage
from pipeline.params import load_params, load_section
from pipeline.settings import fold_parser


def main() -> None:
    parser = fold_parser(__doc__)
    parser.add_argument("model", choices=MODELS.names())
    args = parser.parse_args()
    train = load_section(TrainParams, "train", load_params(args.params))
    metrics = evaluate(
        args.model,
        paths.model_dir(args.setting, args.fold, args.model) / "model.pt",
        paths.datasets_dir(args.setting, args.fold),
        paths.results_dir(args.setting, args.fold, args.model),
        resolve_device(train.device),
        train.threads,
    )
    test = metrics["test"]
    run = f"{args.setting} fold {args.fold} {args.model}"
    print(f"{run}: test WA {test['wa']:.3f} UA {test['ua']:.3f}")


if __name__ == "__main__":
    stage.run(main)
