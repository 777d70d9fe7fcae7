"""Question banks: the YAML file, pure (`schema`, `parse`, `check`, `export`, `diff`; `excel`
for the workbook template), and `services` (import, draft, publish)."""
