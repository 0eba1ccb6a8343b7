"""Pillbox: a self-hosted CRM server that speaks the Capsule CRM API."""

__version__ = "0.1.0"
