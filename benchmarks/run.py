"""Benchmark runner: prints each figure next to a baseline measured in the same run, as a ratio.

    python benchmarks/run.py [--quick] [--json FILE] [--db BIG.sqlite3]

Builds (or reuses) a large generated database (benchmarks/generate.py: 10,000 firms, 100,000
cases, 30,000 visits...; `--quick` uses a tenth) and measures the program's operations on it.
Figures come from `benchmarks/figures_*.py` modules; each registers functions with `@figure`.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import FIGURES, Context, Figure, peak_rss_mb  # noqa: E402
from benchmarks.generate import generate  # noqa: E402


def _load_figure_modules() -> None:
    import importlib

    for path in sorted(Path(__file__).resolve().parent.glob("figures_*.py")):
        importlib.import_module(f"benchmarks.{path.stem}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a tenth of the data, fewer repeats")
    parser.add_argument("--json", type=Path, help="write all figures to this file")
    parser.add_argument("--db", type=Path, help="reuse (or create) the large database at this path")
    parser.add_argument("--only", nargs="*", help="run only these figures")
    args = parser.parse_args(argv)

    workdir = Path("build/bench")
    workdir.mkdir(parents=True, exist_ok=True)
    db_path = args.db or workdir / ("quick.sqlite3" if args.quick else "large.sqlite3")
    if not db_path.exists():
        started = time.perf_counter()
        sizes = generate(db_path, 0.1 if args.quick else 1.0)
        print(f"generated {sizes} in {time.perf_counter() - started:.1f} s")
    # Bytecode for the program's own modules, as an installed or frozen program has it (where
    # PYTHONDONTWRITEBYTECODE is set, every start would compile them again).
    import compileall

    compileall.compile_dir(Path(__file__).resolve().parent.parent / "boeun_desk", quiet=1)
    _load_figure_modules()
    context = Context(db_path, workdir, args.quick)
    results: dict[str, Figure] = {}
    print(f"{'figure':<28}{'value':>12} {'unit':<5}{'baseline':>12}  {'ratio':>7}  goal / baseline")
    for name, fn in FIGURES.items():
        if args.only and name not in args.only:
            continue
        result = fn(context)
        results[name] = result
        baseline = f"{result.baseline:12.2f}" if result.baseline is not None else f"{'-':>12}"
        ratio = f"{result.ratio:6.2f}x" if result.ratio is not None else f"{'-':>7}"
        print(f"{name:<28}{result.value:12.2f} {result.unit:<5}{baseline}  {ratio}  {result.goal}"
              f"{' / ' + result.baseline_label if result.baseline_label else ''}", flush=True)
    results["peak_rss_mb"] = Figure(peak_rss_mb(), "MB", goal="< 400 MB")
    print(f"{'peak_rss_mb':<28}{results['peak_rss_mb'].value:12.2f} MB")
    if args.json:
        args.json.write_text(json.dumps({"figures": {name: {**asdict(f), "ratio": f.ratio}
                                                     for name, f in results.items()}}, indent=2))
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
