"""From model text to a checked workflow: extraction, then the static check."""
