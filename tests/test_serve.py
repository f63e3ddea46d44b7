"""The classroom page's server: every endpoint through Flask's test client, and the ``serve`` command."""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("flask")

import gametheory_aid.serve as serving  # noqa: E402
from gametheory_aid.cli import main  # noqa: E402
from gametheory_aid.core.params import Domain, Parameter  # noqa: E402
from gametheory_aid.models import get_model, model_names  # noqa: E402
from gametheory_aid.models.story import format_number, label  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u4e00-\u9fff]")
#: Every registered model a teacher can pick: it has a story and a transparency parameter.
PAGE_MODELS = [n for n in model_names()
               if get_model(n).story is not None and "transparency" in get_model(n).parameter_specs()]


@pytest.fixture(scope="module")
def client():
    return serving.create_app().test_client()


def solve(client, **body):
    body.setdefault("model", "pleading-poverty")
    return client.post("/api/solve", json=body)


def cells(data) -> dict:
    return {r["name"]: r["values"] for r in data["rows"]}


# -- the page --------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", [pytest.param("en", id="en"), pytest.param("zh", id="zh")])
def test_the_page_starts_in_the_chosen_language(lang):
    page = serving.create_app(lang).test_client().get("/")
    assert page.status_code == 200 and page.mimetype == "text/html"
    text = page.get_data(as_text=True)
    assert f'<html lang="{lang}" data-lang="{lang}">' in text and "__LANG__" not in text
    assert page.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path, mimetype", [
    pytest.param("/static/app.js", "text/javascript", id="js"),
    pytest.param("/static/style.css", "text/css", id="css"),
])
def test_the_page_s_files_are_served(client, path, mimetype):
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == mimetype
    response.close()


def test_an_unknown_language_for_the_app_is_refused():
    with pytest.raises(serving.RequestError, match="lang = 'fr'; choose one of en, zh"):
        serving.create_app("fr")


# -- the models' controls ----------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_model_with_a_story_is_offered_with_a_control_per_parameter(client, lang):
    data = client.get(f"/api/models?lang={lang}").get_json()
    assert data["lang"] == lang
    assert sorted(m["name"] for m in data["models"]) == sorted(PAGE_MODELS)
    for m in data["models"]:
        cls = get_model(m["name"])
        assert m["title"] == cls.story.text(cls.story.title, lang)
        specs = cls.parameter_specs()
        assert [c["name"] for c in m["parameters"]] == [k for k in specs if k != "transparency"]
        tau = m["transparency"]
        assert (tau["kind"], tau["min"], tau["max"]) == ("float", 0, 1)
        for c in m["parameters"] + [tau]:
            spec = specs[c["name"]]
            if spec.vector or spec.default is None:
                assert c["kind"] == "text"
                continue
            # the slider's ends and default are values the model accepts, in order
            assert c["min"] <= c["default"] <= c["max"] and c["min"] < c["max"]
            spec.validate(c["min"])
            spec.validate(c["max"])
            assert (c["kind"] == "integer") == spec.integer
            if spec.integer:
                assert c["step"] == 1
            else:
                assert 50 <= (c["max"] - c["min"]) / c["step"] <= 201
                # the default is a position of the slider: a reader can move back to it
                positions = (c["default"] - c["min"]) / c["step"]
                assert positions == pytest.approx(round(positions), abs=1e-6), c


def test_the_chinese_controls_carry_the_paper_s_terms(client):
    data = client.get("/api/models/pleading-poverty?lang=zh").get_json()
    specs = get_model("pleading-poverty").parameter_specs()
    for c in data["parameters"]:
        assert c["meaning"] == (specs[c["name"]].chinese or specs[c["name"]].meaning)
    assert CJK.search(data["title"])


@pytest.mark.parametrize("spec, expected", [
    pytest.param(Parameter("n", "n", 3, Domain(integer=True), "count"), (0, 10), id="integer-unbounded"),
    pytest.param(Parameter("n", "n", 30, Domain(1, 50, integer=True), "count"), (1, 50), id="integer-capped"),
    pytest.param(Parameter("x", "x", 0.0, Domain(), "any"), (-10, 10), id="float-unbounded"),
    pytest.param(Parameter("x", "x", 0.5, Domain(None, 1, high_open=True), "below 1"), (-1, 1), id="float-below"),
    pytest.param(Parameter("x", "x", 5.0, Domain(0, None), "positive"), (0, 15), id="float-above"),
])
def test_slider_ranges_of_unbounded_domains(spec, expected):
    c = serving._control(None, spec, "en")
    assert c["min"] == pytest.approx(expected[0])
    assert c["max"] == pytest.approx(expected[1], abs=c["step"] + 1e-12)
    assert c["min"] <= c["default"] <= c["max"]
    spec.validate(c["min"])
    spec.validate(c["max"])


