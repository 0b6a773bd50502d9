"""What every figure module shares: the Figure record, the registry and the timing helpers."""

from __future__ import annotations

import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Figure:
    value: float
    unit: str
    baseline: float | None = None
    baseline_label: str = ""
    goal: str = ""

    @property
    def ratio(self) -> float | None:
        return self.value / self.baseline if self.baseline else None


@dataclass
class Context:
    db_path: Path
    workdir: Path
    quick: bool


FIGURES: dict[str, Callable[[Context], Figure]] = {}


def figure(name: str) -> Callable[[Callable[[Context], Figure]], Callable[[Context], Figure]]:
    def register(fn: Callable[[Context], Figure]) -> Callable[[Context], Figure]:
        FIGURES[name] = fn
        return fn
    return register


def median_seconds(fn: Callable[[], object], repeat: int = 7, warmup: int = 1) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


