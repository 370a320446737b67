"""Files on disk: layout, atomic private writes, the home lock and safe YAML; never prints."""
