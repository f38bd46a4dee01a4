"""The TUI's widgets, one idea a module."""
