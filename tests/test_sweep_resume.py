"""Sweeps on disk that never lose or half-read data: records, verification, interrupts.

* reading an unfinished sweep is refused (or warned about, with ``partial=True``);
* every chunk is recorded in the manifest (size, CRC-32, point range) and verified on resume
  and on read: truncated, zero-length, corrupted, foreign, unrecorded and stray chunk files
  are recomputed or moved aside, and named;
* hostile manifests are named errors;
* SIGKILL and SIGINT at random moments of a Parquet sweep, then resume: the dataset equals an
  uninterrupted run's exactly, file for file.
"""
import inspect
import json
import os
import random
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_sweep import GRID as LADDER_GRID
from test_sweep import Ladder

from gametheory_aid.analysis import open_sweep, sweep
from gametheory_aid.analysis.sweeps import (
    JOURNAL,
    MANIFEST,
    CorruptChunkError,
    IncompleteSweepError,
    IncompleteSweepWarning,
    ResumeWarning,
    SweepManifestError,
)
from gametheory_aid.core.results import ModelResult
from gametheory_aid.models import get_model, model_names

ROOT = Path(__file__).resolve().parent.parent
GRID = {"transparency": np.linspace(0, 1, 7), "value": [1.0, 4.0, 9.0], "rounds": [1, 3]}  # 42 points
N_CHUNKS = 7  # chunks of 6 points
OUTPUTS = ["rent", "regime", "first_round"]


def run(out, **kw):
    return sweep(Ladder, GRID, outputs=OUTPUTS, chunk_size=6, out=out, **kw)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """An uninterrupted sweep: its table and its chunks' records."""
    handle = run(tmp_path_factory.mktemp("reference") / "ref")
    return handle.to_pandas(), handle.manifest["chunks"]


def part(out, k):
    return out / f"part-{k:06d}.parquet"


def assert_equals_reference(handle, reference):
    table, records = reference
    pd.testing.assert_frame_equal(handle.to_pandas(), table, check_exact=True)
    assert handle.manifest["complete"] is True and handle.manifest["chunks"] == records  # the same bytes
    assert not (Path(handle.path) / JOURNAL).exists()
    assert not [p.name for p in Path(handle.path).iterdir() if p.name.endswith(".tmp")]


# -- reading an unfinished sweep --------------------------------------------------------------------
def test_reading_an_unfinished_sweep_is_refused_unless_partial(tmp_path, reference):
    out = tmp_path / "run"
    run(out)
    part(out, 3).unlink()
    part(out, 5).unlink()
    handle = open_sweep(out)
    assert not handle.complete and handle.missing() == [3, 5]
    for read in (handle.to_pandas, handle.to_arrow, handle.dataset):
        with pytest.raises(IncompleteSweepError, match=r"2 of 7 chunks missing.*12 of 42 points.*resume=True"):
            read()
    with pytest.raises(IncompleteSweepError) as info:
        handle.to_pandas(columns=["rent"])
    assert info.value.missing == [3, 5] and info.value.n_chunks == N_CHUNKS
    with pytest.warns(IncompleteSweepWarning, match="2 of 7 chunks missing"):
        partial = handle.to_pandas(partial=True)
    # every point of the chunks that are there (6 points each), values as in the full run
    expected = reference[0].drop(index=list(range(18, 24)) + list(range(30, 36)))
    pd.testing.assert_frame_equal(partial, expected, check_exact=True)
    assert "5 of 7 chunks" in repr(handle)


