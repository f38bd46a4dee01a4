"""The TUI's screens: approval and question dialogs, the model picker, the run history."""
