"""`python -m pillbox` runs the CLI."""

from pillbox.cli import main

main()
