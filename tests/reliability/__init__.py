"""The reliability suite: a real `pillbox serve` under crashes, hostile clients, load and time."""
