"""Instructions per request of the fill page and the answer save, counted by callgrind: a
figure that, unlike the wall time `make bench` prints, hardly moves on a shared machine.

    .venv/bin/python -m bench.instructions [QUESTIONS]

runs itself again under `valgrind --tool=callgrind` (a few minutes), on the bank of
QUESTIONS questions (default 60) of bench_assessments, and prints the instructions per
request over MEASURED requests made after WARM_UP others. Only those requests are
counted: callgrind collects inside `sys.call_tracing` alone, which nothing else calls.
"""

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

WARM_UP = 50
MEASURED = 50
# Set on the process that runs under callgrind.
COUNTING = "BENCH_INSTRUCTIONS_COUNTING"
# In the order the counting process measures them: callgrind writes one dump for each.
MEASURES = ("fill page", "answer save")


def count(questions: int) -> None:
    """Make the requests: each measured series inside its own `sys.call_tracing`."""
    from bench.__main__ import setup

    setup()
    from django.test import Client

    from bench.bench_assessments import fill_page_and_answer_save
    from bench.support import bench_database
    from tests.conftest import make_team

    with bench_database():
        team = make_team(confidential=True, prefix="bench")
        client = Client()
        client.force_login(team.users["manager"])
        fill, answer_save, _section = fill_page_and_answer_save(team, questions)
        requests = {
            "fill page": lambda: client.get(fill),
            "answer save": lambda: answer_save(client),
        }
        for name in MEASURES:
            for _ in range(WARM_UP):
                requests[name]()
            sys.call_tracing(_repeat, (requests[name], MEASURED))


def _repeat(request, times: int) -> None:
    for _ in range(times):
        assert request().status_code == 200


def main() -> None:
    from bench.__main__ import ROOT

    questions = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    if os.environ.get(COUNTING):
        count(questions)
        return
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "callgrind.out"
        subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                "--collect-atstart=no",
                "--toggle-collect=sys_call_tracing",
                "--dump-after=sys_call_tracing",
                f"--callgrind-out-file={out}",
                sys.executable,
                "-m",
                "bench.instructions",
                str(questions),
            ],
            # One hash seed: sets and dicts of strings iterate in the same order each run.
            env={**os.environ, COUNTING: "1", "PYTHONHASHSEED": "0"},
            cwd=ROOT,
            stderr=subprocess.DEVNULL,
            check=True,
        )
        dumps = sorted(Path(folder).glob("callgrind.out.*"), key=lambda p: int(p.suffix[1:]))
        for name, dump in zip(MEASURES, dumps, strict=True):
            total = int(re.search(r"^summary: (\d+)", dump.read_text(), re.MULTILINE)[1])
            print(
                f"{questions} questions, {name}: {total // MEASURED:,} instructions per request"
                f" (callgrind, over {MEASURED} requests after {WARM_UP})"
            )


if __name__ == "__main__":
    main()
