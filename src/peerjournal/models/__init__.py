"""Plain validated data (pydantic); no I/O. Import the module you need, so imports stay cheap."""
