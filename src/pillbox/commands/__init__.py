"""Commands of the `pillbox` CLI that live in modules of their own (cli.py registers them)."""
