"""Integers, ids and choices taken from a request (path, query string, form, htmx values).

Everything a user can type reaches us as text. Python's `int()` accepts Unicode digits
("²" passes `isdigit()` but `int("²")` raises), refuses more than 4,300 digits with a
`ValueError`, and SQLite refuses integers above 64 bits with an `OverflowError`: each of
those was a 500. So every integer from a request goes through `parse_int` here (a bad
value is a 400 with a message), through the `id` path converter (a bad id is a 404), or
through the form fields below (a bad id is a form error). No view calls `int()` on
request data itself.
"""

from django import forms
from django.core.exceptions import BadRequest, ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _

# Ids are 64-bit (BigAutoField, SQLite INTEGER): 18 digits always fit.
ID_MAX_DIGITS = 18
ID_MAX = 10**ID_MAX_DIGITS - 1
# What a refused value is echoed as, at most, in a message.
SHOWN_MAX = 20


def digits_value(raw, *, max_digits: int = ID_MAX_DIGITS) -> int | None:
    """The value of `raw` if it is 1 to `max_digits` ASCII digits (no sign, no space),
    else None. Never raises, whatever `raw` is."""
    if not isinstance(raw, str) or not 1 <= len(raw) <= max_digits:
        return None
    if not (raw.isascii() and raw.isdigit()):
        return None
    return int(raw)


def shown(raw) -> str:
    """`raw` cut short enough to echo in a message."""
    text = str(raw)
    return text if len(text) <= SHOWN_MAX else f"{text[:SHOWN_MAX]}…"


def parse_int(raw, *, name: str, minimum: int = 0, maximum: int = ID_MAX) -> int:
    """A whole number from `minimum` to `maximum` written in ASCII digits; anything else
    raises `BadRequest` (a 400) saying which parameter and what is accepted."""
    value = digits_value(raw, max_digits=len(str(maximum)))
    if value is None or not minimum <= value <= maximum:
        raise BadRequest(
            _("“%(name)s” must be a whole number from %(minimum)s to %(maximum)s, not “%(raw)s”.")
            % {"name": name, "minimum": minimum, "maximum": maximum, "raw": shown(raw)}
        )
    return value


def parse_optional_int(
    raw, *, name: str, default: int, minimum: int = 0, maximum: int = ID_MAX
) -> int:
    """Like `parse_int`, with `default` when the parameter is absent or empty."""
    if raw is None or raw == "":
        return default
    return parse_int(raw, name=name, minimum=minimum, maximum=maximum)


def parse_choice(raw, *, name: str, choices, default: str | None = None) -> str:
    """One of `choices` (strings); absent or empty gives `default` when there is one;
    anything else raises `BadRequest` listing what is accepted."""
    allowed = [str(c) for c in choices]
    if (raw is None or raw == "") and default is not None:
        return default
    if raw not in allowed:
        raise BadRequest(
            _("“%(name)s” must be one of %(allowed)s, not “%(raw)s”.")
            % {"name": name, "allowed": ", ".join(allowed), "raw": shown(raw)}
        )
    return raw


class IdConverter:
    """`<id:pk>` in a URL: 1 to 18 ASCII digits. Longer matches no URL (a 404), so an id
    never overflows the database."""

    regex = f"[0-9]{{1,{ID_MAX_DIGITS}}}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


class IdChoiceField(forms.ModelChoiceField):
    """A model choice whose posted id is checked before it reaches the database: a
    non-ASCII, signed or overlong id is "not one of the choices", never a 500."""

    def to_python(self, value):
        if (
            value not in self.empty_values
            and not isinstance(value, Model)
            and self.to_field_name is None
            and digits_value(str(value).strip()) is None
        ):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": shown(value)},
            )
        if isinstance(value, str):
            value = value.strip()
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several model choices, each id checked like `IdChoiceField` before any query."""

    def _check_values(self, value):
        if self.to_field_name is None:
            for pk in value:
                if not isinstance(pk, Model) and digits_value(str(pk).strip()) is None:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": shown(pk)},
                    )
            value = [pk.strip() if isinstance(pk, str) else pk for pk in value]
        return super()._check_values(value)
