"""Sub-commands of `pillbox`, one module per topic, registered in cli.py."""
