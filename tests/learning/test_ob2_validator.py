"""The OB 2.0 assertions, hosted and signed, checked by 1EdTech's own validator (openbadges-validator-core).

The validator (PyPI ``openbadges`` 1.1.2, the latest) pins 2017-era packages (jsonschema 2.6,
Click 6.7, pytz 2017.2, python-jose 3.0.1, pycryptodome 3.6.6) that clash with the project's,
so it lives in a virtualenv of its own, named by ``OB2_VALIDATOR_PYTHON``. On Python 3.11 three
pins are replaced: python-jose 3.0.1 does not import (``collections.Mapping``) and 3.3.0 dropped
the pycryptodome backend the validator hands its RSA keys to (signed assertions then fail with
``JWKError``), so 3.2.0; pycryptodome 3.23.0 and pytz 2024.2 for Python 3.11. ``.ci/run`` makes
it (``.venv-ob2/``), as does::

    python3.11 -m venv .venv-ob2
    .venv-ob2/bin/pip install openbadges==1.1.2
    .venv-ob2/bin/pip install --no-deps pycryptodome==3.23.0 python-jose==3.2.0 pytz==2024.2
    OB2_VALIDATOR_PYTHON=.venv-ob2/bin/python pytest tests/learning/test_ob2_validator.py

Without it the test is skipped (the documents' shapes are asserted in test_openbadges.py). The
validator fetches every address from the live server (loopback); offline, it is handed the OB 2.0
JSON-LD context it bundles instead of fetching it from w3id.org.
"""

import json
import os
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlparse

import pytest

VALIDATOR = os.environ.get("OB2_VALIDATOR_PYTHON", "")
# Each argument is validated in turn: a URL, a JWS, or ``@path`` for a baked PNG file. One JSON
# report per argument, one a line. Offline, the validator is given the copy of the OB 2.0 JSON-LD
# context it bundles itself (it fetches https://w3id.org/openbadges/v2 otherwise); everything
# else it fetches from us.
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

for badge_input in sys.argv[1:]:
    if badge_input.startswith("@"):
        with open(badge_input[1:], "rb") as handle:
            report = verify(handle)["report"]
    else:
        report = verify(badge_input)["report"]
    print(json.dumps(report))
"""

pytestmark = [
    pytest.mark.skipif(
        not (VALIDATOR and Path(VALIDATOR).exists()),
        reason="openbadges-validator-core needs its own virtualenv (its pins clash with ours): "
        "set OB2_VALIDATOR_PYTHON, see this file's docstring",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def validate(*inputs: str) -> list[dict]:
    result = subprocess.run([VALIDATOR, "-c", SCRIPT, *inputs], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    reports = [json.loads(line) for line in result.stdout.strip().splitlines() if line.startswith("{")]
    assert len(reports) == len(inputs), result.stdout + result.stderr
    return reports


def errors(report: dict) -> str:
    return " ".join(
        str(message.get("result", "")) for message in report["messages"] if message.get("messageLevel") == "ERROR"
    )


def test_every_demo_award_passes_the_validator_hosted_and_signed_and_a_revoked_one_is_reported_revoked(
    live_server, settings, client
):
    from cms.services import site_ensure_home
    from journey import demo as journey_demo
    from learning import demo as learning_demo
    from learning import openbadges, services
    from learning.models import AwardStatus, BadgeAward

    settings.WAGTAILADMIN_BASE_URL = live_server.url
    site_ensure_home()
    journey_demo.load()
    learning_demo.load()
    awards = list(BadgeAward.objects.select_related("sme__launchpad", "badge_class").order_by("pk"))
    valid = [award for award in awards if award.status() == AwardStatus.VALID]
    assert len(valid) == len(awards) >= 10, [award.status() for award in awards]
    assert {award.sme.launchpad.code for award in awards} == {"uk", "fr"}

    def signed(award) -> str:
        response = client.get(urlparse(openbadges.signed_assertion_url(award)).path)
        assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
        return response.content.decode()

    tokens = {award.pk: signed(award) for award in valid}
    inputs = [openbadges.assertion_url(award) for award in valid] + [tokens[award.pk] for award in valid]
    with tempfile.TemporaryDirectory() as folder:
        # A baked signed PNG, as a holder would upload it.
        baked = Path(folder) / "signed.png"
        baked.write_bytes(client.get(urlparse(openbadges.signed_baked_url(valid[0])).path).content)
        inputs.append(f"@{baked}")
        reports = validate(*inputs)
    for badge_input, report in zip(inputs, reports, strict=True):
        assert report["valid"] is True and report["errorCount"] == 0, (badge_input[:100], errors(report))
    print(f"openbadges-validator-core: {len(valid)} hosted, {len(valid)} signed, 1 baked signed PNG: all valid")

    # Revoked: the signed copy its holder kept is reported revoked, with the reason, through the
    # issuer's RevocationList; the hosted one answers 410 and is refused without JSON-LD errors.
    award = valid[0]
    services.badge_revoke(award=award, by=award.sme.primary_account_manager, reason="Awarded in error")
    other = next(other for other in valid if other.sme.launchpad_id == award.sme.launchpad_id and other != award)
    signed_report, hosted_report, other_report = validate(
        tokens[award.pk], openbadges.assertion_url(award), tokens[other.pk]
    )
    assert signed_report["valid"] is False, signed_report
    message = errors(signed_report)
    assert f"Assertion urn:uuid:{award.uid} has been revoked in RevocationList" in message, signed_report
    assert "with reason: Awarded in error" in message and signed_report["errorCount"] == 1, signed_report
    assert hosted_report["valid"] is False, hosted_report
    assert "jsonld" not in errors(hosted_report).lower().replace("-", ""), hosted_report
    # Another award of the same issuer is untouched by that revocation.
    assert other_report["valid"] is True and other_report["errorCount"] == 0, errors(other_report)