def test_a_corrupted_chunk_is_named_on_read(tmp_path, reference):
    out = tmp_path / "run"
    run(out)
    data = bytearray(part(out, 2).read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte, same size
    part(out, 2).write_bytes(bytes(data))
    handle = open_sweep(out)
    assert handle.complete  # sizes match: only the checksum, read with the data, tells
    with pytest.raises(CorruptChunkError, match=r"part-000002\.parquet is damaged \(checksum"):
        handle.to_pandas()
    with pytest.raises(CorruptChunkError, match="part-000002"):
        handle.dataset()
    with pytest.warns(IncompleteSweepWarning, match="damaged"):
        assert len(handle.to_pandas(partial=True)) == 36
    with pytest.warns(ResumeWarning, match="part-000002.parquet: checksum"):
        resumed = run(out, resume=True)
    assert resumed.resumed.recomputed.keys() == {2}
    assert_equals_reference(resumed, reference)


# -- resuming over damaged, foreign and stray files ---------------------------------------------------
def _truncate(out, other):
    data = part(out, 4).read_bytes()
    part(out, 4).write_bytes(data[: len(data) // 2])


def _zero_length(out, other):
    part(out, 4).write_bytes(b"")


def _flip_a_byte(out, other):
    data = bytearray(part(out, 4).read_bytes())
    data[100] ^= 1
    part(out, 4).write_bytes(bytes(data))


def _copy_from_another_sweep(out, other):
    part(out, 4).write_bytes(part(other, 4).read_bytes())  # same grid size, another fixed value


def _unrecorded(out, other):  # written after the run's last record (killed between the two)
    manifest = json.loads((out / MANIFEST).read_text())
    manifest["chunks"] = [r for r in manifest["chunks"] if r["chunk"] != 4]
    manifest["complete"] = False
    (out / MANIFEST).write_text(json.dumps(manifest))


def _another_chunk_in_its_place(out, other):  # chunk 5's file, renamed, with chunk 4's record edited to it
    manifest = json.loads((out / MANIFEST).read_text())
    five = next(r for r in manifest["chunks"] if r["chunk"] == 5)
    for r in manifest["chunks"]:
        if r["chunk"] == 4:
            r.update(bytes=five["bytes"], crc32=five["crc32"])
    (out / MANIFEST).write_text(json.dumps(manifest))
    part(out, 4).write_bytes(part(out, 5).read_bytes())


@pytest.mark.parametrize("damage, reason", [
    pytest.param(_truncate, "truncated or replaced", id="truncated"),
    pytest.param(_zero_length, "zero-length file", id="zero-length"),
    pytest.param(_flip_a_byte, "checksum", id="corrupted"),
    pytest.param(_copy_from_another_sweep, "(checksum|replaced)", id="copied-from-another-sweep"),
    pytest.param(_unrecorded, "not recorded", id="unrecorded"),
    pytest.param(_another_chunk_in_its_place, "holds chunk 5", id="another-chunk-in-its-place"),
])
def test_resume_recomputes_and_names_a_chunk_that_fails_verification(tmp_path, reference, damage, reason):
    out, other = tmp_path / "run", tmp_path / "other"
    run(out)
    sweep(Ladder(penalty=3.0), GRID, outputs=OUTPUTS, chunk_size=6, out=other)
    untouched = part(out, 1).stat().st_mtime_ns
    damage(out, other)
    with pytest.warns(ResumeWarning, match=rf"part-000004\.parquet: [^;]*{reason}"):
        handle = run(out, resume=True)
    report = handle.resumed
    assert sorted(report.recomputed) == [4] and re.search(reason, report.recomputed[4])
    assert len(report.kept) == N_CHUNKS - 1 and report.missing == []
    assert part(out, 1).stat().st_mtime_ns == untouched  # verified, not rewritten
    assert_equals_reference(handle, reference)


def test_a_stray_extra_chunk_is_moved_aside_and_never_read(tmp_path, reference):
    out = tmp_path / "run"
    run(out)
    (out / "part-000007.parquet").write_bytes(part(out, 1).read_bytes())  # an 8th chunk of a 7-chunk sweep
    handle = open_sweep(out)
    assert "7 of 7 chunks" in repr(handle) and len(handle.files()) == N_CHUNKS
    pd.testing.assert_frame_equal(handle.to_pandas(), reference[0])
    with pytest.warns(ResumeWarning, match="stray"):
        resumed = run(out, resume=True)
    assert resumed.resumed.strays == ["part-000007.parquet"]
    assert not (out / "part-000007.parquet").exists() and (out / ".stray-part-000007.parquet").exists()
    assert_equals_reference(resumed, reference)


def test_resume_reports_what_it_skipped_and_computed(tmp_path, reference):
    out = tmp_path / "run"
    run(out)
    part(out, 0).unlink()
    part(out, 6).write_bytes(b"")
    with pytest.warns(ResumeWarning):
        handle = run(out, resume=True)
    report = handle.resumed
    assert (report.kept, report.missing, list(report.recomputed)) == ([1, 2, 3, 4, 5], [0], [6])
    assert str(report).startswith("5 of 7 chunks verified and skipped, 2 computed (1 recomputed, 1 missing)")
    assert_equals_reference(handle, reference)
    assert run(out, resume=True).resumed.kept == list(range(N_CHUNKS))  # complete: nothing to do


def test_a_kill_inside_the_first_manifest_write_does_not_block_the_next_run(tmp_path, reference):
    for name in (f".{MANIFEST}.4242.1.tmp", f"{MANIFEST}.4242.tmp"):  # this version's, and the older one
        out = tmp_path / name.strip(".")
        out.mkdir()
        (out / name).write_text('{"format": 2, "mod')
        assert_equals_reference(run(out), reference)


def test_a_journal_line_cut_by_a_kill_is_ignored(tmp_path, reference):
    out = tmp_path / "run"
    run(out)
    manifest = json.loads((out / MANIFEST).read_text())
    lines = [json.dumps(dict(r, sweep=manifest["digest"])) for r in manifest["chunks"][:3]]
    manifest.update(complete=False, chunks=[])
    (out / MANIFEST).write_text(json.dumps(manifest))
    (out / JOURNAL).write_text("\n".join(lines) + "\n" + lines[0][:25])  # the last line cut short
    handle = open_sweep(out)
    assert handle.missing() == [3, 4, 5, 6]  # chunks 3.. have files but no record: not trusted
    with pytest.warns(ResumeWarning, match="not recorded"):
        resumed = run(out, resume=True)
    assert resumed.resumed.kept == [0, 1, 2]
    assert_equals_reference(resumed, reference)


def test_a_new_sweep_that_fails_before_its_first_chunk_leaves_nothing(tmp_path):
    class Broken(Ladder):
        name = "broken-test"

        def _solve(self, **params):
            if np.ndim(params["value"]):  # the probe solve at one point passes; a chunk fails
                raise RuntimeError("the solver broke")
            return super()._solve(**params)

    out = tmp_path / "new"
    with pytest.raises(RuntimeError, match="broke"):
        sweep(Broken, {"value": [1.0, 2.0]}, out=out)
    assert not out.exists()


# -- hostile manifests --------------------------------------------------------------------------
@pytest.mark.parametrize("text, match", [
    pytest.param("[]", "expected a JSON object, got list", id="list"),
    pytest.param("{", "not valid JSON", id="truncated"),
    pytest.param("\xff\xfe", "not valid JSON", id="not-utf8"),
    pytest.param('{"format": 2}', "no 'model'", id="no-model"),
    pytest.param('{"format": "2"}', "format '2'", id="format-string"),
    pytest.param("null", "got NoneType", id="null"),
])
def test_a_manifest_that_is_not_one_is_a_named_error(tmp_path, text, match):
    out = tmp_path / "run"
    run(out)
    (out / MANIFEST).write_bytes(text.encode("latin-1"))
    with pytest.raises(SweepManifestError, match=match):
        open_sweep(out)
    with pytest.raises(SweepManifestError, match=f"resume: .*{match}.*start afresh"):
        run(out, resume=True)


MANIFEST_EDITS = {
    "n_chunks": [0, -1, 8, 10 ** 12, "7", True, None, 1.5],
    "n_points": [0, 43, "42", None, 1e300],
    "chunk_size": [0, 5, None, [6]],
    "complete": ["yes", 1, None],
    "digest": ["0" * 63, 7, None],
    "chunks": [{}, "x", [{"chunk": 0}], [None], [[1, 2]]],
    "columns": ["rent", [1, 2]],
}


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_fuzzed_manifests_and_records_are_named_errors(tmp_path_factory, data):
    base = tmp_path_factory.getbasetemp() / "fuzz-base"
    if not base.exists():
        run(base)
    doc = json.loads((base / MANIFEST).read_text())
    key = data.draw(st.sampled_from(sorted(MANIFEST_EDITS)))
    doc[key] = data.draw(st.sampled_from(MANIFEST_EDITS[key]))
    if data.draw(st.booleans()):  # or damage one chunk record
        rec = doc["chunks"][0] if isinstance(doc.get("chunks"), list) and doc["chunks"] \
            and isinstance(doc["chunks"][0], dict) else None
        if rec is not None:
            field = data.draw(st.sampled_from(["chunk", "file", "first_point", "last_point", "rows", "bytes",
                                               "crc32"]))
            rec[field] = data.draw(st.sampled_from([None, -1, 10 ** 9, "x", True, 2.5, "0" * 8]))
    text = json.dumps(doc)
    path = base / "edited"
    path.mkdir(exist_ok=True)
    (path / MANIFEST).write_text(text)
    try:
        handle = open_sweep(path)
    except SweepManifestError:
        return
    # accepted: then it must be a manifest that reads or refuses cleanly (no other error type)
    try:
        handle.to_pandas()
    except (IncompleteSweepError, CorruptChunkError):
        pass


@settings(max_examples=60, deadline=None)
@given(raw=st.one_of(st.binary(max_size=200),
                     st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
                                  lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=8), c,
                                                                                       max_size=3),
                                  max_leaves=10).map(lambda v: json.dumps(v).encode())))
