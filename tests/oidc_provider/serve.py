"""Run the test provider: `python -m tests.oidc_provider.serve <folder>`.

Binds a free port on loopback first (so the issuer knows it), makes an RSA key, migrates
a fresh SQLite database, creates the users and clients of `<folder>/setup.json`, prints
`READY <port>` and serves until killed.
"""

import json
import os
import socketserver
import sys
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


class ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


def _make_key(path: Path) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def _set_up(folder: Path) -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    setup = json.loads((folder / "setup.json").read_text())
    for user in setup["users"]:
        get_user_model().objects.create_user(user["username"], password=user["password"])
    for client in setup["clients"]:
        Application.objects.create(
            name=client["client_id"],
            client_id=client["client_id"],
            client_secret=client["client_secret"],
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            redirect_uris=" ".join(client["redirect_uris"]),
            algorithm=Application.RS256_ALGORITHM,
            skip_authorization=True,
        )


def main(folder: Path) -> None:
    _make_key(folder / "key.pem")
    server = make_server(
        "127.0.0.1", 0, lambda *args: app(*args), ThreadingServer, handler_class=QuietHandler
    )
    port = server.server_address[1]
    os.environ["OIDC_PROVIDER_DIR"] = str(folder)
    os.environ["OIDC_PROVIDER_PORT"] = str(port)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"

    import django
    from django.core.wsgi import get_wsgi_application

    django.setup()
    _set_up(folder)
    app = get_wsgi_application()
    print(f"READY {port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
