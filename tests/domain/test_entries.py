"""Entry rules that need no database: when an upload never attached expires."""

from pillbox.domain.entries import UPLOAD_LIFETIME, upload_cut_off


def test_upload_cut_off_is_one_upload_lifetime_before_now():
    now = 2 * 24 * 3600 + 0.75  # 1970-01-03T00:00:00.75Z
    assert UPLOAD_LIFETIME.total_seconds() == 24 * 3600
    assert upload_cut_off(now) == "1970-01-02T00:00:00Z"
