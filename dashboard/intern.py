"""The staff area (``/intern``): login, importing new figures, the import log, undo,
defining indicators and users. Plain server-rendered forms with CSRF tokens; every route
needs a login, and POSTs need a valid token."""

from __future__ import annotations

import re
import secrets
import time
from collections import defaultdict, deque
from functools import wraps
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pandas as pd
from flask import (
    Blueprint,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
)

from dashboard import data, settings
from indicators import staff
from indicators.catalogue import UNITS
from indicators.imports import Issue

bp = Blueprint(
    "intern",
    __name__,
    url_prefix="/intern",
    template_folder=str(Path(__file__).parent / "templates"),
)
MAX_FAILURES = 5
WINDOW_S = 15 * 60
_failures: dict[str, deque] = defaultdict(deque)
_pending: dict[str, dict] = {}
PENDING_TTL_S = 30 * 60


def store_path() -> Path:
    return settings.store_path()


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def current_user() -> dict | None:
    name = session.get("user")
    if not name:
        return None
    table = staff.users(store_path())
    match = table[table["username"] == name]
    return match.iloc[0].to_dict() if len(match) else None


@bp.before_request
def protect():
    """CSRF on every POST; a login for everything except the login page itself."""
    if request.method == "POST":
        sent = request.form.get("csrf_token", "")
        if not sent or not secrets.compare_digest(sent, session.get("csrf", "")):
            abort(400, "Het formulier is verlopen of ongeldig (CSRF). Laad de pagina opnieuw.")
    g.user = current_user()
    if request.endpoint in ("intern.login",):
        return None
    if g.user is None:
        if request.method == "GET":
            return redirect("/intern/login?" + urlencode({"next": _safe_next(request.path)}))
        abort(401)
    return None


@bp.app_context_processor
def inject():
    return {"csrf_token": csrf_token(), "user": getattr(g, "user", None)}


def login_required_role(role: str):
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if g.user is None or (role == "admin" and g.user["role"] != "admin"):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def _rate_key(username: str) -> str:
    return f"{request.remote_addr}|{username.strip().lower()}"


def _blocked(key: str) -> bool:
    attempts = _failures[key]
    while attempts and attempts[0] < time.time() - WINDOW_S:
        attempts.popleft()
    return len(attempts) >= MAX_FAILURES


_NEXT = re.compile(r"/intern(?:/[A-Za-z0-9_\-./]*)?(?:\?[A-Za-z0-9_\-.=&%]*)?")


def _safe_next(target) -> str:
    """Where to go after logging in: a path under /intern made of plain URL characters only
    (no CR/LF, backslashes, ``//host`` or ``javascript:``), else /intern."""
    target = target if isinstance(target, str) else ""
    if len(target) > 300 or not _NEXT.fullmatch(target) or "//" in target or "/.." in target:
        return "/intern"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/intern"
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return render_template(
            "intern/login.html",
            title="Inloggen",
            error=None,
            username="",
            next=_safe_next(request.args.get("next")),
        )
    username = request.form.get("username", "")[:80]
    key = _rate_key(username)
    if _blocked(key):
        return render_template(
            "intern/login.html",
            title="Inloggen",
            username=username,
            next="/intern",
            error="Te veel mislukte pogingen. Probeer het over 15 minuten opnieuw.",
        ), 429
    user = staff.check_login(store_path(), username, request.form.get("password", ""))
    if user is None:
        _failures[key].append(time.time())
        return render_template(
            "intern/login.html",
            title="Inloggen",
            username=username,
            next=_safe_next(request.form.get("next")),
            error="Gebruikersnaam of wachtwoord klopt niet.",
        ), 401
    _failures.pop(key, None)
    session.clear()
    session["user"] = user["username"]
    session["csrf"] = secrets.token_urlsafe(32)
    return redirect(_safe_next(request.form.get("next")))


@bp.route("/logout", methods=["POST"])
def logout():
    session.clear()
    return redirect("/intern/login")


@bp.route("")
@bp.route("/")
def home():
    return render_template("intern/home.html", title="Intern")


