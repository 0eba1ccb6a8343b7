"""The sandbox admin API under /_pillbox/, served only when the server runs with --sandbox."""
