"""How passwords are stored: Argon2id, at the OWASP Password Storage Cheat Sheet's
recommended minimum (19 MiB of memory, 2 passes, 1 lane).

Django's own defaults (Argon2 with 100 MiB and 8 lanes, or PBKDF2 with 1,000,000
iterations) cost 0.25–0.45 s of a core per log-in: on our 2-core servers five log-ins
a second take both cores and every page waits behind them. Argon2id at this setting
costs about 20 ms and is memory-hard, which is what slows guessing on GPUs. Hashes
made with other settings still verify and are upgraded at the next log-in.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
