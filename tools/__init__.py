"""Developer tools that are not pipeline stages (evaluations, helpers)."""
