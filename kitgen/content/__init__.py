"""Stage 1, content: a kit project's YAML and Markdown read into typed, validated objects (load, schema, model),
then linted and validated as a whole (lint, validate). Everything here is pure: it reads, never writes."""
