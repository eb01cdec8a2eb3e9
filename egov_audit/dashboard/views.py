"""The pages: overview, unit, service, runs, run, diff, finding, compliance, sign-in.

Every page reads through the signed-in user's :class:`~.queries.Scope`; a page
outside it answers 404, exactly like one that does not exist.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)

from ..errors import InputError
from ..gates.diff import diff_runs
from ..history import HistoryError, HistoryStore, StoredRun
from ..history.schema import DOCUMENTS, FINDINGS
from ..model import Finding
from . import compliance, queries
from .app import Settings
from .artifacts import inspect, store_matches
from .auth import User, check_password
from .svg import sparkline

bp = Blueprint("views", __name__)
SEVERITY_RANK = {s: i for i, s in enumerate(queries.SEVERITIES)}


def _store() -> HistoryStore:
    store: HistoryStore = current_app.extensions["egov_store"]
    return store


def _settings() -> Settings:
    settings: Settings = current_app.extensions["egov_settings"]
    return settings


def _user() -> User:
    user: User = g.user
    return user


def _scope() -> queries.Scope:
    return _user().scope


def _trend_label(name: str, trend: list[tuple[str, dict[str, int]]]) -> str:
    totals = ", ".join(str(sum(n for s, n in c.items() if s != "info")) for _, c in trend)
    return f"{name}: {g.tr.gettext('open findings over the last runs')}: {totals}"


def _states(scope: queries.Scope) -> list[queries.ServiceState]:
    with _store().engine.connect() as conn:
        return queries.latest_services(conn, scope)


def _standings(states: list[queries.ServiceState]) -> dict[int, dict[str, Any]]:
    """id(state) -> {pack id: standing}, for BSSN and UU PDP."""
    pairs = [(s.run_id, t) for s in states for t in s.targets]
    with _store().engine.connect() as conn:
        facts = queries.check_facts(conn, pairs)
    out = {}
    for s in states:
        index = compliance.index_of(facts[(s.run_id, t)] for t in s.targets
                                    if (s.run_id, t) in facts)
        out[id(s)] = {p: compliance.standing(pack, index) for p in (compliance.BSSN,
                                                                    compliance.UU_PDP)
                      if (pack := compliance.packs().get(p)) is not None}
    return out


@bp.route("/")
def overview() -> str:
    services = _states(_scope())
    units = queries.by_unit(services)
    standings = _standings(units + services)
    return render_template("overview.html", units=units, services=services,
                           standings=standings, sparkline=sparkline, label=_trend_label)


def _unit_name(raw: str) -> str | None:
    return raw or None


@bp.route("/unit")
def unit() -> str:
    opd = _unit_name(request.args.get("opd", ""))
    if not _scope().allows(opd):
        abort(404)
    services = [s for s in _states(_scope()) if s.opd == opd]
    if not services:
        abort(404)
    units = queries.by_unit(services)
    standings = _standings(units + services)
    return render_template("overview.html", units=units, services=services, unit=opd,
                           standings=standings, sparkline=sparkline, label=_trend_label)


@bp.route("/service")
def service() -> str:
    opd = _unit_name(request.args.get("opd", ""))
    name = request.args.get("name", "")
    if not _scope().allows(opd):
        abort(404)
    state = next((s for s in _states(_scope()) if s.opd == opd and s.name == name), None)
    if state is None:
        abort(404)
    with _store().engine.connect() as conn:
        rows = conn.execute(
            sa.select(FINDINGS.c.finding_id, FINDINGS.c.check_id, FINDINGS.c.severity,
                      FINDINGS.c.title, FINDINGS.c.target, FINDINGS.c.location)
            .where(FINDINGS.c.run_id == state.run_id,
                   FINDINGS.c.target.in_(state.targets))).all()
    findings = sorted(rows, key=lambda r: (SEVERITY_RANK.get(r.severity, 9), r.check_id,
                                           r.location))
    standings = _standings([state])
    return render_template("service.html", state=state, findings=findings,
                           standings=standings[id(state)], sparkline=sparkline,
                           label=_trend_label)


@bp.route("/runs")
def runs() -> str:
    before = request.args.get("before", type=int)
    with _store().engine.connect() as conn:
        listed = queries.run_list(conn, _scope(), before=before,
                                  limit=queries.RUNS_PER_PAGE + 1)
    more = len(listed) > queries.RUNS_PER_PAGE
    listed = listed[:queries.RUNS_PER_PAGE]
    return render_template("runs.html", runs=listed,
                           older=listed[-1].seq if more and listed else None)


def _visible_run(ref: str) -> StoredRun:
    """The run ``ref`` names, counted within the user's scope; 404 outside it."""
    try:
        run_id = _store().resolve(ref).run_id
    except HistoryError:
        abort(404)
    with _store().engine.connect() as conn:
        found = queries.run_list(conn, _scope(), run_ids=[run_id])
    if not found:
        abort(404)
    return found[0]


@bp.route("/runs/<run_id>")
def run(run_id: str) -> str:
    stored = _visible_run(run_id)
    officer = _user().role == "officer"
    artifacts = None
    matches = None
    problem = None
    if officer:
        settings = _settings()
        try:
            artifacts = inspect(settings.reports, settings.pubkey, stored.run_id,
                                stored.started_at, stored.signed_sha256)
        except InputError as exc:  # e.g. an unreadable --pubkey: said on the page
            problem = str(exc)
        with _store().engine.connect() as conn:
            text = conn.execute(sa.select(DOCUMENTS.c.result_json)
                                .where(DOCUMENTS.c.run_id == stored.run_id)).scalar()
        matches = store_matches(text or "", stored.signed_sha256)
    with _store().engine.connect() as conn:
        previous = queries.previous_run(conn, _scope(), stored.seq)
    return render_template("run.html", run=stored, artifacts=artifacts, matches=matches,
                           previous=previous, problem=problem)


