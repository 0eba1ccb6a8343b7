"""Parts of the `pillbox` command, by topic (cli.py registers them): how it talks to its user,
how it opens the database, the commands that list, and those that bring data in and out."""
