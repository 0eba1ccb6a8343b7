"""The rules of the CRM: no HTTP, no envelopes, never commits. Raises errors, never returns them."""
