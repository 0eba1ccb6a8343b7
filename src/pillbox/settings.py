"""Server configuration, read from PILLBOX_* environment variables and passed in explicitly."""

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting is in the table of docs/configuration.md (a test checks it)."""

    model_config = SettingsConfigDict(env_prefix="PILLBOX_", extra="ignore")

    database_url: str = Field(
        default="sqlite:///data/pillbox.db",
        description="SQLAlchemy URL: sqlite:///path or postgresql+psycopg://user@host/db.",
    )
    base_url: str | None = Field(
        default=None,
        description="Absolute base used in Location and Link headers; default: from the request.",
    )
    rate_limit_per_hour: int = Field(
        default=4000, ge=1, description="Requests per user per hourly window."
    )
    redis_url: str | None = Field(
        default=None,
        description="redis://… to share rate-limit allowances through Redis, not the database.",
    )
    max_body_bytes: int = Field(
        default=1_048_576, ge=1, description="Larger request bodies are refused with 413."
    )
    head_timeout_seconds: float = Field(
        default=10.0,
        gt=0,
        description="A connection that has not sent a whole request head by then gets 408.",
    )
    body_timeout_seconds: float = Field(
        default=60.0,
        gt=0,
        description="A request whose body has not all arrived by then gets 408.",
    )
    attachments_dir: str = Field(
        default="data/attachments",
        description="Directory that holds uploaded attachment files.",
    )
    attachments_url: str | None = Field(
        default=None,
        pattern=r"^s3://[^/]+(/.*)?$",
        description="s3://bucket/prefix: keep attachment files in S3-compatible storage.",
    )
    max_attachment_bytes: int = Field(
        default=25 * 1024 * 1024,
        ge=1,
        description="Largest attachment upload; larger ones are refused with 413.",
    )
    run_worker: bool = Field(
        default=True,
        description="Run the job worker inside the server; false when `pillbox worker` runs it.",
    )
    db_pool_size: int = Field(
        default=10, ge=1, description="Connections per process (PostgreSQL connection pool)."
    )
    max_rest_hooks: int = Field(
        default=20, ge=0, description="REST hooks an account may have (Capsule allows 20)."
    )
    hook_timeout_seconds: float = Field(
        default=10.0,
        gt=0,
        le=120,
        description="How long a REST hook delivery waits for its target to answer.",
    )
    hooks_allow_private: bool | None = Field(
        default=None,
        description="Let REST hooks reach loopback, private and link-local addresses; "
        "default: on in the sandbox, off otherwise.",
    )
    sandbox: bool = Field(
        default=False,
        description="Serve the sandbox admin API under /_pillbox/ (`pillbox serve --sandbox`).",
    )
    strict: Literal["off", "report", "fail"] = Field(
        default="off",
        description="Strict mode of new sandbox accounts: off, report (a header) or fail (400).",
    )
    metrics: bool = Field(default=False, description="Serve Prometheus metrics at /_metrics.")
    metrics_token: str | None = Field(
        default=None,
        description="When set, /_metrics answers only requests bearing this token.",
    )
    log_format: Literal["text", "json"] = Field(
        default="text", description="Server and worker log lines: text, or one JSON object a line."
    )
    forwarded_allow_ips: str = Field(
        default="127.0.0.1",
        description="Addresses of proxies whose X-Forwarded-For/-Proto headers are believed.",
    )
    secret_key: str | None = Field(
        default=None,
        description="Signs OAuth sign-in sessions; default: random, one per server process.",
    )

    @property
    def hooks_reach_private(self) -> bool:
        """PILLBOX_HOOKS_ALLOW_PRIVATE, or when unset, whether this is a sandbox."""
        return self.sandbox if self.hooks_allow_private is None else self.hooks_allow_private
