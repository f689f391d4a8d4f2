"""Stage ``train-<group>@<model>-<fold>``: train one model of a setting on one fold's datasets
→ data/models/<setting>/fold<k>/<model>/model.pt, results/<setting>/fold<k>/<model>/train_*."""

from pathlib import Path

from models.params import TrainParams
from models.train import train_model
from models.zoo import MODELS
from pipeline import paths, stage
from pipeline.cache import CacheParams
from pipeline.params import load_params, load_section
from pipeline.settings import fold_parser


def main() -> None:
    parser = fold_parser(__doc__)
    parser.add_argument("model", choices=MODELS.names())
    args = parser.parse_args()
    params = load_params(args.params)
    model_params = load_section(MODELS.get(args.model).params_type, f"models.{args.model}", params)
    train_model(
        args.model,
        model_params,
        load_section(TrainParams, "train", params),
        paths.datasets_dir(args.setting, args.fold),
        paths.model_dir(args.setting, args.fold, args.model),
        paths.results_dir(args.setting, args.fold, args.model),
        Path(load_section(CacheParams, "cache", params).dir),
    )


if __name__ == "__main__":
    stage.run(main)
