"""The pack offers what its focus names (issue 19.3): findings filed under other themes whose
words name the visit's focus are offered on the pack screen itself, reviewed with + and
added with enter, as the visit form offers them once when the visit is saved.
"""

from __future__ import annotations

from typing import Any

from _tui_harness import Harness, pilot_test, settle

import store as api
from store import Store
from tui.screens.mention_review import MentionReview
from tui.screens.pack import PackScreen, PackTree

OVERSIGHT = "Supervision and management oversight"


def _labels(screen: PackScreen) -> list[str]:
    out: list[str] = []

    def walk(node: Any) -> None:
        for child in node.children:
            out.append(str(child.label))
            walk(child)

    walk(screen.query_one(PackTree).root)
    return out


def _offer(screen: PackScreen) -> str:
    offer = screen.query_one("#pack-offer")
    return str(offer.render()) if offer.display else ""


def _oversight_visit(store: Store) -> dict[str, Any]:
    api.create_finding(store, title="Supervision is not regular", ref="R1", theme=OVERSIGHT)
    filed_elsewhere = api.create_finding(
        store, ref="R4", theme="IROs and CP chairs",
        title="Ensure that the oversight of practice by all operational directors",
        text="Improve management oversight of practice by heads of service and team managers.",
    )  # fmt: skip
    second = api.create_finding(store, ref="R7", theme="Assessment",
                                title="Management decision making is not recorded")  # fmt: skip
    api.create_finding(store, ref="R8", theme="Care leavers", title="Pathway plans are weak")
    visit = api.create_visit(store, title="MV4", start_date="1 Mar 2018", focus_themes=[OVERSIGHT])
    return {"visit": visit, "R4": filed_elsewhere, "R7": second}


@pilot_test
async def test_the_pack_offers_findings_that_name_its_focus_and_plus_adds_the_ticked_ones(
    store: Store,
) -> None:
    data = _oversight_visit(store)
    screen = PackScreen(data["visit"].id)
    app = Harness(store, screen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        offer = _offer(screen)
        assert offer.startswith("2 more findings mention management ")
        assert ": R4, R7 · + reviews and adds them" in offer
        assert not any("R4 " in label for label in _labels(screen))

        # +: both offered, both ticked; the lead unticks R7 and adds R4 alone.
        await pilot.press("plus")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, MentionReview)
        status = str(review.query_one("#mentions-status").render())
        # Each offered finding: where it is filed and the words that name the focus.
        assert status == (
            "2 of 2 ticked to add.\n"
            "R4 is filed under IROs and CP chairs; its words name “management oversight”."
        )
        await pilot.press("down", "space")
        await settle(pilot)
        status = str(review.query_one("#mentions-status").render())
        assert status.startswith("1 of 2 ticked to add.\nR7 is filed under Assessment;")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        labels = _labels(screen)
        assert any("R4 Ensure that the oversight of practice" in label for label in labels)
        assert not any("R7 " in label for label in labels)
        said = str(screen.query_one("#pack-status").render())
        assert said == "Added 1 finding that mentions the focus (d drops one again)."
        # The cursor is on what came in, and R7 is still offered.
        assert "R4 " in str(screen.query_one(PackTree).cursor_node.label)
        assert _offer(screen).startswith("1 more finding mentions ")
        assert _offer(screen).endswith(": R7 · + reviews and adds it")

        # escape adds nothing.
        await pilot.press("plus")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert not any("R7 " in label for label in _labels(screen))

        # Taken: nothing more to offer, and the line goes.
        await pilot.press("plus")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert any("R7 Management decision making" in label for label in _labels(screen))
        assert _offer(screen) == ""
        await pilot.press("plus")
        await settle(pilot)
        assert app.screen is screen
        assert "No finding outside" in str(screen.query_one("#pack-status").render())
    in_pack = {
        pf.finding.ref
        for theme in api.build_pack(store, data["visit"].id).themes
        for pf in theme.findings
    }
    assert in_pack == {"R1", "R4", "R7"}


@pilot_test
async def test_a_finding_the_lead_dropped_is_not_offered_again(store: Store) -> None:
    data = _oversight_visit(store)
    api.set_finding_in_pack(store, data["visit"].id, data["R7"].id, False)
    screen = PackScreen(data["visit"].id)
    app = Harness(store, screen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert _offer(screen).endswith(": R4 · + reviews and adds it")


@pilot_test
async def test_the_cursor_goes_to_what_was_added_even_if_an_older_load_lands_after(
    store: Store,
) -> None:
    """In tmux, after + and enter the cursor sometimes stayed on the first line: a load
    begun before the write (as the review closed) landed after it and used up the "go to
    the added finding" mark. Only a load begun after the write may use it."""
    from tui.screens.mention_review import PackOffer

    data = _oversight_visit(store)
    screen = PackScreen(data["visit"].id)
    app = Harness(store, screen)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        stale = api.build_pack(store, data["visit"].id)  # built before the write
        begun = screen._loads  # the load that built it
        api.set_finding_in_pack(store, data["visit"].id, data["R4"].id, True)
        screen.post_message(PackOffer.Written("Added 1 finding.", ("finding", data["R4"].id)))
        screen.post_message(PackScreen.Loaded(stale, begun))  # lands after the write
        await settle(pilot)
        assert "R4 " in str(screen.query_one(PackTree).cursor_node.label)
