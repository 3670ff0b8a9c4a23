"""Every exception type CaseBridge defines is either a problem the API maps (a `CaseBridgeError`)
or deliberately internal, with the place that turns it into one (issue 16, defect 5).

A new exception class that is neither fails this test: decide where it becomes a 4xx, or say
why it never reaches a client.
"""

import importlib
import inspect
import pkgutil

import casebridge
from casebridge.errors import CaseBridgeError

# Modules whose import has side effects: Alembic's env runs migrations, __main__ runs the CLI.
NOT_IMPORTED = ("casebridge.db.migrations", "casebridge.__main__")

# Internal exceptions: where each is caught and re-raised as a problem (or why it never escapes).
INTERNAL = {
    "casebridge.config.InsecureSettingsError": "refuses to start: raised before the app exists",
    "casebridge.kernel.marking.MarkingError": (
        "caught where a client's sharing becomes a Marking: cases.service (Sharing.marking_for, "
        "_restriction_problem for part restrictions), partners.service"
    ),
    "casebridge.cases.model.TransitionError": "cases.service -> Conflict",
    "casebridge.legal.reference.InvalidReference": "legal.service -> InvalidInput",
    "casebridge.legal.model.InvalidRequest": "legal.request_service -> InvalidInput",
    "casebridge.legal.model.IllegalMove": "legal.request_service -> Conflict",
    "casebridge.legal.checker.UnknownCountry": "legal.service -> InvalidInput",
    "casebridge.legal.checker.InvalidQuery": "legal.api / pages / cli -> 422",
    "casebridge.intel.normalisers.common.Reject": "intel.normalise -> a rejected indicator",
    "casebridge.intel.model.RequestError": "intel.service -> InvalidInput / Conflict",
    "casebridge.partners.model.ReportError": "partners.service -> InvalidInput",
    "casebridge.partners.requests.RequestError": "partners.request_service -> InvalidInput",
    "casebridge.partners.requests.IllegalMove": "partners.request_service -> Conflict",
    "casebridge.partners.requests.NotYourMove": "partners.request_service -> Forbidden",
    "casebridge.operations.model.IllegalMove": "operations.service -> Conflict",
    "casebridge.dataprotection.model.RequestError": "dataprotection.service -> InvalidInput",
    "casebridge.alerts.ports.DeliveryFailed": "alerts.service: a failed webhook is retried",
    "casebridge.notices.model.IllegalMove": "notices.service -> Conflict",
    "casebridge.notices.criteria.InvalidNotice": (
        "a ValueError inside contents_from_document: notices.service.parse_contents -> 422"
    ),
    "casebridge.capacity.model.InvalidRecord": "capacity.service -> InvalidInput",
    "casebridge.interop.taxii.model.FilterError": "taxii api/service -> TAXII 400",
    "casebridge.interop.taxii.model.FeedError": "taxii.service: a feed pull that failed, logged",
    "casebridge.interop.taxii.api.TaxiiError": "the TAXII app's own error handler",
    "casebridge.interop.misp.model.EventProblems": "misp.service -> InvalidInput with fields",
    "casebridge.audit.keys.SigningKeysNotFound": "verifiers and start-up: a message, exit 2",
    "casebridge.kernel.jsonbounds.TooDeep": "each JSON entry point -> InvalidInput (422)",
    "casebridge.bootstrap.DataDirNotWritable": "refuses to start with a message",
    "casebridge.web.bodies._Overflow": "the body-size middleware: its 413 is sent, then caught",
}


def _modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(casebridge.__path__, "casebridge."):
        if not info.name.startswith(NOT_IMPORTED):
            importlib.import_module(info.name)
            names.append(info.name)
    return names


def _defined_exceptions() -> dict[str, type[BaseException]]:
    found = {}
    for name in _modules():
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, BaseException) and cls.__module__ == name:
                found[f"{name}.{cls.__qualname__}"] = cls
    return found


def test_every_exception_is_a_problem_or_deliberately_internal() -> None:
    defined = _defined_exceptions()
    assert "casebridge.errors.InvalidInput" in defined  # the walk did import the packages
    unclassified = sorted(
        name
        for name, cls in defined.items()
        if not issubclass(cls, CaseBridgeError) and name not in INTERNAL
    )
    assert unclassified == [], "map these to a problem, or list them in INTERNAL with a reason"


def test_the_internal_list_names_only_existing_exceptions() -> None:
    assert sorted(set(INTERNAL) - set(_defined_exceptions())) == []
