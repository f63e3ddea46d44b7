"""Write the tutorial notebooks: one per model with a story, plus the combined report, in English and Chinese.

    python docs/notebooks/build.py           # (re)write docs/notebooks/{en,zh}/*.ipynb
    python docs/notebooks/build.py --check   # exit 1 if a committed notebook differs from what this writes

The notebooks are stored without outputs (the tests execute every one of them); their cells
are generated from the model registry, so a model added with a story gets its notebook here.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from gametheory_aid.models import get_model, model_names  # noqa: E402

LANGUAGES = ("en", "zh")

#: The notebooks' words, by language.
WORDS = {
    "en": {
        "intro": "This notebook solves the model **with and without digital transparency** (τ, the share of "
                 "the aid process the platform makes visible to the centre). Run the cells from top to bottom: "
                 "tables, the closed form and the figure render in the notebook, and the last cell gives a "
                 "slider per parameter.",
        "setup": "## Setting up\n\nThe tables label outputs and regimes in English "
                 "(`gta.set_display(lang=\"zh\")` switches to Chinese, `raw_names=True` to the raw names).",
        "solve": "## The equilibrium at the model's parameters",
        "compare": "## With and without digital transparency\n\nThe same model at τ = 0, 0.5 and 1.",
        "symbolic": "## The closed form\n\nThe equilibrium regime by regime, derived with sympy.",
        "figure": "## The figure\n\nThe outputs against τ: regimes shaded and named, thresholds dashed, "
                  "jumps drawn as breaks.",
        "demo": "## The walkthrough\n\nThe classroom walkthrough, its words chosen from the numbers.",
        "explore": "## Explore\n\nMove a slider: the table and the figure follow (the grey line marks the "
                   "current τ). A value outside a parameter's domain is refused with the reason.",
        "report_title": "# The report: the contracting link with and without digital transparency",
        "report_intro": "Every model of the package at τ = 0, 0.5 and 1: for each, its table, its thresholds, "
                        "the sentences that explain it and its figure.",
        "report_params": "## With other parameters\n\nThe report takes parameters as the command line's "
                         "`report --set MODEL.NAME=VALUE` does.",
    },
    "zh": {
        "intro": "本笔记本在**有无数字透明**两种情形下求解模型（τ：平台让中央看得见的援助过程所占的比例）。"
                 "从上到下依次运行各单元：表格、解析解与图形都显示在笔记本中，最后一个单元为每个参数提供一个滑块。",
        "setup": "## 准备\n\n表格以中文标注输出与均衡类型（`gta.set_display(lang=\"en\")` 切换为英文，"
                 "`raw_names=True` 显示原始名称）。",
        "solve": "## 模型参数下的均衡",
        "compare": "## 有无数字透明\n\n同一模型在 τ = 0、0.5、1 时的均衡。",
        "symbolic": "## 解析解\n\n用 sympy 推导的均衡，按均衡类型分段。",
        "figure": "## 图形\n\n各输出随 τ 的变化：各均衡类型以底色标出并命名，门槛为虚线，跳跃处断开。",
        "demo": "## 课堂演示\n\n课堂演示的文字由数值决定。",
        "explore": "## 动手探索\n\n拖动滑块，表格与图形随之更新（灰线标出当前的 τ）。"
                   "超出参数取值范围的值会被拒绝并说明原因。",
        "report_title": "# 报告：有无数字透明时的发包环节",
        "report_intro": "本包的全部模型在 τ = 0、0.5、1 时的结果：每个模型的表格、门槛、解释数值的文字与图形。",
        "report_params": "## 改变参数\n\n报告像命令行的 `report --set 模型.参数=值` 一样接受参数。",
    },
}


def _md(text: str):
    return nbformat.v4.new_markdown_cell(text)


def _code(text: str):
    return nbformat.v4.new_code_cell(text)


def _notebook(cells: list):
    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    nb.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                   "language_info": {"name": "python"}}
    # stable cell ids: a rebuild of the same notebook writes the same file
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:02d}"
    return nb


#: The setup cell's comment, by language
W_SETUP_COMMENT = {"en": "returns the previous settings", "zh": "返回原先的设置"}


def _setup(lang: str) -> str:
    return ("import gametheory_aid as gta\n"
            "from gametheory_aid.analysis import explore, plot_transparency\n\n"
            f"_ = gta.set_display(lang={lang!r})  # {W_SETUP_COMMENT[lang]}")


def model_notebook(name: str, lang: str):
    """The tutorial notebook of model ``name`` in ``lang``."""
    cls = get_model(name)
    W = WORDS[lang]
    story = cls.story
    title = story.text(story.title, lang)
    other = cls.chinese_title if lang == "en" else cls.title
    cells = [_md(f"# {title}" + (f" ({other})" if other and other not in title else "") + f"\n\n`{name}`: "
                 + W["intro"]),
             _md(W["setup"]),
             _code(_setup(lang)),
             _md(W["solve"]), _code(f"model = gta.get_model({name!r})()\nmodel.solve()"),
             _md(W["compare"]), _code("model.compare([0, 0.5, 1])")]
    if cls.has_symbolic():
        cells += [_md(W["symbolic"]), _code("model.symbolic()")]
    if "transparency" in cls.parameter_specs() and story.figure is not None:
        cells += [_md(W["figure"]), _code(f"fig, ax = plot_transparency(model, lang={lang!r})")]
    if story.demo is not None:
        cells += [_md(W["demo"]), _code(f"from gametheory_aid.demo import demo\n\nprint(demo(model, lang={lang!r}))")]
    if "transparency" in cls.parameter_specs():
        cells += [_md(W["explore"]), _code("explore(model)")]
    return _notebook(cells)


def report_notebook(lang: str):
    """The combined report's notebook in ``lang``."""
    W = WORDS[lang]
    return _notebook([
        _md(W["report_title"] + "\n\n" + W["report_intro"]),
        _code(f"import gametheory_aid as gta\nfrom gametheory_aid.report import build_report\n\n"
              f"gta.set_display(lang={lang!r})\nreport = build_report([0, 0.5, 1], lang={lang!r})\nreport"),
        _md(W["report_params"]),
        _code(f"build_report([0, 1], lang={lang!r}, params={{'pleading-poverty': {{'value_intercept': 3}}}})"
              ".sections[0]"),
    ])


def notebook_models() -> list:
    """The models with a tutorial notebook: every registered model with a story."""
    return [n for n in model_names() if get_model(n).story is not None]


def notebooks() -> dict:
    """Relative path -> notebook, for every model and the report, in every language."""
    out = {}
    for lang in LANGUAGES:
        for name in notebook_models():
            out[f"{lang}/{name}.ipynb"] = model_notebook(name, lang)
        out[f"{lang}/report.ipynb"] = report_notebook(lang)
    return out


def text(nb) -> str:
    return nbformat.writes(nb) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed notebooks, write nothing")
    args = parser.parse_args(argv)
    stale = []
    for rel, nb in notebooks().items():
        path = HERE / rel
        new = text(nb)
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != new:
                stale.append(rel)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(new, encoding="utf-8")
    if stale:
        print("notebooks out of date (run python docs/notebooks/build.py): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
