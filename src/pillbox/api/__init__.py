"""HTTP only: parse, authorise, call the domain, shape the response."""