@bp.route("/runs/<run_id>/result.json")
def stored_result(run_id: str) -> Response:
    if _user().role != "officer":
        abort(404)  # a result holds every unit's findings
    stored = _visible_run(run_id)
    with _store().engine.connect() as conn:
        text = conn.execute(sa.select(DOCUMENTS.c.result_json)
                            .where(DOCUMENTS.c.run_id == stored.run_id)).scalar_one()
    return Response(text, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="result-{stored.run_id[:8]}.json"'})


@bp.route("/runs/<run_id>/files/<name>")
def artifact(run_id: str, name: str) -> Response:
    if _user().role != "officer":
        abort(404)
    stored = _visible_run(run_id)
    settings = _settings()
    found = inspect(settings.reports, None, stored.run_id, stored.started_at, None)
    if found.directory is None or name not in found.files:
        abort(404)
    # Always a download: a rendered report shows scanned content, which must
    # never run in the dashboard's origin.
    return send_file(Path(found.directory) / name, as_attachment=True, download_name=name,
                     mimetype="application/octet-stream", max_age=0)


def _filter(findings: tuple[Finding, ...], units: dict[str, str | None]) -> list[Finding]:
    scope = _scope()
    return [f for f in findings if scope.allows(units.get(f.target))]


@bp.route("/diff")
def diff() -> str:
    with _store().engine.connect() as conn:
        listed = queries.run_choices(conn, _scope())
    base_ref = request.args.get("base") or (listed[1]["run_id"] if len(listed) > 1 else "")
    current_ref = request.args.get("current") or (listed[0]["run_id"] if listed else "")
    change = None
    if base_ref and current_ref:
        base, current = _visible_run(base_ref), _visible_run(current_ref)
        store = _store()
        before, after = store.load(base.run_id), store.load(current.run_id)
        result = diff_runs(before, after, store.finding_ids_before(base.run_id))
        units = {o.target.spec: o.target.service.opd for o in (*before.outcomes,
                                                               *after.outcomes)}
        change = {kind: _filter(getattr(result, kind), units)
                  for kind in ("new", "regressed", "fixed", "still_open", "not_rechecked")}
        base_ref, current_ref = base.run_id, current.run_id
    return render_template("diff.html", runs=listed, base=base_ref, current=current_ref,
                           change=change)


@bp.route("/findings/<finding_id>")
def finding(finding_id: str) -> str:
    with _store().engine.connect() as conn:
        sightings = [s for s in queries.finding_history(conn, finding_id)
                     if _scope().allows(s.opd)]
    if not sightings:
        abort(404)
    newest = sightings[0]
    report = _store().load(newest.run_id)
    found = next((f for f in report.findings if f.id == finding_id), None)
    if found is None:
        abort(404)
    return render_template("finding.html", f=found, sightings=sightings, newest=newest)


@bp.route("/compliance")
def compliance_matrix() -> str:
    packs = compliance.packs()
    pack_id = request.args.get("pack", compliance.BSSN)
    pack = packs.get(pack_id)
    if pack is None:
        abort(404)
    services = _states(_scope())
    pairs = [(s.run_id, t) for s in services for t in s.targets]
    with _store().engine.connect() as conn:
        facts = queries.check_facts(conn, pairs)
    columns = [(s, compliance.standing(pack, compliance.index_of(
        facts[(s.run_id, t)] for t in s.targets))) for s in services]
    choices = [p for p in compliance.MATRIX_PACKS if p in packs] + sorted(
        p for p in packs if p not in compliance.MATRIX_PACKS)
    return render_template("compliance.html", pack=pack, columns=columns, choices=choices)


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    settings = _settings()
    error = None
    status = 200
    if request.method == "POST":
        name = request.form.get("name", "")[:64]
        password = request.form.get("password", "")
        address = request.remote_addr or ""
        wait = settings.throttle.retry_after(address, name)
        if wait:
            error, status = g.tr.gettext("Too many failed sign-ins. Try again later."), 429
        else:
            user = check_password(_store().engine, name, password)
            if user is None:
                settings.throttle.failed(address, name)
                error, status = g.tr.gettext("Wrong user name or password."), 401
            else:
                settings.throttle.succeeded(address, name)
                lang = session.get("lang")
                session.clear()  # a new session on sign-in: no fixation
                session.permanent = True
                session["user"] = user.name
                if lang:
                    session["lang"] = lang
                target = request.args.get("next", "")
                # Only a path on this site: never an open redirect.
                if not target.startswith("/") or target.startswith("//") or "\\" in target:
                    target = url_for("views.overview")
                return redirect(target)
    body = render_template("login.html", error=error)
    response = Response(body, status=status)
    if status == 429:
        response.headers["Retry-After"] = str(settings.throttle.retry_after(
            request.remote_addr or "", request.form.get("name", "")[:64]))
    return response


@bp.route("/logout", methods=["POST"])
def logout() -> Any:
    session.clear()
    return redirect(url_for("views.login"))
