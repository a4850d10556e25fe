"""The one gunicorn configuration, used by ``wijkveiligheid serve`` and the Procfile.

Threaded workers (gthread) so a slow PDF does not hold up the map; workers are recycled after
``max_requests`` (with jitter, so they do not all restart at once). Values come from the
settings table (``dashboard/settings.py``).
"""

from dashboard import pageshare, settings

bind = f"{settings.get('WIJKVEILIGHEID_HOST')}:{settings.get('WIJKVEILIGHEID_PORT')}"
workers = int(settings.get("WIJKVEILIGHEID_WORKERS"))
worker_class = "gthread"
threads = int(settings.get("WIJKVEILIGHEID_THREADS"))
timeout = int(settings.get("WIJKVEILIGHEID_TIMEOUT"))
graceful_timeout = 30
keepalive = 5
# recycling only guards against leaks; at 2000 a loaded worker restarted about once a minute
# in the load benchmark (50 users) and served its first requests cold
max_requests = 20000
max_requests_jitter = 2000
limit_request_line = 8190
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms pid=%(p)s'
errorlog = "-"
secure_scheme_headers = {}  # the scheme from proxies is ProxyFix's job (WIJKVEILIGHEID_PROXIES)
# gunicorn 24+ opens a control socket at one fixed path per user (~/.gunicorn/gunicorn.ctl):
# two instances on one machine (a second port, the tests) would take it from each other, and
# nothing here uses it
control_socket_disable = True


def post_worker_init(worker):
    """Once per worker, before it serves: import PIL.Image, which matplotlib (the PDF's map)
    imports lazily on the first PDF while plotly's JSON encoder looks it up in sys.modules in
    other threads (a fresh worker answered 500 "partially initialized module 'PIL.Image'" in
    the load benchmark); let Dash set itself up (it does so on the first request, and threads racing
    into a fresh worker got "Callback function not found"); then start the scheduled
    open-data refresh (no-op when switched off)."""
    import PIL.Image  # noqa: F401

    host = settings.allowed_hosts()[0].lstrip(".")  # the warm-up must pass the Host check
    worker.wsgi.test_client().get("/_dash-dependencies", headers={"Host": host})
    from dashboard import pagecache
    from dashboard.app import app

    # the common pages, now and after every data change, shared with the other workers
    pagecache.start_warming(app, share=getattr(worker, "page_share", None))

    try:
        from indicators.refresh import start_scheduler
    except ImportError:  # the refresh module is optional
        return
    from dashboard import data

    start_scheduler(data.current_store())


def on_starting(server):
    """In the master: a private directory for the first-layout answers its workers share
    (``dashboard/pageshare.py``), removed in :func:`on_exit`."""
    server.page_share = pageshare.create()


def on_reload(server):
    """New workers after a HUP may run new code: a new generation of shared answers."""
    server.page_share = pageshare.renew(getattr(server, "page_share", None))


def pre_fork(server, worker):
    worker.page_share = getattr(server, "page_share", None)


def on_exit(server):
    pageshare.remove(getattr(server, "page_share", None))
