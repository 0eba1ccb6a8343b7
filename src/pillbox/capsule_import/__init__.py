"""`pillbox import capsule`: an account read from Capsule's API v2 into this database, with
Capsule's ids and timestamps kept, resumable, and optionally anonymised (docs/capsule-import.md).

One module per concern: `client` (HTTP, rate limit, retries), `estimate` (the size up front),
`phases` (what is read, in which order), the converters `vocabulary`, `records` and `activity`
(Capsule's records as rows), `ids` (which local row each Capsule record became), `writer`
(writing rows), `deletions` (`--since-last`), `anonymiser`, `state` (where an import stands),
`report` (the summary) and `importer` (all of it, page by page).
"""
