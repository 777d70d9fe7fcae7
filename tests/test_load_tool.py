"""`make load`'s CPU per request counts every process of the server, those still running
and those that ended during the run (a database connection closed at CONN_MAX_AGE, a
worker gunicorn replaced)."""

import subprocess
import sys
import time

import psutil

from bench.load import tree_cpu_seconds

BURN = "import time\nstart = time.process_time()\nwhile time.process_time() - start < 0.3: pass"


def test_a_process_that_ended_during_the_run_is_counted():
    me = psutil.Process()
    before = tree_cpu_seconds(me)
    subprocess.run([sys.executable, "-c", BURN], check=True)
    assert tree_cpu_seconds(me) - before >= 0.25  # in 10 ms clock ticks


def test_a_process_still_running_is_counted():
    me = psutil.Process()
    before = tree_cpu_seconds(me)
    # It burns its 0.3 s, then waits for a line.
    child = subprocess.Popen([sys.executable, "-c", f"{BURN}\ninput()"], stdin=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        burnt = psutil.Process(child.pid).cpu_times
        while time.monotonic() < deadline and burnt().user + burnt().system < 0.3:
            time.sleep(0.05)
        assert tree_cpu_seconds(me) - before >= 0.25  # in 10 ms clock ticks
    finally:
        child.communicate(b"\n")
