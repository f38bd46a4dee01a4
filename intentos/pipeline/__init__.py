"""Intent → prompt → model → workflow → sandbox → record, with a repair loop."""