def test_random_bytes_and_json_as_a_manifest_are_named_errors(tmp_path_factory, raw):
    path = tmp_path_factory.mktemp("random-manifest")
    (path / MANIFEST).write_bytes(raw)
    with pytest.raises(SweepManifestError):
        open_sweep(path)


# -- writing: the codec, regimes as codes, nothing left by a failed start ---------------------------
def test_compression_is_an_option_recorded_in_the_definition(tmp_path):
    import pyarrow.parquet as pq

    default = sweep(Ladder, LADDER_GRID, chunk_size=10, out=tmp_path / "snappy").to_pandas()
    for codec, stored in (("none", "UNCOMPRESSED"), ("zstd", "ZSTD")):
        handle = sweep(Ladder, LADDER_GRID, chunk_size=10, out=tmp_path / codec, compression=codec)
        assert handle.manifest["compression"] == codec
        meta = pq.ParquetFile(handle.files()[0]).metadata.row_group(0)
        assert {meta.column(i).compression for i in range(meta.num_columns)} == {stored}
        table = handle.to_pandas()
        table.attrs = default.attrs  # the definitions differ by the codec only
        pd.testing.assert_frame_equal(table, default, check_exact=True)
    with pytest.raises(ValueError, match="compression differ"):
        sweep(Ladder, LADDER_GRID, chunk_size=10, out=tmp_path / "zstd", resume=True)


