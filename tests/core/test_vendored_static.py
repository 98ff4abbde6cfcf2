"""The map library's files served by cocity are npm's, byte for byte.

Leaflet and leaflet.markercluster come from npm (package.json pins them, package-lock.json
records their hashes) but their built files are committed under ``static/vendor/`` so that
installing and running cocity (``make demo``, a production server) never needs npm. This test
keeps the two the same: an upgrade goes through package.json, ``npm ci``, then a new copy
(docs/decisions/0009-maps-on-leaflet.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "src" / "cocity" / "static" / "vendor"
MODULES = ROOT / "node_modules"

# vendored folder name -> (npm package, {vendored file: file in the package})
COPIES = {
    "leaflet": {
        "leaflet.js": "dist/leaflet.js",
        "leaflet.js.map": "dist/leaflet.js.map",
        "leaflet.css": "dist/leaflet.css",
        "LICENSE": "LICENSE",
        "images/layers.png": "dist/images/layers.png",
        "images/layers-2x.png": "dist/images/layers-2x.png",
        "images/marker-icon.png": "dist/images/marker-icon.png",
        "images/marker-icon-2x.png": "dist/images/marker-icon-2x.png",
        "images/marker-shadow.png": "dist/images/marker-shadow.png",
    },
    "leaflet.markercluster": {
        "leaflet.markercluster.js": "dist/leaflet.markercluster.js",
        "leaflet.markercluster.js.map": "dist/leaflet.markercluster.js.map",
        "MarkerCluster.css": "dist/MarkerCluster.css",
        "MarkerCluster.Default.css": "dist/MarkerCluster.Default.css",
        "MIT-LICENCE.txt": "MIT-LICENCE.txt",
    },
}


def _pinned(package: str) -> str:
    return json.loads((ROOT / "package.json").read_text())["dependencies"][package]


@pytest.mark.parametrize("package", sorted(COPIES))
def test_vendored_copy_is_the_pinned_npm_release(package):
    version = _pinned(package)
    folder = VENDOR / f"{package}-{version}"
    assert folder.is_dir(), f"no vendored copy for {package} {version} (copy it from node_modules)"
    others = [p.name for p in VENDOR.glob(f"{package}-*") if p != folder]
    assert not others, f"stale vendored copies of {package}: {others}"
    installed = MODULES / package / "package.json"
    if not installed.exists():
        pytest.skip("node_modules not installed (make install runs npm ci)")
    assert json.loads(installed.read_text())["version"] == version
    for vendored, source in COPIES[package].items():
        assert (folder / vendored).read_bytes() == (MODULES / package / source).read_bytes(), (
            f"{folder.name}/{vendored} differs from node_modules/{package}/{source}"
        )
    listed = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}
    assert listed == set(COPIES[package]), "vendored files not checked here"


def test_templates_load_the_pinned_versions():
    text = (ROOT / "src" / "cocity" / "templates" / "maps" / "assets.html").read_text()
    for package in COPIES:
        assert f"vendor/{package}-{_pinned(package)}/" in text
