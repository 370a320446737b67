"""Report templates (Jinja2), read through importlib.resources; a home can override each one."""
