"""Fixtures shared by the connectors tests (builders: ``factories``)."""

import pytest

from connectors import registry

from .factories import ProductRecordFactory
from .scripted import ScriptedConnector, scripted_order


@pytest.fixture
def scripted(monkeypatch):
    monkeypatch.setitem(registry.CONNECTORS, "scripted", "tests.connectors.scripted.ScriptedConnector")
    ScriptedConnector.SCRIPT = {
        "products": [[ProductRecordFactory(external_id="p1")]],
        "orders": [
            [scripted_order(1, day=1), scripted_order(2, day=5)],
            [scripted_order(3, day=9)],
            [scripted_order(4, day=20)],
        ],
    }
    ScriptedConnector.FAIL_AT = None
    ScriptedConnector.CHECK_ERROR = None
    ScriptedConnector.seen_cursors = []
    return ScriptedConnector
