"""A sub-package missing from pyproject's list imports in editable mode but not from a wheel."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_every_package_on_disk_is_listed_in_pyproject():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    on_disk = {
        ".".join(init.parent.relative_to(ROOT / "src").parts)
        for init in (ROOT / "src").rglob("__init__.py")
    } | {"peerjournal.competencies", "peerjournal.credentials"}
    assert listed == on_disk


def test_bundled_yaml_is_declared_as_package_data():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    for package, folder in (
        ("peerjournal.competencies", "competencies"),
        ("peerjournal.credentials", "credentials"),
    ):
        assert "*.yaml" in config["tool"]["setuptools"]["package-data"][package]
        assert config["tool"]["setuptools"]["package-dir"][package] == folder
        assert (ROOT / folder / "__init__.py").is_file()
