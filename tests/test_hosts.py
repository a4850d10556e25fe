"""The app answers only for its own hosts (WIJKVEILIGHEID_HOSTS) and writes absolute URLs from
the configured public URL (WIJKVEILIGHEID_PUBLIC_URL), never from the request: unit tests of
the rules, then real gunicorn with and without a trusted proxy (issue 21)."""

from __future__ import annotations

import http.client
import re

import pytest
import requests
from gunicorn_proc import serve
from test_browser import free_port

from dashboard import settings, web

from conftest import copy_embedded

PUBLIC = "https://wijkveiligheid.example.nl"
PUBLIC_HOST = "wijkveiligheid.example.nl"
TWITTER_URL = re.compile(r'<meta property="twitter:url" content="([^"]*)"')
HOSTS = ["127.0.0.1", "localhost", "[::1]", ".hengelo.example"]


# ---------------------------------------------------------------------- the rules, in process
@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("127.0.0.1", True),
        ("127.0.0.1:8050", True),
        ("LOCALHOST:80", True),
        ("[::1]:8050", True),
        ("kaart.hengelo.example", True),
        ("hengelo.example", True),
        ("evil.example", False),
        ("localhost.evil.example", False),
        ("evilhengelo.example", False),
        ("user@localhost", False),
        ("localhost:abc", False),
        ("::1", False),
        ("", False),
        ("localhost\r\nX-Injected: 1", False),
    ],
)
def test_which_hosts_are_ours(host, allowed):
    assert web.request_host_allowed({"HTTP_HOST": host}, HOSTS) is allowed


def test_an_empty_list_allows_nothing():
    """Werkzeug's own check allows every host for an empty list; ours must not."""
    assert not web.request_host_allowed({"HTTP_HOST": "localhost"}, [])


def test_the_public_url_host_is_always_allowed(monkeypatch):
    monkeypatch.setenv("WIJKVEILIGHEID_HOSTS", "")
    monkeypatch.setenv("WIJKVEILIGHEID_PUBLIC_URL", "https://WijkVeiligheid.Example.NL/")
    assert settings.allowed_hosts() == [PUBLIC_HOST]
    assert settings.public_url() == "https://WijkVeiligheid.Example.NL"


@pytest.mark.parametrize(
    "url", ["wijkveiligheid.example.nl", "ftp://x.nl", "https://", "https://x.nl/?a=1", ""]
)
def test_a_public_url_that_is_not_one_stops_the_app(monkeypatch, url):
    monkeypatch.setenv("WIJKVEILIGHEID_PUBLIC_URL", url)
    with pytest.raises(ValueError, match="WIJKVEILIGHEID_PUBLIC_URL"):
        settings.public_url()


def test_absolute_urls_use_the_public_url_with_its_path_prefix(monkeypatch):
    monkeypatch.setenv("WIJKVEILIGHEID_PUBLIC_URL", "https://gemeente.example/veiligheid/")
    assert web.absolute_url("/wijk/noord?taal=en") == (
        "https://gemeente.example/veiligheid/wijk/noord?taal=en"
    )


def test_the_test_client_host_is_allowed_by_default_and_others_are_not(client):
    """The Flask test client says Host: localhost, one of the default loopback names."""
    assert client.get("/health").status_code == 200
    refused = client.get("/health", headers={"Host": "evil.example"})
    assert refused.status_code == 400 and refused.data == web.HOST_REFUSED


def test_meta_url_is_the_public_url_not_the_request(client, monkeypatch):
    monkeypatch.setenv("WIJKVEILIGHEID_PUBLIC_URL", PUBLIC)
    page = client.get('/wijk/berflo-es?taal=en&x="<b>', headers={"Host": "127.0.0.1:9"})
    assert page.status_code == 200
    (url,) = TWITTER_URL.findall(page.get_data(as_text=True))
    assert url == f"{PUBLIC}/wijk/berflo-es?taal=en&amp;x=&quot;&lt;b&gt;"  # escaped


# ---------------------------------------------------------------------- real gunicorn
@pytest.fixture(scope="module")
def hosts_store(base_store, tmp_path_factory):
    return copy_embedded(base_store, tmp_path_factory.mktemp("hosts"))


def start(store, log_path, **env):
    return serve(
        store.path,
        free_port(),
        log_path,
        env={"WIJKVEILIGHEID_PUBLIC_URL": PUBLIC, **env},
        ready_host=PUBLIC_HOST,
    )


