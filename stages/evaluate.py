"""Stage ``evaluate@<model>``: score a trained model on the test set → results/<model>/."""

from models.checkpoint import resolve_device
from models.evaluate import evaluate
from models.params import TrainParams
from models.zoo import MODELS
from pipeline import paths, stage
from pipeline.params import load_params, load_section


def main() -> None:
    parser = stage.parser(__doc__)
    parser.add_argument("model", choices=MODELS.names())
    args = parser.parse_args()
    train = load_section(TrainParams, "train", load_params(args.params))
    metrics = evaluate(
        args.model,
        paths.model_dir(args.model) / "model.pt",
        paths.DATASETS,
        paths.results_dir(args.model),
        resolve_device(train.device),
    )
    print(f"{args.model}: test WA {metrics['test']['wa']:.3f} UA {metrics['test']['ua']:.3f}")


if __name__ == "__main__":
    stage.run(main)
