"""The check stage: what `check` and `build` refuse or warn about before anything is written, including the
checks that render (text fitted to boxes, the project theme's pages, intro word limits)."""
