"""A web worker warms the insights kernels before its first request (cocity.insights.warm, called
by cocity.wsgi), so that no visitor waits for imports or compiled code."""

import importlib
import logging
import sys

from cocity.insights import warm


def test_warm_loads_the_kernels_and_logs_no_failure(caplog):
    with caplog.at_level(logging.ERROR, logger="cocity.insights.warm"):
        warm.warm()
    assert "cocity.insights.kernels" in sys.modules
    assert not caplog.records


def test_a_failing_warm_up_never_stops_the_server(monkeypatch, caplog):
    from cocity.insights import indices

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("no compiler here")

    monkeypatch.setattr(indices, "dissimilarity", broken)
    with caplog.at_level(logging.ERROR, logger="cocity.insights.warm"):
        warm.warm()
    assert "warm-up failed" in caplog.text


def test_the_wsgi_module_warms_unless_told_not_to(monkeypatch):
    calls = []
    monkeypatch.setattr(warm, "warm", lambda: calls.append(1))
    monkeypatch.setenv("COCITY_WARM_UP", "0")
    sys.modules.pop("cocity.wsgi", None)
    importlib.import_module("cocity.wsgi")
    assert calls == []
    monkeypatch.setenv("COCITY_WARM_UP", "1")
    sys.modules.pop("cocity.wsgi", None)
    importlib.import_module("cocity.wsgi")
    assert calls == [1]