def parse_upload(content: bytes, file_name: str, period: str | None):
    return staff.parse_for_store(store_path(), content, file_name, period or None)


def _report(parsed, preview_rows=None, pending=None) -> dict:
    ctx = data.get_context()
    names = {"GM0164": "Hengelo"}
    for frame in ctx.areas.values():
        names.update(dict(zip(frame["code"], frame["name"], strict=True)))
    report = {"issues": parsed.issues, "preview": None, "pending": pending}
    if parsed.ok and preview_rows is not None:
        counts = preview_rows["change"].value_counts()
        report["counts"] = {k: int(counts.get(k, 0)) for k in ("new", "changed", "unchanged")}
        words = {"new": "nieuw", "changed": "gewijzigd", "unchanged": "ongewijzigd"}
        report["preview"] = [
            {
                "area": f"{names.get(r.area_code, r.area_code)} ({r.area_code})",
                "indicator": r.indicator_id,
                "period": r.period,
                "current": "–" if pd.isna(r.current) else f"{r.current:g}".replace(".", ","),
                "value": f"{r.value:g}".replace(".", ","),
                "change": words[r.change],
            }
            for r in preview_rows.itertuples()
        ]
        report["title"] = "Voorbeeld: nog niets geladen"
        report["summary"] = (
            f"{len(parsed.rows)} waarden zijn in orde. Controleer het voorbeeld "
            "en bevestig om ze te laden."
        )
    else:
        report["title"] = "Het bestand is niet geladen"
        n = len(parsed.errors)
        report["summary"] = (
            f"{n} fout{'en' if n != 1 else ''} gevonden. Er is niets "
            "geschreven; verbeter het bestand en probeer het opnieuw."
        )
    return report


@bp.route("/import", methods=["GET", "POST"])
def upload():
    if request.method == "GET":
        return render_template(
            "intern/import.html", title="Cijfers laden", report=None, source="", period=""
        )
    file = request.files.get("file")
    source = request.form.get("source", "").strip()[:200]
    period = request.form.get("period", "").strip()[:10]
    if file is None or not file.filename:
        parsed_issues = [Issue(None, None, "Kies een bestand.")]
        return render_template(
            "intern/import.html",
            title="Cijfers laden",
            source=source,
            period=period,
            report={
                "issues": parsed_issues,
                "preview": None,
                "title": "Geen bestand",
                "summary": "Kies een bestand.",
            },
        ), 400
    content = file.read(6_000_000)
    parsed = parse_upload(content, file.filename, period)
    if not source:
        parsed.issues.append(Issue(None, "bron", "Geef de bron van de cijfers op."))
    pending = None
    preview_rows = None
    if parsed.ok:
        preview_rows = staff.import_preview(store_path(), parsed)
        pending = secrets.token_urlsafe(16)
        _expire_pending()
        _pending[pending] = {
            "content": content,
            "file_name": file.filename[:200],
            "source": source,
            "period": period,
            "user": g.user["username"],
            "at": time.time(),
        }
    status = 200 if parsed.ok else 422
    return render_template(
        "intern/import.html",
        title="Cijfers laden",
        source=source,
        period=period,
        report=_report(parsed, preview_rows, pending),
    ), status


def _expire_pending() -> None:
    for key in [k for k, v in _pending.items() if v["at"] < time.time() - PENDING_TTL_S]:
        _pending.pop(key, None)


@bp.route("/import/bevestig", methods=["POST"])
def confirm():
    _expire_pending()
    pending = _pending.get(request.form.get("pending", ""))
    if pending is None or pending["user"] != g.user["username"]:
        flash("Dit voorbeeld is verlopen; laad het bestand opnieuw.", "error")
        return redirect("/intern/import")
    _pending.pop(request.form.get("pending", ""), None)
    parsed = parse_upload(pending["content"], pending["file_name"], pending["period"])
    try:
        number = staff.commit_import(
            store_path(),
            parsed,
            g.user["username"],
            pending["file_name"],
            pending["content"],
            pending["source"],
        )
    except staff.StaffError as exc:
        flash(str(exc), "error")
        return redirect("/intern/import")
    data.reset()
    flash(
        f"Import #{number} is geladen: {len(parsed.rows)} waarden. De kaart toont ze nu.", "success"
    )
    return redirect("/intern/log")


