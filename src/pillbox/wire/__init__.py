"""The read model: each record as Capsule shows it, rendered a page at a time.

HTTP-free, so API v2, API v1, REST hook deliveries and any other reader render alike.
"""
