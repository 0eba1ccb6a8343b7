"""Command-line commands grouped by topic, registered on the `pillbox` command in cli.py."""
