"""A newcomer who has read only the help screen finds their way (the keys they are told of).

Each test is one rough edge a council QA lead tripped on while driving the real app, kept
from coming back: the import screen has a key of its own, named in help.
"""

from __future__ import annotations

from pathlib import Path

from _tui_harness import (
    pilot_test,
    press,
    real_app,
    settle_app,
    started,
    type_into,
    type_keys,
)

from store import Store
from tui.app import VisitPrepApp
from tui.screens.help import HelpScreen

SIZE = (120, 36)


def _help_text(app: VisitPrepApp) -> str:
    screen = app.screen
    assert isinstance(screen, HelpScreen), screen
    return "\n".join(f"{line.keys} {line.description} {line.tooltip}" for line in screen.lines)


@pilot_test
async def test_i_opens_the_import_screen_from_anywhere_and_help_says_so(
    demo_store: Store, tmp_path: Path
) -> None:
    from tui.screens.importing import ImportScreen

    app = real_app(demo_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await press(pilot, "question_mark")
        assert "i Import Import reports, a plan, a scorecard or an evidence folder" in (
            _help_text(app)
        )
        await press(pilot, "escape", "2")  # from the findings list, too
        await press(pilot, "i")
        assert isinstance(app.screen, ImportScreen)
        depth = len(app.screen_stack)
        app.screen.set_focus(None)  # not typing in its path box: i must not stack another
        await press(pilot, "i")
        assert isinstance(app.screen, ImportScreen) and len(app.screen_stack) == depth
        await press(pilot, "escape")
        assert type(app.screen).__name__ == "ListScreen"


@pilot_test
async def test_saving_an_update_says_so_where_the_lead_lands(
    demo_store: Store, tmp_path: Path
) -> None:
    import store as api

    [action] = [a for a in api.list_actions(demo_store, limit=500) if a.ref == "3.1"]
    app = real_app(demo_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        app.open_record("action", action.id)
        await settle_app(pilot)
        await press(pilot, "u")
        await press(pilot, *"Tracker covers all teams", "tab", "tab", "a", "ctrl+s")
        assert type(app.screen).__name__ == "DetailScreen"
        said = [n.message for n in app._notifications]
        assert any(
            "3.1 Children in care statutory visits tracker: now Amber (at risk)" in m for m in said
        ), said


@pilot_test
async def test_help_on_the_pack_lists_its_own_keys_before_scrolling_plumbing(
    demo_store: Store, tmp_path: Path
) -> None:
    app = real_app(demo_store, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await press(pilot, "p")
        await press(pilot, "question_mark")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        here = [line for line in help_screen.lines if not line.everywhere and not line.builtin]
        moving = [line.description for line in help_screen.lines if line.builtin]
        # What a lead does in a pack comes first, each with a word on it: the whole pack's
        # keys (export, gaps) before the highlighted line's, which the line under it names.
        assert [line.keys for line in here][:6] == ["⏎", "space", "x", "g", "n", "l"]
        assert all(line.tooltip for line in here)
        assert "Scroll Home" in moving and "Focus Next" in moving
        assert "Scroll Left" not in moving  # its lines fit the width: nothing to scroll to
        # q is ours, in our words, not Textual's ctrl+q sentence.
        [quit_line] = [line for line in help_screen.lines if line.description == "Quit"]
        assert quit_line.tooltip == "Leave visitprep" and not quit_line.builtin


def _footer_keys(app: VisitPrepApp) -> list[str]:
    """The footer's keys a user can read: shown, and drawn whole left of the palette's."""
    from textual.widgets import Footer

    from tui.compat import FooterKey

    keys = list(app.screen.query_one(Footer).query_children(FooterKey))
    [palette] = [key for key in keys if key.has_class("-command-palette")]
    edge = palette.region.x
    return [k.key for k in keys if k is not palette and k.region.width and k.region.right <= edge]


@pilot_test
async def test_at_80_columns_every_screens_footer_still_says_how_to_get_help(
    demo_store: Store, tmp_path: Path
) -> None:
    app = real_app(demo_store, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        seen: dict[str, list[str]] = {"dashboard": _footer_keys(app)}
        for key, name in (("2", "findings"), ("3", "actions"), ("4", "evidence")):
            await press(pilot, key)
            seen[name] = _footer_keys(app)
        await press(pilot, "enter")
        seen["evidence item"] = _footer_keys(app)
        await press(pilot, "1", "p")
        seen["pack"] = _footer_keys(app)
        for name, keys in seen.items():
            if name != "pack":
                assert {"question_mark", "slash", "q"} <= set(keys), (name, keys)
        # The pack keeps help and its own keys, the ones a lead works the pack with (n l u a
        # d were dropped at 80 columns before): / and q give way there, and help lists them.
        assert {"question_mark", "x", "g", "n", "l", "u", "a", "d"} <= set(seen["pack"]), seen[
            "pack"
        ]
        # Where ? and / would be typed into a box, F1 is offered and / is not.
        await press(pilot, "1", "slash")
        assert "f1" in _footer_keys(app) and "slash" not in _footer_keys(app)
        await press(pilot, "escape", "i")
        assert type(app.screen).__name__ == "ImportScreen"
        assert "f1" in _footer_keys(app) and "slash" not in _footer_keys(app)


@pilot_test
async def test_search_hits_are_two_lines_each_at_80_columns_with_the_brag_kept(
    demo_store: Store, tmp_path: Path
) -> None:
    from textual.geometry import Region

    app = real_app(demo_store, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await press(pilot, "slash")
        await press(pilot, *"retrun home intervew")
        results = app.screen.query_one("#search-results")
        strips = results.render_lines(Region(0, 0, results.size.width, results.size.height))
        lines = [strip.text.rstrip() for strip in strips if strip.text.strip()]
        # Title lines start with the kind; the snippet under each, never a third line.
        kinds = [i for i, line in enumerate(lines) if line.strip().split(" ")[0] in (
            "Finding", "Action", "Evidence", "Source", "Measure")]  # fmt: skip
        assert kinds[:4] == [0, 2, 4, 6], lines
        assert lines[0].strip().startswith("Finding  R9  Return home interviews")
        assert "4.3" in lines[2] and "● Green" in lines[2]


@pilot_test
async def test_the_link_picker_shows_one_line_per_action_with_its_brag_at_80_columns(
    demo_store: Store, tmp_path: Path
) -> None:
    from textual.geometry import Region

    import store as api
    from tui.screens.link_picker import LinkPicker

    [finding] = [f for f in api.list_findings(demo_store, limit=500) if f.ref == "R12"]
    app = real_app(demo_store, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        app.push_screen(LinkPicker("finding", finding.id, "action"))
        await settle_app(pilot)
        options = app.screen.query_one("#link-list")
        strips = options.render_lines(Region(0, 0, options.size.width, options.size.height))
        lines = [strip.text.strip(" ▊▎▔▁▇▆▅▄▃▂█") for strip in strips]  # less its border
        lines = [line for line in lines if line]
        assert len(lines) >= 10
        # Every line is a whole candidate: a tick box, a ref, a BRAG (no line of BRAG alone).
        for line in lines:
            assert line.startswith(("✓ linked", "☐")), lines
            assert any(word in line for word in ("Blue", "Green", "Amber", "Red")), line


@pilot_test
async def test_a_dialog_shows_its_own_keys_not_those_of_the_screen_under_it(
    demo_store: Store, tmp_path: Path
) -> None:
    from textual.widgets import Footer

    app = real_app(demo_store, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await press(pilot, "p")
        await press(pilot, "x")  # the export prompt, over the pack
        prompt = app.screen
        assert type(prompt).__name__ == "ExportPrompt"
        # The footer drawn is the prompt's own: cancel, not the pack's tick/link/update.
        footer = prompt.query_one(Footer)
        keys = {b.binding.description for b in prompt.active_bindings.values() if b.binding.show}
        assert footer.screen is prompt and "Cancel" in keys and "Tick" not in keys


@pilot_test
async def test_the_palette_offers_the_keys_of_the_screen_it_was_opened_on(
    demo_store: Store, tmp_path: Path
) -> None:
    from textual.command import CommandList, CommandPalette

    from tui.screens.pack import PackScreen

    app = real_app(demo_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await press(pilot, "p")
        pack = app.screen
        assert isinstance(pack, PackScreen) and not pack.gaps_only
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"gaps")
        for _ in range(10):  # the palette batches results every quarter second
            await settle_app(pilot)
            await pilot.pause(0.1)
        options = app.screen.query_one(CommandList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert prompts[0].startswith("Gaps (g)"), prompts
        await press(pilot, "enter")
        assert app.screen is pack and pack.gaps_only  # it ran on the pack, as g would


@pilot_test
async def test_the_update_form_fits_80_by_24_with_its_buttons_whole(
    demo_store: Store, tmp_path: Path
) -> None:
    import store as api

    [action] = [a for a in api.list_actions(demo_store, limit=500) if a.ref == "3.1"]
    app = real_app(demo_store, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        app.open_record("action", action.id)
        await settle_app(pilot)
        await press(pilot, "u")
        dialog = app.screen.query_one("#update-dialog")
        save = app.screen.query_one("#update-save")
        # The whole Save button is inside the dialog, the dialog above the footer.
        assert save.region.bottom <= dialog.content_region.bottom
        assert dialog.region.bottom <= 23


@pilot_test
async def test_a_choice_is_marked_by_a_sign_not_by_colour_alone() -> None:
    from textual.app import App, ComposeResult

    from tui.widgets.toggles import MarkedCheckbox, MarkedRadioButton

    class Toggles(App[None]):
        def compose(self) -> ComposeResult:
            yield MarkedRadioButton("Ofsted reports", id="off")
            yield MarkedRadioButton("Plan", value=True, id="on")
            yield MarkedCheckbox("Replace", id="box")

    app = Toggles()
    async with app.run_test() as pilot:
        off = app.query_one("#off", MarkedRadioButton)
        on = app.query_one("#on", MarkedRadioButton)
        box = app.query_one("#box", MarkedCheckbox)
        assert off._button.plain == "▐ ▌" and on._button.plain == "▐●▌"
        assert box._button.plain == "▐ ▌"
        box.value = True
        await pilot.pause()
        assert box._button.plain == "▐✓▌"


@pilot_test
async def test_the_replace_question_shows_the_files_long_name_whole_at_80_columns(
    demo_store: Store, tmp_path: Path
) -> None:
    from textual.geometry import Region
    from textual.widgets import Static

    from tui.screens.confirm import ConfirmScreen
    from tui.screens.export_prompt import ExportPrompt

    # The name the pack's Word export is given: run on in a sentence it folded mid-word,
    # 'checklist.doc' at a line's end and 'x is already in' under it.
    name = "monitoring-visit-3-children-in-care-and-care-leavers-checklist.docx"
    (tmp_path / name).write_bytes(b"last week's")
    app = real_app(demo_store, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await press(pilot, "p")
        await press(pilot, "x")
        assert isinstance(app.screen, ExportPrompt)
        await type_into(pilot, "#prompt-value", str(tmp_path / name))
        await press(pilot, "enter")
        question = app.screen
        assert isinstance(question, ConfirmScreen)
        message = question.query_one("#confirm-message", Static)
        strips = message.render_lines(Region(0, 0, message.size.width, message.size.height))
        lines = ["".join(segment.text for segment in strip).strip() for strip in strips]
        assert name in lines, lines
        await press(pilot, "n")
    assert (tmp_path / name).read_bytes() == b"last week's"


@pilot_test
async def test_a_finding_added_while_only_gaps_show_is_named_and_where_it_went_said(
    demo_store: Store, tmp_path: Path
) -> None:
    import store as api
    from tui.screens.pack import PackScreen

    app = real_app(demo_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await press(pilot, "p", "g")  # only the gaps: a finding with none is not shown
        screen = app.screen
        assert isinstance(screen, PackScreen) and screen.gaps_only
        await press(pilot, "a")
        await type_keys(pilot, "CommandInput", "virtul scool")  # Para 58 Virtual school
        await settle_app(pilot)
        await press(pilot, "enter")
        assert app.screen is screen
        pack = api.build_pack(demo_store, screen.visit_id)
        added = {pf.finding.ref for theme in pack.themes for pf in theme.findings}
        assert "Para 58" in added
        # 'Finding added.' alone, with nothing new in sight, left the lead looking for it.
        assert str(screen.query_one("#pack-status").render()) == (
            "Para 58 Virtual school: in the pack, with no gaps, so not in this view (g shows all)."
        )
        await press(pilot, "g")
        cursor_labels = [str(n.label) for n in screen._tree_nodes.values()]
        assert any("Para 58 Virtual school" in label for label in cursor_labels)


@pilot_test
async def test_the_history_says_personal_data_yes_or_no_as_the_record_does(
    demo_store: Store, tmp_path: Path
) -> None:
    import os

    from rich.console import Console

    import store as api
    from tui.screens.history import HistoryScreen

    item = api.create_evidence(demo_store, title="Case file audit", personal_data=True)
    api.update_evidence(demo_store, item.id, personal_data=False)
    app = real_app(demo_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        app.open_record("evidence", item.id)
        await settle_app(pilot)
        await press(pilot, "h")
        history = app.screen
        assert isinstance(history, HistoryScreen)
        console = Console(width=120, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
        console.print(history.query_one("#history-entries").content)
        shown = console.export_text()
    # Python's True and False, shown raw, were not the page's words.
    assert "personal data: — → yes" in shown, shown
    assert "personal data: yes → no" in shown, shown
    assert "True" not in shown and "False" not in shown


@pilot_test
async def test_help_on_a_record_lists_its_own_keys_before_moving_between_rows(
    demo_store: Store, tmp_path: Path
) -> None:
    import store as api

    [action] = [a for a in api.list_actions(demo_store, limit=500) if a.ref == "3.1"]
    app = real_app(demo_store, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        app.open_record("action", action.id)
        await settle_app(pilot)
        await press(pilot, "question_mark")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        here = [line.description for line in help_screen.lines if not line.builtin]
        moving = [line.description for line in help_screen.lines if line.builtin]
    # At 80 by 24 the first screenful of help was Up, Down, First, Last, Page up, Page
    # down: the record's own keys (edit, history, delete) were below the fold.
    assert here[:1] == ["Open"], here
    assert {"Edit", "History", "Delete"} <= set(here[:10]), here
    assert {"Up", "Down", "First", "Last", "Page up", "Page down"} <= set(moving), moving