def test_an_unknown_model_s_page_is_404_with_the_closest_name(client):
    response = client.get("/api/models/pleading-povrty")
    assert response.status_code == 404
    assert "did you mean 'pleading-poverty'?" in response.get_json()["error"]


# -- solving -----------------------------------------------------------------------------------
def test_full_transparency_removes_the_rent_and_changes_the_regime(client):
    data = solve(client, transparency=1).get_json()
    model = get_model("pleading-poverty")()
    at0, at1 = model.solve(), model.with_(transparency=1).solve()
    assert data["header"] == ["output", "τ = 0", "τ = 1"]
    rent = cells(data)["rent_strong"]
    assert rent == [format_number(at0.rent_strong), format_number(at1.rent_strong)]
    assert rent[1] == "0" and rent[0] != "0"
    regime = cells(data)["regime"]
    labels = [label(model, str(at0.regime)), label(model, str(at1.regime))]  # the regimes' human labels
    assert regime == labels and regime[0] != regime[1]
    before = solve(client, transparency=0).get_json()
    assert before["header"] == ["output", "τ = 0"]
    assert set(data["sentences"]) - set(before["sentences"])  # a sentence about τ = 1 appears
    assert data["figure"].startswith("<svg") and data["figure"] != before["figure"]  # τ marked elsewhere


@settings(max_examples=8, deadline=None)
@given(tau=st.floats(0, 1), penalty=st.floats(0, 20), prob=st.floats(0.01, 0.99))
def test_the_table_is_the_model_s_own_solution(tau, penalty, prob):
    client = serving.create_app().test_client()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(serving, "figure_svg", lambda *a: None)  # the numbers only: faster
        data = solve(client, transparency=tau, params={"penalty": penalty, "prob_strong": prob}).get_json()
    expected = get_model("pleading-poverty")(penalty=penalty, prob_strong=prob, transparency=tau).solve()
    for name in ("rent_strong", "quota_weak", "centre_welfare"):
        assert cells(data)[name][-1] == format_number(expected[name])
    assert cells(data)["regime"][-1] == label(get_model("pleading-poverty"), str(expected.regime))


@pytest.mark.parametrize("model", PAGE_MODELS)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_model_solves_at_its_defaults_in_both_languages(client, model, lang):
    with pytest.MonkeyPatch.context() as mp:
        if lang == "en":  # one figure per model is enough
            mp.setattr(serving, "figure_svg", lambda *a: None)
        response = solve(client, model=model, transparency=0.5, lang=lang)
    assert response.status_code == 200, response.get_json()
    data = response.get_json()
    assert data["model"] == model and data["lang"] == lang and data["rows"]
    assert all(len(r["values"]) == 2 for r in data["rows"])
    if lang == "zh":
        assert CJK.search(data["title"]) and data["header"][0] == "输出"
        assert data["figure"].startswith("<svg")


def test_vector_parameters_are_lists(client):
    params = {"feedback": [0.0, 1.0, 2.0]}
    data = solve(client, model="resource-allocation", params=params, transparency=0.3).get_json()
    expected = get_model("resource-allocation")(**params, transparency=0.3).solve()
    assert data["rows"]
    for row in data["rows"]:
        value = expected[row["name"]]
        if isinstance(value, float):
            assert row["values"][-1] == format_number(value)


@pytest.mark.parametrize("value, expected", [
    pytest.param(True, "yes", id="bool"),
    pytest.param(2.5, "2.5", id="float"),
    pytest.param([True, False], "yes no", id="list"),
    pytest.param(None, "None", id="other"),
])
def test_cells(value, expected):
    assert serving._cell(get_model("pleading-poverty"), value, "en") == expected


def test_cells_of_arrays_and_chinese_words():
    import numpy as np

    assert serving._cell(None, np.array([False, True]), "zh") == "否 是"


def test_a_model_without_a_figure_has_none():
    assert serving.figure_svg(SimpleNamespace(story=SimpleNamespace(figure=None)), 0.5, "en") is None


