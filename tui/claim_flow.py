"""The reader's shared claims: finding them in a worker, showing them in the panes
and the claims panel, the grid and "what others say", and the analyst's decisions.

The desk does the work (claims with decisions applied, saving decisions, and
knowing when its report is stale: after a decision, its undo, a changed article or
a new threshold); this class only schedules it off the UI thread and shows the
result in the screen's widgets, which it finds by type: it never imports the screen.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.binding import Binding
from textual.screen import Screen

from accord.index.claims import ClaimReport, Member
from accord.index.decisions import SentenceRef, Verdict
from accord.index.desk import Desk
from accord.index.errors import AccordError
from accord.index.short_text import counted
from accord.index.support import SupportMap

from . import runtime_tuning
from .claims_panel import ClaimsPanel
from .keys import key
from .pane_deck import PaneDeck
from .search_panel import SearchPanel
from .status_line import Part, StatusLine

THRESHOLD_STEP = 0.05

CLAIM_BINDINGS = [
    Binding("c", "toggle_claims", "Claims", id="toggle_claims"),
    Binding("m", "claim_grid", "Claim grid", id="claim_grid"),
    Binding("w", "others_say", "What others say", id="others_say"),
    Binding("s", "jump('shared', 1)", "Next shared sentence", id="next_shared", show=False),
    Binding("S", "jump('shared', -1)", "Previous shared sentence", id="previous_shared", show=False),
    Binding("i", "jump('single', 1)", "Next single-source sentence", id="next_single", show=False),
    Binding("I", "jump('single', -1)", "Previous single-source sentence", id="previous_single", show=False),
    Binding("d", "jump('conflict', 1)", "Next conflicting sentence", id="next_conflict", show=False),
    Binding("D", "jump('conflict', -1)", "Previous conflicting sentence", id="previous_conflict", show=False),
    Binding("y", "decide('confirm')", "Confirm this sentence's claim", id="confirm_claim", show=False),
    Binding("x", "decide('reject')", "Take this sentence out of its claim", id="reject_claim", show=False),
    Binding("L", "link", "Link two sentences by hand", id="link_sentences", show=False),
    Binding("plus", "threshold(1)", "Stricter claims (threshold up)", id="threshold_up", show=False),
    Binding("minus", "threshold(-1)", "Looser claims (threshold down)", id="threshold_down", show=False),
]

_JUMP_NAMES = {"shared": "shared", "single": "single-source", "conflict": "conflicting"}
_DONE = {"confirm": "Confirmed", "reject": "Taken out of its claim", "link": "Linked"}


class ClaimFlow:
    def __init__(self, screen: Screen, desk: Desk, outlets: Callable[[], list[str]]) -> None:
        self.screen = screen
        self.desk = desk
        self.outlets = outlets  # every outlet in view, in reading order (the grid's columns)
        self.run = 0  # counts claim runs: only the latest one's answer is shown
        self.ready = False
        self.shown_report: ClaimReport | None = None  # what the panes show (the desk may hold a newer one)
        self.shown_support: SupportMap | None = None
        self._link_from: SentenceRef | None = None

    @property
    def deck(self) -> PaneDeck:
        return self.screen.query_one(PaneDeck)

    @property
    def panel(self) -> ClaimsPanel:
        return self.screen.query_one(ClaimsPanel)

    def _status(self, text: str) -> None:
        self.screen.query_one(StatusLine).claims = text

    def _notify(self, message: str, **options) -> None:
        self.screen.app.notify(message, markup=False, **options)

    # Finding claims ------------------------------------------------------------------------

    def find(self) -> None:
        """Show the desk's current claims of the articles in view, found again in a worker
        when the desk's report is not current for them (`Desk.current_claims`)."""
        self.run += 1
        self._status("finding shared claims…")
        self.screen.run_worker(partial(self._find, list(self.deck.ids), self.run),
                               thread=True, exclusive=True, group="claims")

    def _find(self, ids: list[str], run: int) -> None:
        def progress(done: int, total: int) -> None:
            self.screen.app.call_from_thread(self._found, run, (done, total))

        try:
            self.desk.current_claims(ids, progress=progress)
        except AccordError as error:
            self.screen.app.call_from_thread(self._failed, str(error), run)
            return
        self.screen.app.call_from_thread(self._found, run)

    def _found(self, run: int, stories: tuple[int, int] | None = None) -> None:
        """Show the desk's current claims: all of them, or (with `stories`, done and
        total) those of the stories finished so far, while the rest are found."""
        if run != self.run or not self.screen.is_attached or self.desk.report is None:
            return  # a newer run (threshold change, decision) is on its way
        if stories is not None:
            done, total = stories
            if self.desk.report is self.shown_report or done == total:
                return  # no new partial answer (or the final one is about to land)
            self._status(f"finding shared claims… {done}/{total} stories")
        self.ready = True
        self.shown_report, self.shown_support = self.desk.report, self.desk.support
        self.deck.mark_all()
        if self.panel.display:
            self.panel.show_report(self.desk.report, self.outlets())
        self.screen.query_one("#legend").set_class(True, "-shown")
        if stories is None:
            self._show_summary()
        self.screen.query_one(SearchPanel).refresh_answer()  # the filters' answer changed
        runtime_tuning.settle_heap()

    def _failed(self, error: str, run: int) -> None:
        if run == self.run:
            self._notify(error, title="Shared claims", severity="error", timeout=15)
            self._status("")

    def _show_summary(self) -> None:
        report = self.desk.report
        if report is None:
            return
        stale = f", {len(report.stale_decisions)} stale decisions" if report.stale_decisions else ""
        claims, conflicts = counted(len(report.claims), 'claim'), counted(len(report.discrepancies), 'conflict')
        counts = f"{claims}, {len(report.single_source)} single-source, {conflicts}"
        self._status(Part(f"{counts} (threshold {self.desk.threshold:.2f}{stale})", counts,
                          f"{claims}, {conflicts}", claims))

    def reset(self) -> None:
        """Other articles were opened: the old report no longer applies."""
        self.run += 1
        self.ready, self._link_from = False, None
        self.shown_report = self.shown_support = None
        self.desk.forget_claims()
        self.screen.query_one("#legend").set_class(False, "-shown")
        self._status("")
        self.deck.mark_all()
        if self.panel.display:
            self.panel.show_report(None, [])

    def _ready_or_explain(self) -> bool:
        if not self.ready:
            self._notify("Shared claims are still being found…")
        return self.ready

    # The panel, the grid, what others say ------------------------------------------------------

    def panel_shown(self, shown: bool) -> None:
        """The screen showed (or hid) the claims panel: fill it and give it the focus."""
        panel = self.panel
        if shown:
            panel.show_report(self.desk.report if self.ready else None, self.outlets())
            self.screen.call_after_refresh(panel.options.focus)  # focusable once it is displayed
        else:
            self.deck.focus_slot(self.deck.focused_slot())

    def align_on(self, members: list[Member]) -> None:
        self.deck.align_on(members, keep_focus=self.panel.display and self.panel.has_focus_within)

    def jump(self, target: str, direction: int) -> None:
        if not self._ready_or_explain():
            return
        landed = self.deck.jump(target, direction)
        if landed is None:
            self.screen.app.bell()
            self._notify(f"No {_JUMP_NAMES[target]} sentence in these articles", timeout=3)
            return
        article, sentence, wrapped = landed
        ids = self.deck.ids
        where = f"article {ids.index(article) + 1}/{len(ids)}" if article in ids else "another article"
        self.screen.query_one(StatusLine).message = Part(
            f"{_JUMP_NAMES[target]} sentence {sentence + 1} of {where}{', wrapped round' if wrapped else ''}",
            f"{_JUMP_NAMES[target]}: {where}{', wrapped' if wrapped else ''}")

    def others_say(self) -> None:
        member = self.deck.cursor_member()
        if member is None or not self._ready_or_explain():
            return
        report, support = self.desk.report, self.desk.support
        assert report is not None and support is not None
        entry = support.get(member.article, member.sentence)
        from .claim_screens import OthersScreen  # dialogs are imported when first opened

        self.screen.app.push_screen(OthersScreen(member, entry, report, self.outlets()), self._show_member)

    def grid(self) -> None:
        if not self._ready_or_explain():
            return
        assert self.desk.report is not None
        from .claim_screens import ClaimGridScreen

        self.screen.app.push_screen(ClaimGridScreen(self.desk.report, self.outlets()), self._show_member)

    def _show_member(self, member: Member | None) -> None:
        if member is not None:
            self.deck.show_article(member.article, member.sentence, center=True)

    # The analyst's decisions ---------------------------------------------------------------

    def decide(self, verdict: Verdict) -> None:
        pane = self.deck.focused_pane()
        member = self.deck.cursor_member()
        if pane is None or pane.view.article is None or member is None or not self._ready_or_explain():
            return
        assert self.desk.support is not None
        entry = self.desk.support.get(member.article, member.sentence)
        if entry is None or not entry.claims:
            self._notify(f"This sentence is in no claim; {key(self.screen.app, 'link_sentences')} links it to "
                         "another sentence by hand")
            return
        here = SentenceRef.of(pane.view.article, member.sentence)
        # A sentence stating two facts is in two claims: the verdict is on both.
        others = list(dict.fromkeys(m for claim in entry.claims for m in claim.members if m.article != member.article))
        self._save([(here, SentenceRef(m.article, m.start, m.text)) for m in others], verdict)

    def link(self) -> None:
        pane = self.deck.focused_pane()
        if pane is None or pane.view.article is None or pane.view.current_sentence is None:
            return
        here = SentenceRef.of(pane.view.article, pane.view.cursor)
        if self._link_from is None:
            self._link_from = here
            link = key(self.screen.app, "link_sentences")
            self._notify(f"Linking: put the cursor on the other outlet's sentence and press {link} again "
                         f"({link} on this sentence cancels)", timeout=8)
            return
        start, self._link_from = self._link_from, None
        if start == here:
            self._notify("Linking cancelled", timeout=3)
        elif start.article == here.article:
            self._notify("Link sentences of two different articles", severity="warning")
        else:
            self._save([(start, here)], "link")

    def _save(self, pairs: list[tuple[SentenceRef, SentenceRef]], verdict: Verdict) -> None:
        undo = key(self.screen.app, "undo")
        def save() -> None:
            try:
                self.desk.decide(pairs, verdict)
            except AccordError as error:
                self.screen.app.call_from_thread(self._notify, str(error), title="Not saved", severity="error")
                return
            self.screen.app.call_from_thread(self._saved, f"{_DONE[verdict]} and saved ({undo} undoes)")

        self.screen.run_worker(save, thread=True, group="decisions")

    def _saved(self, said: str) -> None:
        self._notify(said, timeout=4)
        self.find()  # the decision made the desk's report stale: it is found again

    def threshold(self, direction: int) -> None:
        value = round(self.desk.threshold + direction * THRESHOLD_STEP, 2)
        if not THRESHOLD_STEP <= value <= 1:
            self.screen.app.bell()
            return
        self.desk.threshold = value
        self._notify(f"Claim threshold {value:.2f} for this session ([claims] threshold in the config keeps it)",
                     timeout=4)
        if self.deck.ids:
            self.find()
