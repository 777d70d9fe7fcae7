"""A read-only request computes a remembered selector once; a write always computes."""

from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import translation

from kit.memo import PerRequestMemoMiddleware, per_request
from tests.factories import AllianceFactory


def counting_selector():
    calls = []

    @per_request
    def selector(alliances, *, today=None):
        calls.append([a.pk for a in alliances])
        return len(calls)

    return selector, calls


def run(method, page):
    """`page()` as the view of a request through the middleware."""

    def view(request):
        page()
        return HttpResponse()

    PerRequestMemoMiddleware(view)(getattr(RequestFactory(), method.lower())("/"))


def test_a_page_asks_twice_and_computes_once_whatever_the_order(db):
    selector, calls = counting_selector()
    first, second = AllianceFactory.create_batch(2)
    answers = []
    run("GET", lambda: answers.extend([selector([first, second]), selector([second, first])]))
    assert answers == [1, 1]
    assert calls == [[first.pk, second.pk]]


def test_other_arguments_and_languages_are_computed_apart(db):
    selector, calls = counting_selector()
    alliance = AllianceFactory()

    def page():
        selector([alliance])
        selector([alliance], today="2026-01-01")
        with translation.override("de"):
            selector([alliance])
        selector(a for a in [alliance])  # an iterator: read once, by the memo

    run("GET", page)
    assert calls == [[alliance.pk]] * 3


def test_writes_and_code_outside_requests_always_compute(db):
    selector, calls = counting_selector()
    alliance = AllianceFactory()
    run("POST", lambda: [selector([alliance]), selector([alliance])])
    selector([alliance])
    selector([alliance])
    assert len(calls) == 4


def test_each_request_starts_afresh(db):
    selector, calls = counting_selector()
    alliance = AllianceFactory()
    run("GET", lambda: selector([alliance]))
    run("GET", lambda: selector([alliance]))
    assert len(calls) == 2
