"""Pillbox for the test suites of Capsule integrations: a pytest plugin and what it stands on.

The plugin (`plugin.py`, registered through the `pytest11` entry point) gives each test a fresh
account and token on a Pillbox served on a loopback port for the whole session (`server.py`), or
on one already running (`remote.py`); `client.py` is the handle a test gets, and `intercept.py`
serves calls made to api.capsulecrm.com with requests and httpx from that Pillbox.

This package is imported by pytest whenever Pillbox is installed, so it imports nothing here:
each module is loaded only once a test asks for the `capsule` fixture.
"""
