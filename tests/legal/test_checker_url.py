"""The legal-basis checker answers at a GET URL that can be bookmarked, shared and reloaded
(issue 16, #10; docs/adr/0015): its query holds no personal data."""

from urllib.parse import urlencode

import pytest

from casebridge.bootstrap import Platform
from tests.legal.conftest import LegalDesk
from tests.legal.test_pages import sign_in

pytestmark = pytest.mark.one_database


def test_the_checker_runs_from_its_url(legal_desk: LegalDesk, platform: Platform) -> None:
    officer = sign_in(legal_desk, platform, "fr.officer")
    form = officer.get("/legal/check")
    assert 'method="get" action="/legal/check"' in form.text
    assert 'name="csrf"' not in form.text.split('action="/legal/check"')[1].split("</form>")[0]
    query = {
        "requesting": "FR",
        "requested": "BR",
        "conduct": ["illegal_access", "computer_fraud"],
        "request_type": "extradition",
        "nationality": "br",
    }
    url = "/legal/check?" + urlencode(query, doseq=True)
    for _ in range(2):  # the answer, then a reload of the same URL
        answer = officer.get(url)
        assert answer.status_code == 200, answer.text
        assert "Not possible as it stands" in answer.text
        assert "Budapest Art. 24(6)" in answer.text
    same = officer.get(url.replace("requested=BR", "requested=FR"))
    assert same.status_code == 422
    assert "does not send a request to itself" in same.text
