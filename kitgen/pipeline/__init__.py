"""Stage 4, build: plan every file with a fingerprint of what it was made from, render what changed, and swap
the output folder in one step (pipeline, output)."""
