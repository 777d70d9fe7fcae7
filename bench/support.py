"""Shared helpers for benchmarks: a throw-away database and timing."""

import statistics
import time
from contextlib import contextmanager

from django.conf import settings
from django.db import connection
from django.test.utils import setup_test_environment, teardown_test_environment


@contextmanager
def bench_database():
    """Create a fresh test database (test_<name>), migrate it, drop it afterwards."""
    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


def median_ms(fn, repeat: int) -> float:
    """Median wall time of `fn()` over `repeat` runs, in milliseconds."""
    return median_wall_and_cpu_ms(fn, repeat)[0]


def median_wall_and_cpu_ms(fn, repeat: int) -> tuple[float, float]:
    """Median wall time and median process CPU time of `fn()` over `repeat` runs, in
    milliseconds. On a shared machine the wall time counts the waits for a CPU as well;
    the CPU time counts this process's own work (not the database server's)."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        cpus.append((time.process_time() - cpu) * 1000)
        walls.append((time.perf_counter() - wall) * 1000)
    return statistics.median(walls), statistics.median(cpus)
