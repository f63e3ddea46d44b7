"""A local web page for the classroom: pick a model, move the sliders, see the equilibrium change.

:func:`create_app` is a Flask application with three JSON endpoints and one page:

``GET /``
    The page (``static/index.html``): a model picker, one slider per scalar parameter (a text
    field for a vector or an optional parameter), the transparency slider τ ∈ [0, 1], a
    language switch, and the model's table, sentences and figure.
``GET /api/models`` and ``GET /api/models/NAME``
    Every registered model with a story (or one of them): its title and the controls of its
    parameters (label, symbol, domain, slider range and step, default).
``POST /api/solve`` with ``{"model": NAME, "params": {...}, "transparency": TAU, "lang": "en"}``
    The model's section of the report (:func:`gametheory_aid.report.build_section`) at τ = 0
    and τ = TAU: the table rows with their labels, the sentences, the thresholds, and the
    figure as SVG with the current τ marked.

Every value received is checked as the command line checks it: names against the registry
and the model's parameters (the closest name suggested), values by the model's own
validation; numbers only.  An error is a JSON ``{"error": LINE}`` with status 400 (404 for an
unknown model's page, 413 for a body above :data:`MAX_BODY`), ``LINE`` being the one line
the command line would print.  :func:`serve` runs the application on the loopback interface
by default, without debug mode or reloader.
"""
from __future__ import annotations

import io
import ipaddress
import logging
import threading
import warnings
from importlib import resources

from ..analysis.controls import control as _control
from ..analysis.controls import symbol
from ..core.params import ParameterError, UnknownNameError, check_names
from ..models import get_model
from ..models.display import WORDS
from ..models.story import LANGUAGES, format_number, label

__all__ = ["create_app", "serve", "make_server", "model_controls", "solve", "RequestError", "MAX_BODY",
           "is_loopback", "symbol"]

PROG = "gametheory-aid"
#: The largest request body accepted (bytes): a model's parameters fit in far less.
MAX_BODY = 64 * 1024
#: The fields of a ``POST /api/solve`` body.
FIELDS = ("model", "params", "transparency", "lang")
#: Transparency values of the figure's curve.
FIGURE_POINTS = 101


class RequestError(ValueError):
    """A request the application refuses: a one-line message and an HTTP status."""

    def __init__(self, message: str, status: int = 400, parameter: str | None = None):
        super().__init__(message)
        self.status = status
        self.parameter = parameter


def _line(exc: BaseException) -> str:
    """The one line the command line prints for ``exc``."""
    text = str(exc).strip()
    return f"{PROG}: error: {text.splitlines()[0] if text else type(exc).__name__}"


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this machine only (``localhost`` or a loopback address).

    >>> is_loopback("127.0.0.1"), is_loopback("::1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, True, False)
    """
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # another host name: it may resolve to anything
        return False


# -- the models' controls ----------------------------------------------------------------------
def model_controls(name: str, lang: str = "en") -> dict:
    """A model's title and the controls of its parameters, transparency last."""
    cls = _story_model(name)
    specs = cls.parameter_specs()
    params = [_control(cls, s, lang) for k, s in specs.items() if k != "transparency"]
    tau = _control(cls, specs["transparency"], lang)
    return {"name": cls.name, "title": cls.story.text(cls.story.title, lang), "parameters": params,
            "transparency": tau}


def _story_model(name, status: int = 404):
    """The registered model ``name``, which must have a story and a transparency parameter.

    An unknown name is a :class:`RequestError` with ``status`` (404 for a page, 400 for a body's field).
    """
    from ..report import _story_models

    if not isinstance(name, str):
        raise RequestError(f"{PROG}: error: field 'model' = {name!r}: give a model's name (a string)",
                           parameter="model")
    names = [n for n in _story_models() if "transparency" in get_model(n).parameter_specs()]
    try:
        check_names([name], names, "model")
    except UnknownNameError as exc:
        raise RequestError(_line(exc), status=status, parameter="model") from None
    return get_model(name)


def _lang(lang) -> str:
    if lang not in LANGUAGES:
        raise RequestError(f"{PROG}: error: lang = {lang!r}; choose one of {', '.join(LANGUAGES)}",
                           parameter="lang")
    return lang


# -- solving -----------------------------------------------------------------------------------
def _check_value(cls, name: str, value) -> None:
    """A JSON value's shape for parameter ``name``: one number for a scalar, a list for a vector."""
    spec = cls.parameter_specs()[name]
    if spec.vector and not isinstance(value, list):
        raise ParameterError(name, value, spec.allowed, "a vector parameter: give a list of numbers, one per target")
    if not spec.vector and isinstance(value, (list, dict)):
        raise ParameterError(name, value, spec.allowed, "a scalar parameter: give one number")


def _cell(cls, value, lang: str):
    """A table cell as the page shows it: numbers in prose precision, categories by their labels."""
    import numpy as np

    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (bool, np.bool_)):
        return WORDS[lang]["yes" if value else "no"]
    if isinstance(value, (list, tuple)):
        return " ".join(str(_cell(cls, v, lang)) for v in value)
    if isinstance(value, str):
        return label(cls, value, lang)
    if isinstance(value, (int, float, np.integer, np.floating)):
        return format_number(value)
    return str(value)


