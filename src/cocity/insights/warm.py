"""Warm a web worker before it takes requests: the insights kernels are compiled (numba) and
loaded from their on-disk cache on first use, which made the first visitor of an insights page in
each new worker wait 0.6-1.4 s (1.3 s in process on the demo: importing the kernels 0.6 s,
loading the cached machine code 0.7 s), and several seconds more after a deployment, when the
cache is cold and the kernels compile. ``cocity.wsgi`` calls ``warm()`` once per process, before
the first request; a failure here never stops the server (the pages compute the same without).
"""

from __future__ import annotations

import logging

import numpy as np

logger = logging.getLogger(__name__)


def warm() -> None:
    """Run the index paths the pages use on a tiny table, with the dtypes the pages pass."""
    try:
        from . import indices
        from .report import compute_report

        part = np.array([1.0, 2.0, 3.0, 4.0])  # the equity table: float64 participants, residents
        indices.dissimilarity(part, part + np.array([5.0, 1.0, 7.0, 2.0]))
        counts = np.array([[3, 1], [2, 2], [1, 4], [5, 0]], dtype=np.int64)  # a data set's units
        compute_report(counts, None, ["a", "b"])
    except Exception:  # a warm-up is an optimisation: log it, and serve
        logger.exception("insights warm-up failed; the first insights page will be slower")