# -- what is refused ---------------------------------------------------------------------------
def cli_line(capsys, *argv) -> str:
    """The one line the command line prints for the same mistake."""
    assert main(list(argv)) == 2
    return capsys.readouterr().err.strip()


@pytest.mark.parametrize("body, parameter, cli", [
    pytest.param({"params": {"penalty": -1}}, "penalty", ["--set", "penalty=-1"], id="outside-domain"),
    pytest.param({"params": {"penalti": 1}}, "penalti", None, id="unknown-parameter"),
    pytest.param({"transparency": 1.5}, "transparency", ["--set", "transparency=1.5"], id="tau-above-one"),
    pytest.param({"transparency": float("nan")}, "transparency", ["--set", "transparency=nan"], id="tau-nan"),
])
def test_refusals_are_the_command_line_s_lines(client, capsys, body, parameter, cli):
    response = solve(client, **body)
    assert response.status_code == 400
    data = response.get_json()
    assert data["parameter"] == parameter
    assert data["error"].startswith("gametheory-aid: error: ") and "\n" not in data["error"]
    if cli is not None:
        assert data["error"] == cli_line(capsys, "solve", "pleading-poverty", *cli)
    else:
        assert "did you mean 'penalty'?" in data["error"]


@pytest.mark.parametrize("body, parameter, words", [
    pytest.param({"params": {"penalty": "1"}}, "penalty", "a string is not a number", id="string"),
    pytest.param({"params": {"penalty": True}}, "penalty", "a bool is not a number", id="bool"),
    pytest.param({"transparency": "0.5"}, "transparency", "a string is not a number", id="tau-string"),
    pytest.param({"params": {"penalty": [1, 2]}}, "penalty", "a scalar parameter: give one number", id="list"),
    pytest.param({"params": {"penalty": {"a": 1}}}, "penalty", "a scalar parameter", id="object"),
    pytest.param({"params": {"transparency": 1}}, "transparency", "as the field 'transparency'", id="tau-in-params"),
    pytest.param({"model": "resource-allocation", "params": {"feedback": 1}}, "feedback",
                 "a vector parameter: give a list", id="vector-as-number"),
    pytest.param({"model": "resource-allocation", "params": {"feedback": [1, 2]}}, "feedback",
                 "has length 2", id="vector-length"),
    pytest.param({"model": "resource-allocation", "params": {"feedback": ["a", 1, 2]}}, "feedback",
                 "not a number", id="vector-string"),
    pytest.param({"model": "pleading-povrty"}, "model", "did you mean 'pleading-poverty'?", id="unknown-model"),
    pytest.param({"model": 3}, "model", "give a model's name", id="model-not-string"),
    pytest.param({"lang": "fr"}, "lang", "choose one of en, zh", id="lang"),
    pytest.param({"params": [1]}, "params", "give an object of parameter values", id="params-not-object"),
    pytest.param({"modle": "x"}, "modle", "unknown field 'modle'; did you mean 'model'?", id="unknown-field"),
])
def test_malformed_values_are_400_naming_the_parameter(client, body, parameter, words):
    response = solve(client, **body)
    assert response.status_code == 400
    data = response.get_json()
    assert data["parameter"] == parameter and words in data["error"]
    assert data["error"].startswith("gametheory-aid: error: ")


@pytest.mark.parametrize("kwargs, status, words", [
    pytest.param({"data": "model=x"}, 400, "must be JSON", id="form"),
    pytest.param({"data": "{", "content_type": "application/json"}, 400, "must be JSON", id="broken-json"),
    pytest.param({"json": ["pleading-poverty"]}, 400, "must be a JSON object", id="array"),
    pytest.param({"data": "[" + "0," * 40000 + "0]", "content_type": "application/json"}, 413, "413",
                 id="too-large"),
])
def test_bodies_that_are_not_a_json_object_are_refused(client, kwargs, status, words):
    response = client.post("/api/solve", **kwargs)
    assert response.status_code == status
    assert words in response.get_json()["error"]


@pytest.mark.parametrize("method, path, status", [
    pytest.param("get", "/nowhere", 404, id="unknown-path"),
    pytest.param("get", "/api/solve", 405, id="solve-by-get"),
])
def test_http_errors_are_json_too(client, method, path, status):
    response = getattr(client, method)(path)
    assert response.status_code == status
    assert response.get_json()["error"].startswith(f"gametheory-aid: error: {status} ")


