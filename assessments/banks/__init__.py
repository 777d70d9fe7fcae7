"""Question banks: `format` (the YAML file, pure) and `services` (import, draft, publish)."""
