"""Defects found by the fresh-eyes acceptance review of issues #17 and #18."""

from __future__ import annotations

import pytest

from dashboard import cli, settings


@pytest.mark.parametrize(
    ("host", "port", "expected"),
    [
        ("127.0.0.1", "8770", "http://127.0.0.1:8770"),
        ("localhost", "9000", "http://localhost:9000"),
        ("0.0.0.0", "8771", "http://127.0.0.1:8771"),
        ("::1", "8772", "http://[::1]:8772"),
    ],
)
def test_serve_on_another_port_links_to_that_port(monkeypatch, host, port, expected):
    """`serve --port 8770` without a public URL wrote every feed and OGC link to :8050."""
    environ: dict[str, str] = {}
    cli.default_public_url(environ, host, port)
    assert environ["WIJKVEILIGHEID_PUBLIC_URL"] == expected
    monkeypatch.setenv("WIJKVEILIGHEID_PUBLIC_URL", environ["WIJKVEILIGHEID_PUBLIC_URL"])
    assert settings.public_url() == expected


def test_configured_public_url_is_kept():
    environ = {"WIJKVEILIGHEID_PUBLIC_URL": "https://wijkveiligheid.hengelo.nl"}
    cli.default_public_url(environ, "0.0.0.0", "8050")
    assert environ["WIJKVEILIGHEID_PUBLIC_URL"] == "https://wijkveiligheid.hengelo.nl"
