"""`make bench`: run every bench/bench_*.py module's main() and print its figures.

Benchmarks are not tests: they print numbers for the issue notes. They run on
a throw-away SQLite database unless DATABASE_URL says otherwise.
"""

import importlib
import os
import pkgutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup():
    """Django as in production (DEBUG off), quiet but for the figures."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    # Only the figures: no INFO lines of the tasks the seeds run eagerly.
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")

    django.setup()


def main():
    only = sys.argv[1:]
    setup()
    from bench.support import bench_database

    with bench_database():
        for module_info in sorted(
            pkgutil.iter_modules([str(ROOT / "bench")]), key=lambda m: m.name
        ):
            name = module_info.name
            if not name.startswith("bench_") or (only and name not in only):
                continue
            print(f"\n== {name} ==", flush=True)
            started = time.perf_counter()
            importlib.import_module(f"bench.{name}").main()
            print(f"({time.perf_counter() - started:.1f} s)", flush=True)


if __name__ == "__main__":
    main()
