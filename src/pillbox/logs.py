"""Log lines of the server and the worker: plain text, or one JSON object a line.

Request lines carry a request id, the route template (never the path: ids and search terms stay
out), the account id, the status and the duration; job and REST hook delivery lines carry their
outcome. No line holds a token, a password or a record's data.
"""

import logging
import sys
from typing import Any

import orjson

# Attributes every LogRecord has; whatever else a record carries came through `extra=`.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "at": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update((k, v) for k, v in vars(record).items() if k not in _STANDARD)
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return orjson.dumps(line, default=str).decode()


def configure(format: str) -> None:
    """Sends `pillbox.*` loggers' INFO lines and above to stderr, as text or JSON."""
    handler = logging.StreamHandler(sys.stderr)
    if format == "json":
        handler.setFormatter(JsonLines())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    logger = logging.getLogger("pillbox")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO)
    logger.propagate = False
