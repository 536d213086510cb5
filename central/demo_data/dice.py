"""A seeded random source tuned for generating a million rows quickly.

``Dice`` is ``random.Random`` with cheaper ``choice``/``randint`` (one ``random()`` call
each; the bias is far below anything a demo could show) and ``weighted``, a single
weighted pick whose cumulative weights are computed once per weights tuple.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Sequence
from itertools import accumulate
from typing import TypeVar

T = TypeVar("T")

_CUMULATIVE: dict[tuple[float, ...], tuple[list[float], float]] = {}


class Dice(random.Random):
    def choice(self, seq: Sequence[T]) -> T:  # type: ignore[override]
        return seq[int(self.random() * len(seq))]

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def weighted(self, items: Sequence[T], weights: tuple[float, ...]) -> T:
        """One of ``items``, with probability proportional to ``weights``."""
        table = _CUMULATIVE.get(weights)
        if table is None:
            cum = list(accumulate(weights))
            table = _CUMULATIVE[weights] = (cum, cum[-1])
        cum, total = table
        return items[bisect(cum, self.random() * total)]