def test_an_unreachable_scheduler_fails_fast_and_leaves_nothing(tmp_path):
    pytest.importorskip("distributed")
    from gametheory_aid.analysis.sweeps import SchedulerUnreachableError

    out = tmp_path / "never"
    with pytest.raises(SchedulerUnreachableError, match=r"scheduler: no Dask scheduler answered at "
                                                        r"'tcp://127.0.0.1:1' within 0.5 s"):
        sweep(Ladder, LADDER_GRID, out=out, backend="dask", scheduler="tcp://127.0.0.1:1", scheduler_timeout=0.5)
    assert not out.exists()  # the client is made before the output directory


# -- regimes stay codes end to end, for every registered model -------------------------------------------
CODED_MODELS = [n for n in model_names() if any(getattr(o, "categories", None) for o in get_model(n).outputs)]


@pytest.mark.parametrize("name", [pytest.param(n, id=n) for n in CODED_MODELS])
def test_every_models_categorical_outputs_are_dictionary_encoded_from_its_codes(tmp_path, name, monkeypatch):
    import pyarrow as pa
    import pyarrow.parquet as pq

    model = get_model(name)()
    coded = {o.name: tuple(o.categories) for o in model.outputs if getattr(o, "categories", None)}
    labelled, original = [], ModelResult._value

    def spy(self, output):  # records every categorical output turned into labels
        if output in self._categories:
            labelled.append(output)
        return original(self, output)

    monkeypatch.setattr(ModelResult, "_value", spy)
    handle = sweep(model, {"transparency": np.linspace(0, 1, 5)}, outputs=list(coded), out=tmp_path / "d",
                   chunk_size=2)
    assert labelled == []  # no label was built: the model's codes went to disk
    for f in handle.files():
        table = pq.read_table(f)
        for output, labels in coded.items():
            column = table.column(output)
            assert pa.types.is_dictionary(column.type) and column.type.index_type == pa.int32()
            assert column.chunk(0).dictionary.to_pylist() == list(labels)
    solved = model.with_(transparency=np.linspace(0, 1, 5)).solve()
    disk = handle.to_pandas()
    for output in coded:
        assert list(disk[output].astype(str)) == [str(v) for v in np.asarray(solved[output]).tolist()]