def figure_svg(model, tau: float, lang: str) -> str | None:
    """The model's story's figure against τ as SVG, the current τ marked; ``None`` if it has none."""
    from .._optional import require

    matplotlib = require("matplotlib", "serve")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..analysis.plots import plot_transparency

    if model.story.figure is None:
        return None
    fig, ax = plot_transparency(model, lang=lang, points=FIGURE_POINTS)
    try:
        ax.axvline(tau, color="black", linewidth=2, alpha=0.8)
        ax.annotate(f"τ = {format_number(tau)}", (tau, 1), xycoords=("data", "axes fraction"),
                    xytext=(4, -12), textcoords="offset points", fontsize=9)
        buf = io.StringIO()
        fig.savefig(buf, format="svg")
    finally:
        plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg"):]  # the element alone, without the XML prologue


def solve(body) -> dict:
    """The answer to ``POST /api/solve``: the section of ``body["model"]`` at τ = 0 and τ = ``body["transparency"]``.

    Raises
    ------
    RequestError
        A malformed body, an unknown field or model, a value that is not a number; and any
        :class:`~gametheory_aid.core.params.ParameterError` the model raises, as its one line.
    """
    from ..report import build_section

    if not isinstance(body, dict):
        raise RequestError(f"{PROG}: error: the request body must be a JSON object "
                           f"{{\"model\": ..., \"params\": {{...}}, \"transparency\": ..., \"lang\": ...}}")
    try:
        check_names(list(body), FIELDS, "field")
    except UnknownNameError as exc:
        raise RequestError(_line(exc), parameter=str(exc.name)) from None
    cls = _story_model(body.get("model"), status=400)
    lang = _lang(body.get("lang", "en"))
    params = body.get("params", {})
    if not isinstance(params, dict):
        raise RequestError(f"{PROG}: error: field 'params' = {params!r}: give an object of parameter values",
                           parameter="params")
    if "transparency" in params:
        raise RequestError(f"{PROG}: error: params: give transparency as the field 'transparency', not as a "
                           f"parameter", parameter="transparency")
    tau = body.get("transparency", 0.0)
    name = None
    try:
        specs = cls.parameter_specs()
        for name, value in params.items():
            check_names([name], [k for k in specs if k != "transparency"], "parameter", f"model {cls.name!r}")
            _check_value(cls, name, value)
        name = "transparency"
        _check_value(cls, name, tau)
        model = cls(**params, transparency=tau)
        name = None
        levels = [0.0, float(tau)] if tau != 0 else [0.0]
        section = build_section(model, levels=levels, lang=lang)
    except ParameterError as exc:
        raise RequestError(_line(exc), parameter=exc.name) from None
    except ValueError as exc:  # a model's cross-constraint (e.g. vectors of different lengths)
        raise RequestError(_line(exc), parameter=name) from None
    results = [r.to_dict() for r in section.table.results]
    rows = [{"name": o, "label": label(cls, o, lang), "values": [_cell(cls, r[o], lang) for r in results]}
            for o in section.outputs]
    return {"model": cls.name, "title": section.title, "lang": lang, "transparency": float(tau),
            "header": [WORDS[lang]["output"]] + [f"τ = {format_number(t)}" for t in levels],
            "rows": rows, "sentences": list(section.sentences),
            "thresholds": [{"name": k, "label": label(cls, k, lang), "value": _cell(cls, v, lang)}
                           for k, v in section.thresholds.items()],
            "figure": figure_svg(model, float(tau), lang)}


