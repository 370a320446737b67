"""Bundled frameworks: YAML files read through importlib.resources."""