@pytest.mark.parametrize("exc, status, line", [
    pytest.param(ValueError("vectors disagree"), 400, "gametheory-aid: error: vectors disagree", id="value-error"),
    pytest.param(RuntimeError("broken"), 500, "gametheory-aid: internal error: RuntimeError: broken", id="defect"),
    pytest.param(RuntimeError(), 500, "gametheory-aid: internal error: RuntimeError: ", id="defect-silent"),
])
def test_other_failures_are_one_line(monkeypatch, exc, status, line):
    import gametheory_aid.report as report

    def fail(*args, **kwargs):
        raise exc

    monkeypatch.setattr(report, "build_section", fail)
    response = solve(serving.create_app().test_client())
    assert response.status_code == status and response.get_json()["error"] == line


# -- serving and the command -------------------------------------------------------------------
class FakeServer:
    server_port = 8123

    def serve_forever(self):  # as werkzeug's after Ctrl-C, which it catches
        return None


@pytest.fixture
def fake_server(monkeypatch):
    calls = []
    monkeypatch.setattr(serving, "make_server", lambda *a: calls.append(a) or FakeServer())
    return calls


@pytest.mark.parametrize("argv, host, warned", [
    pytest.param([], "127.0.0.1", False, id="loopback"),
    pytest.param(["--host", "0.0.0.0", "--lang", "zh"], "0.0.0.0", True, id="network"),
    pytest.param(["--host", "::1"], "[::1]", False, id="ipv6"),
])
def test_serve_prints_the_address_and_ctrl_c_exits_130(capsys, fake_server, argv, host, warned):
    assert main(["serve", *argv]) == 130
    out, err = capsys.readouterr()
    assert out.strip() == f"gametheory-aid: serving on http://{host}:8123/ (Ctrl-C to stop)"
    lines = err.strip().splitlines()
    assert lines[-1] == "gametheory-aid: interrupted"
    assert len(lines) == (2 if warned else 1)
    if warned:
        assert lines[0].startswith("gametheory-aid: warning: serving on 0.0.0.0: the page is reachable")
    assert fake_server[0][1] == 8000


def test_open_opens_the_page_in_a_browser(capsys, fake_server, monkeypatch):
    import threading
    import webbrowser

    opened = []
    monkeypatch.setattr(webbrowser, "open", opened.append)
    monkeypatch.setattr(threading, "Timer", lambda delay, f, args: SimpleNamespace(start=lambda: f(*args)))
    assert main(["serve", "--open", "--port", "8123"]) == 130
    assert opened == ["http://127.0.0.1:8123/"]


@pytest.mark.parametrize("argv, words", [
    pytest.param(["--port", "70000"], "needs an integer from 0 to 65535", id="port-range"),
    pytest.param(["--port", "http"], "needs an integer from 0 to 65535", id="port-word"),
    pytest.param(["--lang", "fr"], "invalid choice: 'fr'", id="lang"),
])
def test_bad_options_are_one_line(capsys, argv, words):
    assert main(["serve", *argv]) == 2
    err = capsys.readouterr().err.strip()
    assert words in err and "\n" not in err and err.startswith("gametheory-aid: error: serve: ")


def test_a_port_in_use_is_one_line(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"gametheory-aid: error: cannot listen on 127.0.0.1:{port}: ") and "\n" not in err


@pytest.mark.parametrize("host, expected", [
    pytest.param("localhost", True, id="localhost"), pytest.param("127.0.0.2", True, id="loopback-net"),
    pytest.param("example.org", False, id="name"), pytest.param("192.168.1.2", False, id="lan"),
])
def test_is_loopback(host, expected):
    assert serving.is_loopback(host) is expected


def test_make_server_listens_on_a_free_port():
    server = serving.make_server("127.0.0.1", 0)
    try:
        assert server.server_port > 0 and server.app.config["MAX_CONTENT_LENGTH"] == serving.MAX_BODY
    finally:
        server.server_close()


def test_the_real_server_answers_and_stops_on_ctrl_c():
    proc = subprocess.Popen([sys.executable, "-m", "gametheory_aid", "serve", "--port", "0"], cwd=str(ROOT),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    try:
        line = proc.stdout.readline()
        url = re.search(r"http://\S+/", line).group(0)
        with urllib.request.urlopen(url + "api/models/task-pushdown", timeout=30) as response:
            assert json.load(response)["name"] == "task-pushdown"
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 130
    assert err.strip() == "gametheory-aid: interrupted"