# -- the application ---------------------------------------------------------------------------
def create_app(lang: str = "en"):
    """The Flask application serving the page and its JSON endpoints (``lang``: the page's first language)."""
    from .._optional import require

    flask = require("flask", "serve")
    from werkzeug.exceptions import HTTPException

    lang = _lang(lang)
    app = flask.Flask(__name__, static_folder="static", static_url_path="/static")
    app.config.update(MAX_CONTENT_LENGTH=MAX_BODY, JSON_AS_ASCII=False)
    app.json.ensure_ascii = False
    page = resources.files(__name__).joinpath("static/index.html").read_text(encoding="utf-8")

    def error(message: str, status: int, parameter: str | None = None):
        body = {"error": message}
        if parameter is not None:
            body["parameter"] = parameter
        return flask.jsonify(body), status

    @app.errorhandler(RequestError)
    def _refused(exc):
        return error(str(exc), exc.status, exc.parameter)

    @app.errorhandler(HTTPException)
    def _http(exc):  # 404, 405, 413 ... as JSON, in the same one-line form
        return error(f"{PROG}: error: {exc.code} {exc.name}: {exc.description}", exc.code)

    @app.errorhandler(Exception)
    def _defect(exc):
        text = str(exc).strip()
        return error(f"{PROG}: internal error: {type(exc).__name__}: {text.splitlines()[0] if text else ''}", 500)

    @app.after_request
    def _headers(response):
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.get("/")
    def index():
        return flask.Response(page.replace("__LANG__", lang), mimetype="text/html")

    @app.get("/api/models")
    def models():
        from ..report import _story_models

        chosen = _lang(flask.request.args.get("lang", lang))
        names = [n for n in _story_models() if "transparency" in get_model(n).parameter_specs()]
        return flask.jsonify({"lang": chosen, "models": [model_controls(n, chosen) for n in names]})

    @app.get("/api/models/<name>")
    def one_model(name):
        return flask.jsonify(model_controls(name, _lang(flask.request.args.get("lang", lang))))

    @app.post("/api/solve")
    def solve_endpoint():
        body = flask.request.get_json(silent=True)
        if body is None:
            raise RequestError(f"{PROG}: error: the request body must be JSON (Content-Type: application/json)")
        return flask.jsonify(solve(body))

    return app


def _check_free(host: str, port: int) -> None:
    """Raise :class:`OSError` naming ``host:port`` when it cannot be listened on."""
    import socket

    try:
        info = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(info[0], socket.SOCK_STREAM) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(info[4])
    except OSError as exc:
        raise OSError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def make_server(host: str = "127.0.0.1", port: int = 8000, lang: str = "en"):
    """A threaded WSGI server of :func:`create_app` on ``host:port`` (port 0: a free one), not yet serving.

    Raises
    ------
    OSError
        When ``host:port`` cannot be listened on (e.g. the port is in use), naming them.
    """
    from werkzeug.serving import make_server as werkzeug_server

    app = create_app(lang)
    _check_free(host, port)  # werkzeug would print several lines and exit instead
    return werkzeug_server(host, port, app, threaded=True)


def serve(host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False, lang: str = "en") -> None:
    """Serve the page on ``http://host:port/`` until Ctrl-C (then :class:`KeyboardInterrupt` is raised).

    A ``host`` other than the loopback interface makes the page reachable from the network:
    that is warned about.  ``open_browser`` opens the page in the default web browser.
    """
    if not is_loopback(host):
        warnings.warn(f"serving on {host}: the page is reachable from other machines, not only this one",
                      stacklevel=2)
    server = make_server(host, port, lang)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request in the teacher's terminal
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{server.server_port}/"
    print(f"{PROG}: serving on {url} (Ctrl-C to stop)", flush=True)
    if open_browser:
        import webbrowser

        threading.Timer(0.5, webbrowser.open, [url]).start()
    server.serve_forever()  # returns only after Ctrl-C, which werkzeug catches
    raise KeyboardInterrupt
