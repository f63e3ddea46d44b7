"""explore(): a control per parameter, and the table and the figure follow them.

The widgets are driven as a reader drives them (setting a control's value) and through
``Explorer.set``; after each move the table must be the solution at the controls' values,
recomputed here by solving the model directly.
"""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("ipywidgets")
pytest.importorskip("matplotlib")

from gametheory_aid.analysis import Explorer, explore  # noqa: E402
from gametheory_aid.analysis.controls import control  # noqa: E402
from gametheory_aid.analysis.explorer import parse_vector  # noqa: E402
from gametheory_aid.core.params import ParameterError  # noqa: E402
from gametheory_aid.models import get_model, model_names  # noqa: E402
from gametheory_aid.models.story import label  # noqa: E402

PNG = b"\x89PNG\r\n\x1a\n"
TAU_MODELS = [n for n in model_names() if "transparency" in get_model(n).parameter_specs()]


@pytest.fixture(autouse=True)
def _agg():
    import matplotlib

    matplotlib.use("Agg")
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.mark.parametrize("name", TAU_MODELS)
def test_every_parameter_has_a_control_and_the_first_drawing_is_the_models(name):
    ex = explore(name)
    cls = get_model(name)
    assert list(ex.controls) == [n for n in cls.parameter_specs() if n != "transparency"] + ["transparency"]
    for n, w in ex.controls.items():
        c = control(cls, cls.parameter_specs()[n], "en")
        assert label(cls, n, "en") in w.description
        if c["kind"] in ("float", "integer"):
            assert w.min <= w.value <= w.max
    expected = cls().solve()
    assert ex.table.value == expected.to_html("en", False)
    assert bytes(ex.figure.value).startswith(PNG) == (cls.story.figure is not None)
    assert ex.message.value == ""
    bundle = ex._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == ex.widget.model_id
    # where no kernel runs the widgets: the same table and figure, static
    assert bundle["text/html"].startswith(expected.to_html("en", False))
    assert ("<img" in bundle["text/html"]) == (cls.story.figure is not None)


def test_the_static_fallback_follows_the_controls_and_shows_a_refusal():
    import base64

    ex = explore("pleading-poverty").set(transparency=0.9)
    html = ex._repr_mimebundle_()["text/html"]
    assert get_model("pleading-poverty")(transparency=0.9).solve().to_html("en", False) in html
    assert base64.b64encode(bytes(ex.figure.value)).decode() in html
    ex.set(penalty=-1)
    assert "penalty" in ex._repr_mimebundle_()["text/html"].split("<table")[0]


@settings(max_examples=10, deadline=None)
@given(tau=st.floats(0, 1), penalty=st.floats(0, 10))
def test_moving_a_slider_redraws_the_solution_at_the_controls(tau, penalty):
    ex = explore("pleading-poverty", lang="zh")
    before = ex.figure.value
    ex.controls["penalty"].value = penalty  # as a reader moves it: one redraw per move
    ex.controls["transparency"].value = tau
    model = get_model("pleading-poverty")(penalty=ex.controls["penalty"].value,
                                          transparency=ex.controls["transparency"].value)
    assert ex.table.value == model.solve().to_html("zh", False)
    assert float(ex.result.rent_strong) == float(model.solve().rent_strong)
    if tau != 0:
        assert bytes(ex.figure.value) != bytes(before)  # the current τ is marked


def test_set_moves_several_controls_with_one_redraw(monkeypatch):
    ex = explore("joint-blame")
    calls = []
    monkeypatch.setattr(ex, "redraw", lambda: calls.append(1) or Explorer.redraw(ex))
    ex.set(transparency=0.7, penalty_aider=3.0)
    assert calls == [1]
    assert ex.model.params["transparency"] == 0.7 and ex.model.params["penalty_aider"] == 3.0


def test_a_refused_value_keeps_the_last_drawing_and_says_why():
    ex = explore("pleading-poverty")
    table, figure = ex.table.value, ex.figure.value
    slider = ex.controls["penalty"]
    before = (slider.value, slider.min, slider.max)
    ex.set(penalty=-1.0, transparency=0.5)  # the model refuses the penalty: nothing moves
    assert "penalty" in ex.message.value and "-1.0" in ex.message.value
    assert (ex.table.value, ex.figure.value) == (table, figure)
    assert (slider.value, slider.min, slider.max) == before and ex.controls["transparency"].value == 0
    ex.set(penalty=1.0)
    assert ex.message.value == "" and ex.table.value != table


def test_an_accepted_value_beyond_a_slider_widens_it_rather_than_clip():
    ex = explore("pleading-poverty")
    slider = ex.controls["penalty"]
    beyond = slider.max * 3
    ex.set(penalty=beyond)
    assert slider.value == beyond == ex.model.params["penalty"] and slider.max == beyond
    assert ex.table.value == get_model("pleading-poverty")(penalty=beyond).solve().to_html("en", False)


