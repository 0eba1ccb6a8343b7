"""Every error the application raises, with Capsule's exact texts; rendered in api/errors.py."""

from dataclasses import dataclass


class ApiError(Exception):
    """Base of all errors that become a Capsule-shaped HTTP response."""

    status = 500
    message = "Internal server error"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.message)
        if message:
            self.message = message


class InvalidBody(ApiError):
    status = 400
    message = "Invalid JSON format"


class Unauthenticated(ApiError):
    status = 401
    message = "Requires authentication"


class InsufficientScope(ApiError):
    status = 403
    message = "Requires additional scope"

    def __init__(self, scope: str = "write") -> None:
        super().__init__()
        self.scope = scope


class AdminRequired(InsufficientScope):
    """403 for what only an account administrator may do (manage teams, titles, other users)."""

    def __init__(self) -> None:
        super().__init__("admin")


class NotFound(ApiError):
    status = 404
    message = "Could not find resource"


class MethodNotAllowed(ApiError):
    status = 405
    message = "Method not allowed"


class BodyTooLarge(ApiError):
    status = 413
    message = "Request body too large"


class RequestTimeout(ApiError):
    status = 408
    message = "Request body too slow"


@dataclass(frozen=True)
class FieldError:
    """One item of a 422 body: what is wrong, on which resource, with which property path."""

    message: str
    resource: str
    field: str


class ValidationFailed(ApiError):
    status = 422
    message = "Validation Failed"

    def __init__(self, *errors: FieldError) -> None:
        super().__init__()
        self.errors = list(errors)

    @classmethod
    def single(cls, message: str, resource: str, field: str) -> "ValidationFailed":
        return cls(FieldError(message, resource, field))


class RateLimited(ApiError):
    status = 429
    message = "rate limit reached"
