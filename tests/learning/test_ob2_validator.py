"""The hosted OB 2.0 assertions checked by 1EdTech's own validator (openbadges-validator-core), over HTTP.

The validator (PyPI ``openbadges`` 1.1.2) pins 2017-era packages (jsonschema 2.6, Click 6.7,
pytz 2017.2, python-jose 3.0.1, pycryptodome 3.6.6) that clash with the project's and do not
import on Python 3.11, so it lives in a virtualenv of its own, named by ``OB2_VALIDATOR_PYTHON``::

    python -m venv /tmp/ob2-validator
    /tmp/ob2-validator/bin/pip install openbadges==1.1.2
    /tmp/ob2-validator/bin/pip install --no-deps pycryptodome==3.23.0 python-jose==3.3.0 pytz==2024.2
    OB2_VALIDATOR_PYTHON=/tmp/ob2-validator/bin/python pytest tests/learning/test_ob2_validator.py

Without it the test is skipped (the 410 document's shape is asserted in test_wallets.py). Offline,
the validator is handed the OB 2.0 JSON-LD context it bundles instead of fetching it from w3id.org.
"""

import json
import os
import subprocess
from pathlib import Path

import pytest

VALIDATOR = os.environ.get("OB2_VALIDATOR_PYTHON", "")
# Offline, the validator is given the copy of the OB 2.0 JSON-LD context it bundles itself
# (it fetches https://w3id.org/openbadges/v2 otherwise); everything else it fetches from us.
SCRIPT = """
import json, sys
import requests
from requests.adapters import HTTPAdapter
from openbadges.verifier.openbadges_context import OPENBADGES_CONTEXT_V2_DICT, OPENBADGES_CONTEXT_V2_URI

send = HTTPAdapter.send


def offline_context(self, request, **kwargs):
    if request.url.rstrip("/") != OPENBADGES_CONTEXT_V2_URI:
        return send(self, request, **kwargs)
    response = requests.Response()
    response.status_code, response.url, response.request = 200, request.url, request
    response._content = json.dumps(OPENBADGES_CONTEXT_V2_DICT).encode()
    response.headers["Content-Type"] = "application/ld+json"
    return response


HTTPAdapter.send = offline_context
from openbadges import verify

print(json.dumps(verify(sys.argv[1])["report"]))
"""

pytestmark = [
    pytest.mark.skipif(
        not (VALIDATOR and Path(VALIDATOR).exists()),
        reason="openbadges-validator-core needs its own virtualenv (its pins clash with ours): "
        "set OB2_VALIDATOR_PYTHON, see this file's docstring",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def validate(url: str) -> dict:
    result = subprocess.run([VALIDATOR, "-c", SCRIPT, url], capture_output=True, text=True, timeout=120, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_hosted_assertion_passes_the_validator_and_a_revoked_one_is_refused(live_server, settings):
    from learning import openbadges, services
    from tests.journey.factories import AccountManagerFactory, SMEUserFactory
    from tests.learning.factories import BadgeClassFactory

    settings.WAGTAILADMIN_BASE_URL = live_server.url
    learner = SMEUserFactory()
    badge = BadgeClassFactory(description_en="Keeps a clean catalogue.", description_fr="Tient un catalogue propre.")
    award, _ = services.badge_award(badge_class=badge, sme=learner.sme)
    report = validate(openbadges.assertion_url(award))
    assert report["valid"] is True and report["errorCount"] == 0, report

    manager = AccountManagerFactory(launchpad=learner.sme.launchpad)
    learner.sme.primary_account_manager = manager
    learner.sme.save()
    services.badge_revoke(award=award, by=manager, reason="Awarded in error")
    report = validate(openbadges.assertion_url(award))
    # validator-core 1.1.2 checks revocation only for signed assertions (their RevocationList) and
    # ignores the HTTP status, so it cannot say "revoked" for a hosted one: it must refuse it, and
    # read the 410 body (the OB 2.0 spec's revocation document) without JSON-LD errors.
    assert report["valid"] is False, report
    messages = " ".join(str(message.get("result", "")) for message in report["messages"])
    assert "jsonld" not in messages.lower().replace("-", ""), report