@pytest.mark.parametrize("value, match", [
    pytest.param("high", "a slider takes one number", id="text-for-a-slider"),
    pytest.param(True, "a slider takes one number", id="bool"),
    pytest.param(float("nan"), "a slider takes a finite number", id="nan"),
])
def test_set_refuses_what_a_slider_cannot_hold(value, match):
    ex = explore("pleading-poverty")
    table = ex.table.value
    with pytest.raises(ParameterError, match=match):
        ex.set(transparency=0.9, penalty=value)
    # nothing moved: the other control, the model and the table are as they were
    assert ex.controls["transparency"].value == 0 and ex.model.params["transparency"] == 0
    assert ex.table.value == table


def test_an_integer_slider_refuses_a_fraction():
    name = next(n for n in TAU_MODELS for s in get_model(n).parameters if s.integer)
    ex = explore(name)
    integer = next(s.name for s in get_model(name).parameters if s.integer)
    with pytest.raises(ParameterError, match="a whole number"):
        ex.set(**{integer: 2.5})


def test_vector_parameters_are_text_fields():
    ex = explore("resource-allocation")
    vectors = [s.name for s in get_model("resource-allocation").parameters if s.vector]
    assert vectors and all(isinstance(ex.controls[v].value, str) for v in vectors)
    v = "feedback"
    ex.set(**{v: "0.25, 0.5 0.75"})
    assert np.array_equal(ex.model.params[v], [0.25, 0.5, 0.75]) and ex.message.value == ""
    ex.set(**{v: [1.0, 2.0, 3.0]})  # numbers given as numbers
    assert np.array_equal(ex.model.params[v], [1.0, 2.0, 3.0])
    ex.set(**{v: "1, x"})
    assert "give numbers separated by commas" in ex.message.value


def test_an_optional_scalar_is_a_text_field_of_one_number():
    ex = explore("poverty-bargaining")
    w = ex.controls["max_claim"]
    assert isinstance(w.value, str)
    ex.set(max_claim="5")
    assert ex.model.params["max_claim"] == 5.0 and ex.message.value == ""
    assert ex.table.value == get_model("poverty-bargaining")(max_claim=5.0).solve().to_html("en", False)
    ex.set(max_claim=6)  # a number given as a number
    assert ex.model.params["max_claim"] == 6.0
    ex.set(max_claim="5 6")
    assert "max_claim" in ex.message.value and "one number" in ex.message.value
    assert ex.model.params["max_claim"] == 6.0
    ex.set(max_claim="")
    assert ex.model.params["max_claim"] is None and ex.message.value == ""
    stage = explore("contracting-stage").set(**{"poverty-bargaining.max_claim": "5"})
    assert stage.message.value == "" and stage.model.params["poverty-bargaining.max_claim"] == 5.0


def test_parse_vector():
    assert parse_vector("w", "1 2,3", "d") == [1.0, 2.0, 3.0]
    assert parse_vector("w", "", "d") is None
    with pytest.raises(ParameterError, match="parameter 'w' = '1,a'"):
        parse_vector("w", "1,a", "d")


def test_raw_names_and_the_display_setting():
    from gametheory_aid.core.results import set_display

    ex = explore("task-pushdown", raw_names=True)
    assert "(transparency)" in ex.controls["transparency"].description
    assert ex.table.value == get_model("task-pushdown")().solve().to_html("en", True)
    old = set_display(lang="zh")
    try:
        assert explore("task-pushdown").lang == "zh"
    finally:
        set_display(**old)


def test_outputs_choose_the_figure_and_a_model_without_transparency_has_none():
    ex = explore("joint-blame", ["audit_probability"])
    assert bytes(ex.figure.value).startswith(PNG)
    no_tau = next((n for n in model_names() if "transparency" not in get_model(n).parameter_specs()), None)
    if no_tau is not None:
        assert bytes(explore(no_tau).figure.value) == b""


@pytest.mark.parametrize("kwargs, match", [
    pytest.param({"lang": "fr"}, "explore: lang = 'fr'", id="lang"),
    pytest.param({"raw_names": 1}, "explore: raw_names = 1", id="raw-names"),
    pytest.param({"points": 1}, "explore: points = 1", id="points"),
    pytest.param({"points": 2.5}, "explore: points = 2.5", id="points-float"),
    pytest.param({"outputs": ["rent_stong"]}, "did you mean 'rent_strong'", id="output"),
])
def test_bad_arguments_are_refused_by_name(kwargs, match):
    with pytest.raises(ValueError, match=match):
        explore("pleading-poverty", **kwargs)


def test_unknown_parameters_are_refused_by_set():
    with pytest.raises(ValueError, match="did you mean 'penalty'"):
        explore("pleading-poverty").set(penalti=1.0)
