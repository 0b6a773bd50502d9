"""PySide6 user interface. The only package that may import Qt (besides app entry points)."""