# -- SIGKILL and SIGINT at random moments, then resume ------------------------------------------------
# A server process imports everything once, then forks one child per run, so that each of the
# many interrupted runs starts at once.  The child runs the sweep command (its output to a log
# file); the server, its parent, sends it the signal after the given delay and reports how it
# ended.  Each solve call is slowed by 1 ms so that a run lasts a few tenths of a second.
SERVER = "\n".join([
    "import json, os, signal, sys, time",
    "signal.signal(signal.SIGINT, signal.default_int_handler)",
    "import numpy as np",
    "import pandas, pyarrow.parquet, scipy.stats  # imported before forking",
    "import gametheory_aid.analysis, gametheory_aid.analysis.sweeps.frame",
    "from gametheory_aid.core.params import Domain, Parameter",
    "from gametheory_aid.models.base import Model, Output",
    inspect.getsource(Ladder),
    "_solve = Ladder._solve",
    "Ladder._solve = lambda self, **p: (time.sleep(0.001) if np.ndim(p['value']) else None, _solve(self, **p))[1]",
    "from gametheory_aid.models import MODELS, model_names",
    "model_names(); MODELS['ladder-test'] = Ladder",
    "from gametheory_aid.cli import build_parser",
    "from gametheory_aid.cli.sweeps import cmd_sweep",
    "for line in sys.stdin:",
    "    job = json.loads(line)",
    "    args = build_parser().parse_args(job['argv'])",
    "    pid = os.fork()",
    "    if pid == 0:",
    "        log = os.open(job['log'], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)",
    "        os.dup2(log, 1); os.dup2(log, 2)",
    "        code = 131  # an interrupt outside the command itself",
    "        try:",
    "            code = cmd_sweep(args)",
    "        except KeyboardInterrupt:",
    "            pass",
    "        finally:",
    "            sys.stdout.flush(); sys.stderr.flush()",
    "            os._exit(code)",
    "    deadline = time.monotonic() + job['delay'] if job['signal'] else None",
    "    started, status = time.monotonic(), None",
    "    while status is None:",
    "        done, st = os.waitpid(pid, os.WNOHANG)",
    "        if done:",
    "            status = st",
    "        elif deadline is not None and time.monotonic() >= deadline:",
    "            os.kill(pid, job['signal']); deadline = None",
    "        elif time.monotonic() - started > 60:",
    "            os.kill(pid, signal.SIGKILL); deadline = None",
    "        else:",
    "            time.sleep(0.0005)",
    "    print(json.dumps({'signalled': os.WIFSIGNALED(status) and os.WTERMSIG(status),",
    "                      'code': os.WIFEXITED(status) and os.WEXITSTATUS(status)}), flush=True)",
])
KILL_GRID = ["--grid", "value=0:10:20", "--grid", "transparency=0:1:12", "--grid", "rounds=1,2,4"]  # 720 points
KILL_SAMPLES = ["--samples", "640", "--vary", "value=0:10", "--vary", "transparency=0:1", "--vary", "rounds=1:4"]
KILL_COMMON = ["--chunk-size", "30", "--output", "rent", "--output", "regime", "--output", "first_round"]


@pytest.fixture(scope="module")
def server():
    proc = subprocess.Popen([sys.executable, "-c", SERVER], cwd=str(ROOT), stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, env=dict(os.environ, PYTHONPATH=str(ROOT)), text=True)

    def job(argv, log, sig=0, delay=0.0):
        proc.stdin.write(json.dumps({"argv": argv, "log": str(log), "signal": int(sig), "delay": delay}) + "\n")
        proc.stdin.flush()
        ready, _, _ = select.select([proc.stdout], [], [], 120)
        assert ready, "the sweep server did not answer"
        return json.loads(proc.stdout.readline())

    yield job
    proc.stdin.close()
    proc.wait(timeout=30)


