"""Credential rule files bundled with peerjournal (YAML, read by path)."""
