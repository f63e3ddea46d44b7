"""Run every benchmark script in this folder and print a summary table.

Benchmarks are run by hand (``make bench``), not by the tests; their figures are recorded in
the documentation. Each ``bench_*.py`` prints its results and, as its last line, one JSON object.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv=None) -> int:
    names = (argv if argv is not None else sys.argv[1:]) or None
    scripts = sorted(HERE.glob("bench_*.py"))
    if names:
        scripts = [s for s in scripts if any(n in s.stem for n in names)]
    summary = []
    for script in scripts:
        print(f"== {script.stem}", flush=True)
        proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True)
        sys.stdout.write(proc.stdout)
        if proc.returncode != 0:
            sys.stderr.write(proc.stderr)
            summary.append((script.stem, "FAILED"))
            continue
        last = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else "{}"
        try:
            summary.append((script.stem, json.loads(last)))
        except json.JSONDecodeError:
            summary.append((script.stem, last))
    print("\n== summary")
    for name, result in summary:
        print(f"{name}: {json.dumps(result) if not isinstance(result, str) else result}")
    return 1 if any(r == "FAILED" for _, r in summary) else 0


if __name__ == "__main__":
    raise SystemExit(main())