def test_sigkill_and_sigint_at_random_moments_then_resume_equal_an_uninterrupted_run(server, tmp_path):
    rng = random.Random(14)
    designs = {"grid": KILL_GRID, "samples": KILL_SAMPLES}
    references, durations = {}, {}
    server(["sweep", "ladder-test", *KILL_GRID, *KILL_COMMON, "--out", str(tmp_path / "warm-up")],
           tmp_path / "warm-up.log")  # the first run reads everything from disk: not a typical run's length
    for name, design in designs.items():
        argv = ["sweep", "ladder-test", *design, *KILL_COMMON, "--out", str(tmp_path / f"ref-{name}")]
        start = time.monotonic()
        assert server(argv, tmp_path / f"ref-{name}.log") == {"signalled": False, "code": 0}
        durations[name] = time.monotonic() - start
        ref = open_sweep(tmp_path / f"ref-{name}")
        references[name] = (ref.to_pandas(), ref.manifest["chunks"])
    interrupted = {signal.SIGKILL: 0, signal.SIGINT: 0}
    kept = []  # chunk files on disk after each interrupt: where in the run it landed
    trials = 20
    for trial in range(trials):
        sig = (signal.SIGKILL, signal.SIGINT)[trial % 2]
        name = ("grid", "samples")[(trial // 2) % 2]
        out = tmp_path / f"trial-{trial}"
        argv = ["sweep", "ladder-test", *designs[name], *KILL_COMMON, "--out", str(out)]
        for attempt in range(1 + trial % 3 // 2):  # a third of the trials interrupt the resume too
            log = tmp_path / f"trial-{trial}-{attempt}.log"
            end = server(argv + (["--resume"] if attempt else []), log, sig, rng.uniform(0, 0.9 * durations[name]))
            text = log.read_text()
            assert "Traceback" not in text, text
            if sig == signal.SIGKILL:
                assert end in ({"signalled": int(sig), "code": False}, {"signalled": False, "code": 0}), end
            else:  # Ctrl-C: a clean stop with the way to resume, or the run had already finished
                assert end["signalled"] is False and end["code"] in (0, 130, 131), (end, text)
                if end["code"] == 130:  # one line: what was kept and how to finish, or that nothing was
                    assert text.count("\n") == 1 and text.startswith("gametheory-aid: interrupted: "), text
                    assert "--resume" in text if out.exists() else "nothing was kept" in text, text
            if end != {"signalled": False, "code": 0}:
                interrupted[sig] += 1
                kept.append(len(list(out.glob("part-*.parquet"))) if out.exists() else 0)
        final = server(argv + ["--resume"], tmp_path / f"trial-{trial}-final.log")
        assert final == {"signalled": False, "code": 0}, (tmp_path / f"trial-{trial}-final.log").read_text()
        assert "resumed:" in (tmp_path / f"trial-{trial}-final.log").read_text()
        assert_equals_reference(open_sweep(out), references[name])
    assert interrupted[signal.SIGKILL] >= trials // 4 and interrupted[signal.SIGINT] >= trials // 4, interrupted
    # the interrupts landed at different moments of the runs (22 and 24 chunks), not all at one
    assert len(set(kept)) >= 4 and max(kept) - min(kept) >= 8, kept


def test_ctrl_c_on_the_command_line_stops_cleanly_and_says_how_to_resume(tmp_path):
    """The real command (a fresh interpreter), interrupted by SIGINT after its first chunk."""
    launch = SERVER[:SERVER.index("from gametheory_aid.cli import build_parser")] + \
        "from gametheory_aid.cli import main\nsys.exit(main(sys.argv[1:]))\n"
    out = tmp_path / "ctrl-c"
    argv = ["sweep", "ladder-test", *KILL_GRID, "--chunk-size", "12", "--output", "rent", "--out", str(out)]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-c", launch, *argv], cwd=str(ROOT), env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not (out.exists() and any(p.name.startswith("part-") for p in out.iterdir())):
        assert proc.poll() is None, proc.stderr.read()
        assert time.monotonic() < deadline
        time.sleep(0.005)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert stdout == "" and stderr.count("\n") == 1 and "Traceback" not in stderr
    assert stderr.startswith("gametheory-aid: interrupted: ") and "run the same command with --resume" in stderr
    kept, n_chunks = len(open_sweep(out).files()), open_sweep(out).n_chunks
    assert 0 < kept < n_chunks and f"{kept} of {n_chunks} chunks are written and kept" in stderr
    res = subprocess.run([sys.executable, "-c", launch, *argv, "--resume"], cwd=str(ROOT), env=env,
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert f"resumed: {kept} of {n_chunks} chunks verified and skipped" in res.stdout
    reference = sweep(Ladder, {"value": np.linspace(0, 10, 20), "transparency": np.linspace(0, 1, 12),
                               "rounds": [1, 2, 4]}, outputs=["rent"], chunk_size=12, out=tmp_path / "ref").to_pandas()
    table = open_sweep(out).to_pandas()
    table.attrs = reference.attrs  # the model class's module differs (__main__)
    pd.testing.assert_frame_equal(table, reference, check_exact=True)
