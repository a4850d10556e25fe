"""The staff area (``/intern``): login, importing new figures, the import log, undo,
defining indicators and users. Plain server-rendered forms with CSRF tokens; every route
needs a login, and POSTs need a valid token."""

from __future__ import annotations

import base64
import re
import secrets
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
from flask.sessions import SecureCookieSessionInterface
from werkzeug.exceptions import HTTPException

from dashboard import data, settings
from geodata.gemeente import GEMEENTE
from indicators import staff
from indicators.catalogue import UNITS
from indicators.imports import MAX_BYTES, Issue
from indicators.store import StoreError
from indicators.stores.base import MAX_FAILURES, PREVIEW_TTL_S, SESSION_TTL_S  # noqa: F401
from indicators.undo import import_summary, local_time

bp = Blueprint(
    "intern",
    __name__,
    url_prefix="/intern",
    template_folder=str(Path(__file__).parent / "templates"),
)


def store():
    """The store of this process (handed to the app; see dashboard.data.use_store)."""
    return data.current_store()


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def current_user():
    """The user of the server-side session named in the cookie (None after logout, a password
    reset or removal of the user, on every worker and instance)."""
    return store().session(session.get("sid"))


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


# Staff pages are Dutch: an error inside /intern answers with a Dutch page in the staff
# layout, not Werkzeug's English one. A description given to abort() is already Dutch.
ERRORS_NL = {
    400: ("Ongeldig verzoek", "Het verzoek is niet te verwerken."),
    401: ("Niet ingelogd", "Log eerst in."),
    403: ("Geen toegang", "Dit mag alleen een beheerder, of wie de import zelf deed."),
    404: ("Niet gevonden", "Deze pagina bestaat niet."),
    405: ("Niet toegestaan", "Deze pagina kan zo niet worden opgevraagd."),
    # the request is over Flask's MAX_CONTENT_LENGTH (8 MB): an upload over the import's limit
    413: (
        "Bestand te groot",
        f"Het bestand is groter dan {MAX_BYTES // 1_000_000} MB, het maximum voor een import. "
        "Er is niets geladen. Splits het bestand, of laat kolommen en regels weg die niet "
        "geladen hoeven te worden.",
    ),
}
# an error report shows this many findings, then says how many more there are
MAX_SHOWN_ISSUES = 50


@bp.errorhandler(HTTPException)
def dutch_error(exc: HTTPException):
    code = exc.code or 500
    title, default = ERRORS_NL.get(code, ("Fout", "Er ging iets mis."))
    custom = exc.description != type(exc).description
    back = ("/intern", "Naar de startpagina (intern)")
    if request.path.startswith("/intern/import/"):
        back = ("/intern/log", "Naar het importlog")
    elif request.path == "/intern/import":
        back = ("/intern/import", "Terug naar Cijfers laden")
    page = render_template(
        "intern/fout.html",
        title=title,
        message=exc.description if custom else default,
        back=back[0],
        back_label=back[1],
    )
    return page, code


@bp.app_context_processor
def inject():
    """What every staff template may use: the CSRF token, the user and the configured
    gemeente (``gemeente.code``, ``.number``, ``.name``), so no template names a gemeente."""
    return {"csrf_token": csrf_token(), "user": getattr(g, "user", None), "gemeente": GEMEENTE}


@bp.app_template_filter("lokale_tijd")
def lokale_tijd(stamp) -> str:
    """A stored (UTC) time as local time with its zone: '04-12-2026 09:05 CET'."""
    return local_time(stamp) or (stamp or "")


def accepted_indicators(ctx) -> list[dict]:
    """Every indicator an import may hold (the catalogue's and those staff defined), with
    its unit, levels, frequency and whether it is public, for the import page."""
    from indicators.formatting import UNIT_LABEL

    catalogue = ctx.data.indicators
    return [
        {
            "id": row["id"],
            "label": row["label_nl"],
            "unit": f"{row['unit']} ({UNIT_LABEL.get(row['unit'], {}).get('nl', row['unit'])})",
            "levels": str(row["levels"]).replace(",", ", "),
            "frequency": "maand" if row.get("frequency") == "month" else "jaar",
            "public": "openbaar" if bool(row["public"]) else "alleen intern",
            "min_n": int(row["min_n"] or 0) if pd.notna(row["min_n"]) else 0,
        }
        for _, row in catalogue.iterrows()
    ]


def import_page(report, source: str = "", period: str = ""):
    """The import page (form, accepted indicators, and the report of an upload)."""
    return render_template(
        "intern/import.html",
        title="Cijfers laden",
        report=report,
        source=source,
        period=period,
        accepted=accepted_indicators(data.get_context()),
    )


