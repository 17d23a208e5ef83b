"""`anju bench`: numbers to compare run to run (never asserted in tests: these machines are noisy).

A package of its own, above the UI in the layers contract: it measures the pages from outside
(AppTest, a local Chromium) and imports the dashboard modules it needs directly, so the CLI
(`anju`) reaches the UI only through it, and only when `anju bench` runs.
"""
