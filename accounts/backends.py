from functools import cache

from django.contrib.auth import backends, get_user_model
from django.db import connection

from accounts.policy import two_factor_annotations


class ModelBackend(backends.ModelBackend):
    """Django's, but the signed-in user is loaded with whether they have an authenticator
    and the groups the rules ask about: the two-factor check and the navbar on every page
    cost no extra query."""

    def get_user(self, user_id):
        sql, params = _signed_in_user_sql()
        user = next(iter(get_user_model()._default_manager.raw(sql, (*params, user_id))), None)
        return user if user is not None and self.user_can_authenticate(user) else None


@cache
def _signed_in_user_sql() -> tuple[str, tuple]:
    """The annotated user query, compiled once per process with a placeholder for the
    user's id: compiling its four subqueries on every request cost more than running it.
    The queryset has no WHERE, ORDER BY or LIMIT of its own: the condition on the id goes
    at the end."""
    model = get_user_model()
    queryset = model._default_manager.annotate(**two_factor_annotations())
    sql, params = queryset.query.sql_with_params()
    quote = connection.ops.quote_name
    pk = f"{quote(model._meta.db_table)}.{quote(model._meta.pk.column)}"
    return f"{sql} WHERE {pk} = %s", params