@pytest.fixture(scope="module")
def direct(hosts_store, tmp_path_factory):
    """gunicorn without a proxy: WIJKVEILIGHEID_HOSTS left at the loopback names."""
    served = start(hosts_store, tmp_path_factory.mktemp("direct") / "gunicorn.log")
    yield served.url
    served.stop()


@pytest.fixture(scope="module")
def proxied(hosts_store, tmp_path_factory):
    """gunicorn behind one trusted proxy, answering only for the public host."""
    served = start(
        hosts_store,
        tmp_path_factory.mktemp("proxied") / "gunicorn.log",
        WIJKVEILIGHEID_PROXIES="1",
        WIJKVEILIGHEID_HOSTS=PUBLIC_HOST,
    )
    yield served.url
    served.stop()


def get(url: str, path: str, **headers) -> requests.Response:
    headers = {k.replace("_", "-"): v for k, v in headers.items()}
    return requests.get(url + path, headers=headers, allow_redirects=False, timeout=60)


PATHS = ["/", "/wijk/berflo-es", "/health", "/_dash-layout", "/assets/style.css", "/intern/login"]


@pytest.mark.parametrize("path", PATHS)
def test_gunicorn_refuses_a_strange_host_before_dash_runs(direct, path):
    answer = get(direct, path, Host="evil.example")
    assert answer.status_code == 400
    assert answer.content == web.HOST_REFUSED
    assert answer.headers["Content-Type"].startswith("text/plain")
    assert answer.headers["Cache-Control"] == "no-store"


def test_gunicorn_refuses_a_strange_host_on_a_post_too(direct):
    answer = requests.post(
        direct + "/_dash-update-component",
        json={"output": "x.y", "inputs": []},
        headers={"Host": "evil.example"},
        timeout=60,
    )
    assert answer.status_code == 400 and answer.content == web.HOST_REFUSED


def test_gunicorn_refuses_a_malformed_host_header(direct):
    port = int(direct.rsplit(":", 1)[1])
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.putrequest("GET", "/", skip_host=True)
    connection.putheader("Host", "local host")
    connection.endheaders()
    answer = connection.getresponse()
    assert answer.status == 400
    connection.close()


@pytest.mark.parametrize("host", [PUBLIC_HOST, "127.0.0.1", "localhost:8050", "[::1]"])
def test_gunicorn_serves_our_hosts_with_the_public_url_in_the_meta_tags(direct, host):
    page = get(direct, "/vergelijk?taal=en", Host=host)
    assert page.status_code == 200
    assert TWITTER_URL.findall(page.text) == [f"{PUBLIC}/vergelijk?taal=en"]


def test_without_a_proxy_a_forwarded_host_is_ignored(direct):
    page = get(direct, "/", Host="localhost", X_Forwarded_Host="evil.example")
    assert page.status_code == 200 and "evil" not in page.text
    assert TWITTER_URL.findall(page.text) == [f"{PUBLIC}/"]
    refused = get(direct, "/", Host="evil.example", X_Forwarded_Host=PUBLIC_HOST)
    assert refused.status_code == 400


def test_redirects_are_relative_never_to_the_request_host(direct):
    for path in ("/wijk/BU01640501", "/intern/log"):
        answer = get(direct, path, Host="localhost:1")
        assert answer.status_code == 302, path
        assert answer.headers["Location"].startswith("/"), answer.headers["Location"]


def test_behind_a_proxy_the_forwarded_host_must_be_ours(proxied):
    # the proxy forwards the host the visitor asked for; its own Host to us does not count
    page = get(proxied, "/", Host="backend:8000", X_Forwarded_Host=PUBLIC_HOST)
    assert page.status_code == 200
    assert TWITTER_URL.findall(page.text) == [f"{PUBLIC}/"]
    forged = get(proxied, "/", Host=PUBLIC_HOST, X_Forwarded_Host="evil.example")
    assert forged.status_code == 400 and forged.content == web.HOST_REFUSED
    # only the value the one trusted proxy appended counts, not what the client sent before
    chained = get(proxied, "/", Host=PUBLIC_HOST, X_Forwarded_Host=f"{PUBLIC_HOST}, evil.example")
    assert chained.status_code == 400
    smuggled = get(proxied, "/", Host=PUBLIC_HOST, X_Forwarded_Host=f"evil.example, {PUBLIC_HOST}")
    assert smuggled.status_code == 200 and "evil" not in smuggled.text


def test_behind_a_proxy_without_a_forwarded_host_the_host_header_counts(proxied):
    assert get(proxied, "/health", Host=PUBLIC_HOST).status_code == 200
    assert get(proxied, "/health", Host="127.0.0.1").status_code == 400  # not on this list
