"""A real OpenID Connect provider for tests/test_sso.py: django-oauth-toolkit with OIDC on,
in a Django project of its own, run in its own process by `serve.py`.

It holds its own users and clients (from `setup.json` in its folder), signs id tokens
RS256 with a key made at start, requires PKCE, and puts in each id token the claims
`claims.json` (same folder, read at each token) gives the user: the test changes them
between sign-ins (e-mail, email_verified, groups, amr).
"""