def login_required_role(role: str):
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if g.user is None or (role == "admin" and g.user.role != "admin"):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


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
    result = store().check_login(username, request.form.get("password", ""), request.remote_addr)
    if result.locked:
        return render_template(
            "intern/login.html",
            title="Inloggen",
            username=username,
            next="/intern",
            error="Te veel mislukte pogingen. Probeer het over 15 minuten opnieuw.",
        ), 429
    if result.user is None:
        return render_template(
            "intern/login.html",
            title="Inloggen",
            username=username,
            next=_safe_next(request.form.get("next")),
            error="Gebruikersnaam of wachtwoord klopt niet.",
        ), 401
    session.clear()
    session["sid"] = store().create_session(result.user.username)
    session["csrf"] = secrets.token_urlsafe(32)
    return redirect(_safe_next(request.form.get("next")))


@bp.route("/logout", methods=["POST"])
def logout():
    store().end_session(session.get("sid"))
    session.clear()
    return redirect("/intern/login")


@bp.route("")
@bp.route("/")
def home():
    return render_template("intern/home.html", title="Intern")


def parse_upload(content: bytes, file_name: str, period: str | None, source: str = ""):
    """Parse an upload (and its source text) against the current areas, indicators and
    sources."""
    ctx = data.get_context(fresh=True)
    return staff.parse_for_store(ctx.data, content, file_name, period or None, source)


def as_loaded(value: float) -> str:
    """A value of the preview as it will be loaded, decimal comma, every digit (``:g`` showed
    1234567 as '1,23457e+06' and 123,4567 as '123,457').

    >>> as_loaded(1234567.0), as_loaded(123.4567), as_loaded(20.0), as_loaded(0.5)
    ('1234567', '123,4567', '20', '0,5')
    """
    return f"{float(value):.15g}".replace(".", ",")


def shown_issues(issues: list[Issue]) -> list[Issue]:
    """The first ``MAX_SHOWN_ISSUES`` findings (errors first) and a last row saying how many
    more there are: thousands of rows of one mistake make a page nobody reads (or loads)."""
    if len(issues) <= MAX_SHOWN_ISSUES:
        return issues
    ordered = [i for i in issues if i.severity == "error"]
    ordered += [i for i in issues if i.severity != "error"]
    hidden = len(ordered) - MAX_SHOWN_ISSUES
    errors = sum(i.severity == "error" for i in ordered[MAX_SHOWN_ISSUES:])
    kind = ("fout" if hidden == 1 else "fouten") if errors == hidden else "bevindingen"
    more = f"… en nog {hidden} {kind} (niet getoond). Verbeter eerst deze en controleer opnieuw."
    return ordered[:MAX_SHOWN_ISSUES] + [Issue(None, None, more, "note")]


