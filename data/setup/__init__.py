"""A programme's set-up: templates (templates/*.toml), their checks, edits made on the pages, and
the working-day calendar."""
