"""Parts of the `pillbox` command (cli.py registers them): how it talks to its user, how it opens
the database, and the commands that only list."""
