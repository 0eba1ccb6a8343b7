"""The web interface: server-rendered pages over the same domain rules as the API."""
