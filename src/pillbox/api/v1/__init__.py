"""API v1, Capsule's first API: XML (or its JSON mirror) over HTTP Basic, under /api/.

It is a second face of the same records: handlers turn v1 documents into the v2 domain's inputs
and render the v2 store rows as v1 documents (see parties.py for the mapping). Served so far:
people and organisations.
"""