@bp.route("/log")
def log():
    rows = staff.import_log(store_path())
    records = []
    for r in rows.to_dict("records"):
        r["undone_at"] = (
            r["undone_at"] if isinstance(r["undone_at"], str) and r["undone_at"] else None
        )
        records.append(r)
    return render_template("intern/log.html", title="Importlog", rows=records)


@bp.route("/import/<int:number>/ongedaan", methods=["POST"])
def undo(number: int):
    rows = staff.import_log(store_path())
    match = rows[pd.to_numeric(rows["id"]) == number] if len(rows) else rows
    if match.empty:
        abort(404)
    if g.user["role"] != "admin" and match.iloc[0]["user"] != g.user["username"]:
        abort(403)
    try:
        staff.undo_import(store_path(), number, g.user["username"])
    except staff.StaffError as exc:
        flash(str(exc), "error")
        return redirect("/intern/log")
    data.reset()
    flash(f"Import #{number} is ongedaan gemaakt.", "success")
    return redirect("/intern/log")


@bp.route("/indicator", methods=["GET", "POST"])
@login_required_role("admin")
def indicator():
    ctx = data.get_context()
    themes = [(row.slug, row.title_nl) for row in ctx.data.themes.itertuples()]
    themes.append(("context", "Bevolking en wonen (achtergrond)"))
    sources = [(row.id, row.title) for row in ctx.data.sources.itertuples() if row.id != "DERIVED"]
    fields = {"levels": [], "public": True}
    error = None
    if request.method == "POST":
        form = request.form
        fields = {
            key: form.get(key, "").strip()
            for key in (
                "id",
                "label_nl",
                "label_en",
                "explanation_nl",
                "explanation_en",
                "theme",
                "unit",
                "polarity",
                "source",
                "frequency",
            )
        }
        fields["frequency"] = fields["frequency"] or "year"
        fields["levels"] = form.getlist("levels")
        fields["public"] = form.get("public") == "1"
        try:
            fields["min_n"] = int(form.get("min_n") or 0)
            fields["decimals"] = int(form.get("decimals") or 0)
            new_id = staff.define_indicator(store_path(), fields)
        except (ValueError, staff.StaffError) as exc:
            error = str(exc)
        else:
            data.reset()
            flash(
                f"Indicator '{new_id}' is vastgelegd; u kunt er nu cijfers voor laden.", "success"
            )
            return redirect("/intern/import")
    return render_template(
        "intern/indicator.html",
        title="Nieuwe indicator",
        f=fields,
        themes=themes,
        units=UNITS,
        sources=sources,
        error=error,
    ), (422 if error else 200)


@bp.route("/gebruikers", methods=["GET", "POST"])
@login_required_role("admin")
def users_page():
    error = None
    if request.method == "POST":
        try:
            staff.add_user(
                store_path(),
                request.form.get("username", ""),
                request.form.get("password", ""),
                request.form.get("role", "staff"),
            )
            flash("Gebruiker toegevoegd.", "success")
            return redirect("/intern/gebruikers")
        except staff.StaffError as exc:
            error = str(exc)
    table = staff.users(store_path())[["username", "role", "created_at"]]
    return render_template(
        "intern/users.html", title="Gebruikers", users=table.to_dict("records"), error=error
    ), (422 if error else 200)


def init_app(server) -> None:
    """Register the staff area and harden the session cookie."""
    server.secret_key = secret_key()
    server.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.get("WIJKVEILIGHEID_SECURE_COOKIES") == "1",
        PERMANENT_SESSION_LIFETIME=8 * 3600,
        MAX_CONTENT_LENGTH=8_000_000,
    )
    server.register_blueprint(bp)


def secret_key() -> str:
    """From WIJKVEILIGHEID_SECRET_KEY, else a random key kept next to the store (0600)."""
    configured = settings.get("WIJKVEILIGHEID_SECRET_KEY")
    if configured:
        return configured
    path = settings.store_path().parent / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()
