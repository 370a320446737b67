"""Terminal rendering and prompts, used by the command line only; never touches files."""
