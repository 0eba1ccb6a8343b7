"""Every setting is documented in the README's configuration table."""

from pathlib import Path

from pillbox.settings import Settings

README = (Path(__file__).parent.parent / "README.md").read_text()


def test_every_setting_is_in_the_readme_table():
    for name in Settings.model_fields:
        assert f"| `PILLBOX_{name.upper()}`" in README, name


def test_settings_are_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("PILLBOX_RATE_LIMIT_PER_HOUR", "12")
    monkeypatch.setenv("PILLBOX_BASE_URL", "https://crm.example.com")
    settings = Settings()
    assert (settings.rate_limit_per_hour, settings.base_url) == (12, "https://crm.example.com")
