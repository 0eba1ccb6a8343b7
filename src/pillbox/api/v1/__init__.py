"""API v1, Capsule's first API: XML (or its JSON mirror) over HTTP Basic, under /api/.

It is a second face of the same records: handlers turn v1 documents into the v2 domain's inputs
and render the v2 store rows as v1 documents, so both APIs keep one set of records under one set
of rules. Every resource of v1 is served, one module each: people and organisations
(parties.py), opportunities, cases (kases.py) and their additional parties, history, tags,
custom fields, tasks, users, and the configuration lists (config.py). Each module's docstring
gives its mapping and the decisions taken where Capsule's behaviour is unconfirmed.

What they share: gate.py (Basic authentication), http.py (negotiation, answers, errors),
documents.py (the document tree, its XML and JSON forms, reading values from it), params.py (list
parameters), records.py (record types, owners, tracks, ranked lists) and routes.py (the one
route taking the whole v1 space).
"""
