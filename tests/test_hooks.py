"""Every way a higher app extends a lower one goes through ``journey.hooks``: this lists each hook and who fills it.

When an app starts filling a hook (or stops), this list changes with it: it is the one place
to read what an SME page shows, what a transition checks and what runs after a sync.
"""

import pytest

from journey import hooks

FILLED_BY = {
    hooks.CONDITION_CHECKS: [
        "journey.conditions.journey_checks",
        "connectors.wagtail_hooks.connectors_checks",
        "coaching.wagtail_hooks.coaching_checks",
    ],
    hooks.SME_PANELS: [
        "connectors.views.sme_panel",
        "toolkit.views.sme_panel",
        "coaching.views.sme_panel",
        "coaching.outcome_views.outcomes_panel",
        "learning.views.sme_panel",
    ],
    hooks.WORKSPACE_SECTIONS: [
        "coaching.workspace.section",
        "toolkit.workspace.section",
        "learning.workspace.section",
    ],
    hooks.TIMELINE_KINDS: [
        "journey.workspace.journey_timeline_kinds",
        "connectors.workspace.timeline_kinds",
        "coaching.workspace.timeline_kinds",
        "coaching.outcome_views.timeline_kinds",
        "learning.workspace.timeline_kinds",
    ],
    hooks.ATTENTION_REASONS: ["coaching.drift.open_drift"],
    hooks.SYNC_SUCCEEDED: ["toolkit.wagtail_hooks.refresh_after_sync"],
    hooks.MILESTONES: ["toolkit.milestones.toolkit_milestones", "coaching.wagtail_hooks.coaching_milestones"],
    hooks.MILESTONE_MOVED: [
        "coaching.wagtail_hooks.outcomes_after_milestones",
        "learning.wagtail_hooks.milestone_moved",
    ],
    hooks.UNLOCK_HINTS: ["learning.selectors.unlock_hint"],
    hooks.PLAN_TARGET: ["coaching.views.plan_target"],
}


def _names(name):
    return [f"{fn.__module__}.{fn.__qualname__}" for fn in hooks.get(name)]


def test_every_hook_is_declared_read_and_filled_by_the_apps_listed_in_order():
    # journey and the toolkit register their own functions in the modules that read them.
    import journey.conditions
    import journey.workspace  # noqa: F401
    import toolkit.milestones  # noqa: F401

    assert set(FILLED_BY) == set(hooks.HOOKS)
    for name, expected in FILLED_BY.items():
        assert _names(name) == expected, name


def test_every_hook_is_documented_with_what_it_receives_and_returns():
    source = open(hooks.__file__, encoding="utf-8").read()
    for name in hooks.HOOKS:
        constant = next(key for key, value in vars(hooks).items() if value == name and key.isupper())
        block = source[source.index(f'{constant} = "{name}"') :].split("\n\n")[0]
        assert "``fn(" in block and "->" in block, constant


def test_registering_twice_is_harmless_and_an_unknown_hook_is_refused():
    from toolkit.wagtail_hooks import refresh_after_sync

    before = hooks.get(hooks.SYNC_SUCCEEDED)
    hooks.register(hooks.SYNC_SUCCEEDED, refresh_after_sync)
    hooks.register(hooks.SYNC_SUCCEEDED, refresh_after_sync, order=5)
    assert hooks.get(hooks.SYNC_SUCCEEDED) == before == [refresh_after_sync]
    with pytest.raises(KeyError):
        hooks.register("echannel_no_such_hook", refresh_after_sync)


def test_the_timeline_kinds_and_milestones_keep_their_order_and_keys():
    from journey.workspace import timeline_kinds
    from toolkit.milestones import available

    assert [kind.key for kind in timeline_kinds()] == [
        "stage",
        "contact",
        "session",
        "plan",
        "outcome",
        "sync",
        "badge",
    ]
    assert sorted(available()) == [
        "inventory_score",
        "markets_established",
        "months_of_data",
        "new_market_first_sales",
        "plan_actions_done",
    ]


def test_override_holds_only_the_given_functions_then_restores_the_apps():
    def nothing(sme, tool):
        return None

    with hooks.override(hooks.UNLOCK_HINTS, nothing):
        assert hooks.get(hooks.UNLOCK_HINTS) == [nothing]
    assert _names(hooks.UNLOCK_HINTS) == FILLED_BY[hooks.UNLOCK_HINTS]
