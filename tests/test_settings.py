"""Settings are read from PILLBOX_* variables (tests/test_docs.py checks their table)."""

from pillbox.settings import Settings


def test_settings_are_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("PILLBOX_RATE_LIMIT_PER_HOUR", "12")
    monkeypatch.setenv("PILLBOX_BASE_URL", "https://crm.example.com")
    settings = Settings()
    assert (settings.rate_limit_per_hour, settings.base_url) == (12, "https://crm.example.com")