def _report(parsed, preview_rows=None, pending=None) -> dict:
    ctx = data.get_context()
    names = {GEMEENTE.code: GEMEENTE.name}
    for frame in ctx.areas.values():
        names.update(dict(zip(frame["code"], frame["name"], strict=True)))
    report = {"issues": shown_issues(parsed.issues), "preview": None, "pending": pending}
    if parsed.ok and preview_rows is not None:
        counts = preview_rows["change"].value_counts()
        report["counts"] = {k: int(counts.get(k, 0)) for k in ("new", "changed", "unchanged")}
        words = {"new": "nieuw", "changed": "gewijzigd", "unchanged": "ongewijzigd"}
        report["preview"] = [
            {
                "area": f"{names.get(r.area_code, r.area_code)} ({r.area_code})",
                "indicator": r.indicator_id,
                "period": r.period,
                "current": "–" if pd.isna(r.current) else as_loaded(r.current),
                "value": as_loaded(r.value),
                "change": words[r.change],
            }
            for r in preview_rows.itertuples()
        ]
        report["title"] = "Voorbeeld: nog niets geladen"
        n = len(parsed.rows)
        report["summary"] = (
            f"{n} {'waarde is' if n == 1 else 'waarden zijn'} in orde. Controleer het voorbeeld "
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
        return import_page(None)
    file = request.files.get("file")
    source = request.form.get("source", "").strip()[:200]
    period = request.form.get("period", "").strip()[:10]
    if file is None or not file.filename:
        parsed_issues = [Issue(None, None, "Kies een bestand.")]
        report = {
            "issues": parsed_issues,
            "preview": None,
            "title": "Geen bestand",
            "summary": "Kies een bestand.",
        }
        return import_page(report, source, period), 400
    content = file.read(6_000_000)
    parsed = parse_upload(content, file.filename, period, source)
    if not source:
        parsed.issues.append(Issue(None, "bron", "Geef de bron van de cijfers op."))
    pending = None
    preview_rows = None
    if parsed.ok:
        preview_rows = staff.import_preview(store(), parsed)
        pending = secrets.token_urlsafe(16)
        payload = {
            "content": base64.b64encode(content).decode("ascii"),
            "file_name": file.filename[:200],
            "source": source,
            "period": period,
        }
        store().put_preview(pending, g.user.username, payload, PREVIEW_TTL_S)
    status = 200 if parsed.ok else 422
    return import_page(_report(parsed, preview_rows, pending), source, period), status


@bp.route("/import/bevestig", methods=["POST"])
def confirm():
    pending = store().take_preview(request.form.get("pending", ""), g.user.username)
    if pending is None:
        # taken already (a second click on "laden", another tab) or expired: say both, so a
        # double confirm does not lead to loading the same file twice
        flash(
            "Dit voorbeeld is al geladen of verlopen. Kijk eerst in het importlog of het er "
            "al staat; laad het bestand anders opnieuw.",
            "error",
        )
        return redirect("/intern/import")
    pending["content"] = base64.b64decode(pending["content"])
    parsed = parse_upload(
        pending["content"], pending["file_name"], pending["period"], pending["source"]
    )
    try:
        number = store().commit_import(
            parsed,
            g.user.username,
            pending["file_name"],
            pending["content"],
            pending["source"],
        )
    except staff.StaffError as exc:
        flash(str(exc), "error")
        return redirect("/intern/import")
    data.reset()
    flash(
        f"Import #{number} is geladen: {len(parsed.rows)} waarden. De kaart toont ze binnen "
        "enkele seconden.",
        "success",
    )
    return redirect("/intern/log")


@bp.route("/log")
def log():
    rows = store().import_log()
    records = []
    for r in rows.to_dict("records"):
        r["undone_at"] = (
            r["undone_at"] if isinstance(r["undone_at"], str) and r["undone_at"] else None
        )
        records.append(r)
    return render_template("intern/log.html", title="Importlog", rows=records)


@bp.route("/import/<int:number>/ongedaan", methods=["GET", "POST"])
def undo(number: int):
    """GET: what undoing import ``number`` removes, with a form to confirm; POST with
    ``bevestigd=ja`` (from that form, with its CSRF token): undo it. A POST without the
    confirmation undoes nothing and shows the confirm page."""
    summary = import_summary(number, store().state_tables(), data.get_context().data.indicators)
    if summary is None:
        abort(404, f"Import #{number} bestaat niet; het importlog toont alle imports.")
    if g.user.role != "admin" and summary.user != g.user.username:
        abort(403)
    if request.method == "GET" or request.form.get("bevestigd") != "ja":
        return render_template(
            "intern/undo.html", title=f"Import #{number} ongedaan maken", s=summary
        )
    try:
        store().undo_import(number, g.user.username)
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
            new_id = store().define_indicator(fields)
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
            store().add_user(
                request.form.get("username", ""),
                request.form.get("password", ""),
                request.form.get("role", "staff"),
            )
            flash("Gebruiker toegevoegd.", "success")
            return redirect("/intern/gebruikers")
        except staff.StaffError as exc:
            error = str(exc)
    rows = [
        {"username": u.username, "role": u.role, "created_at": u.created_at}
        for u in store().users()
    ]
    return render_template("intern/users.html", title="Gebruikers", users=rows, error=error), (
        422 if error else 200
    )


@bp.route("/gebruikers/<username>/verwijderen", methods=["POST"])
@login_required_role("admin")
def remove_user(username: str):
    """Remove a user (not yourself); its sessions end on every worker and instance."""
    if username == g.user.username:
        flash("U kunt uzelf niet verwijderen.", "error")
        return redirect("/intern/gebruikers")
    try:
        store().remove_user(username)
    except staff.StaffError as exc:
        flash(str(exc), "error")
        return redirect("/intern/gebruikers")
    flash(f"Gebruiker {username} is verwijderd; de sessies zijn beëindigd.", "success")
    return redirect("/intern/gebruikers")


def init_app(server) -> None:
    """Register the staff area and harden the session cookie. The key that signs the cookie is
    taken on the first request (from the setting, else from the store: nothing is written when
    the app is imported)."""
    server.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.get("WIJKVEILIGHEID_SECURE_COOKIES") == "1",
        PERMANENT_SESSION_LIFETIME=SESSION_TTL_S,
        MAX_CONTENT_LENGTH=8_000_000,
    )
    server.session_interface = _LazyKeySessions()
    server.register_blueprint(bp)


class _LazyKeySessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the key fetched when the first cookie is read or
    written (the setting, else the store's own random key): a visitor without a cookie costs
    no store access."""

    def open_session(self, app, request):
        if not app.secret_key and self.get_cookie_name(app) not in request.cookies:
            return self.session_class()  # nothing to read: the key is fetched when saving
        return super().open_session(app, request)

    def save_session(self, app, session, response):
        if session.modified and self.get_signing_serializer(app) is None:
            return  # the store is down: no cookie this time (the page says 503)
        super().save_session(app, session, response)

    def get_signing_serializer(self, app):
        if not app.secret_key:
            try:
                app.secret_key = settings.get("WIJKVEILIGHEID_SECRET_KEY") or store().secret_key()
            except StoreError:
                return None  # no session this time; the page itself reports the store (503)
        return super().get_signing_serializer(app)
