"""The reader's shared-claims features, as a mixin of the app: finding claims in a
worker, colouring the panes, the claims panel and its alignment, jump keys, the
grid, "what others say", the threshold keys and the analyst's link decisions.

The engine does the work (`accord.index.claims`, `support`, `store`); this
module only schedules it off the UI thread and shows the result.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from textual import work
from textual.binding import Binding
from textual.message import Message

from accord.index.claim_query import has_filters
from accord.index.claims import DEFAULT_THRESHOLD, ClaimReport, Member, find_claims
from accord.index.decisions import SentenceRef, Verdict
from accord.index.errors import AccordError
from accord.index.store import Store
from accord.index.support import SupportMap, conflict_spans

from .article_view import Mark
from .claim_screens import ClaimGridScreen, OthersScreen
from .claims_panel import ClaimsPanel

if TYPE_CHECKING:
    from .app import AccordApp
    from .article_pane import ArticlePane

THRESHOLD_STEP = 0.05
_STORE_OPENING = threading.Lock()

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
    Binding("u", "undo", "Undo the last decision or annotation change", id="undo", show=False),
    Binding("plus", "threshold(1)", "Stricter claims (threshold up)", id="threshold_up", show=False),
    Binding("minus", "threshold(-1)", "Looser claims (threshold down)", id="threshold_down", show=False),
]

_JUMP_NAMES = {"shared": "shared", "single": "single-source", "conflict": "conflicting"}


class ClaimsReady(Message):
    def __init__(self, report: ClaimReport, support: SupportMap, run: int) -> None:
        super().__init__()
        self.report, self.support, self.run = report, support, run


class ClaimsFailed(Message):
    def __init__(self, error: str, run: int) -> None:
        super().__init__()
        self.error, self.run = error, run


class DecisionsSaved(Message):
    def __init__(self, ids: list[int], verdict: str, undone: bool = False) -> None:
        super().__init__()
        self.ids, self.verdict, self.undone = ids, verdict, undone


class ClaimsMixin:
    """Mixed into AccordApp; see the module docstring."""

    claim_report: ClaimReport | None = None
    support: SupportMap | None = None
    _claims_run = 0
    _store: Store | None = None
    _link_from: tuple[SentenceRef, str] | None = None
    _undo_stack: list  # decision ids (list[int]) or an annotations_flow.AnnotationUndo, newest last
    _pending_align: dict[int, int] | None = None  # pane slot -> sentence, until the panes have loaded

    def _init_claims(self: "AccordApp") -> None:
        self.claim_threshold = self.config.claim_threshold or DEFAULT_THRESHOLD
        self.min_sources = self.config.min_sources
        self._undo_stack = []

    def _reset_claims(self: "AccordApp") -> None:
        """Other articles were opened: the old report no longer applies."""
        self._claims_run += 1
        self.claim_report, self.support, self._pending_align, self._link_from = None, None, None, None
        self.query_one("#legend").set_class(False, "-shown")
        self.claims_status = ""
        for pane in self.panes:
            pane.view.set_marks({})
        if self.claims_panel.display:
            self.claims_panel.show_report(None, [])

    # Finding claims (worker) -----------------------------------------------------------

    def _compute_claims(self: "AccordApp") -> None:
        self._claims_run += 1
        self._set_claims_status("finding shared claims…")
        self._find_claims(list(self.ids), self.claim_threshold, self.min_sources, self._claims_run)

    def _open_store(self: "AccordApp") -> Store:
        """The workspace store, opened on first use (from a worker: it touches the disk;
        the claims and decisions workers may both ask at once)."""
        with _STORE_OPENING:
            if self._store is None:
                self._store = Store(self.workspace.annotations_path)
            return self._store

    @work(thread=True, exclusive=True, group="claims")
    def _find_claims(self: "AccordApp", ids: list[str], threshold: float, min_sources: int, run: int) -> None:
        library = self.library
        if library is None:
            return
        try:
            decisions = self._open_store().decisions()
            with self._library_lock:
                # an article removed by a sync meanwhile is left out
                articles = [a for a in map(library.find, ids) if a is not None]
            report = find_claims(articles, threshold=threshold, min_sources=min_sources, decisions=decisions)
        except AccordError as error:
            self.post_message(ClaimsFailed(str(error), run))
            return
        self.post_message(ClaimsReady(report, SupportMap(report), run))  # the map is built here, off the UI thread

    def on_claims_ready(self: "AccordApp", message: ClaimsReady) -> None:
        if message.run != self._claims_run:
            return  # a newer run (threshold change, decision) is on its way
        self.claim_report, self.support = message.report, message.support
        for pane in self.panes:
            self._mark_pane(pane)
        if self.claims_panel.display:
            self.claims_panel.show_report(self.claim_report, self.outlets())
        self.query_one("#legend").set_class(True, "-shown")
        self._set_claims_status()
        if has_filters(self.query_text):
            self._start_search(self.query_text)  # the filters' answer changed

    def on_claims_failed(self: "AccordApp", message: ClaimsFailed) -> None:
        if message.run == self._claims_run:
            self.notify(message.error, title="Shared claims", severity="error", markup=False, timeout=15)
            self._set_claims_status("")

    def _set_claims_status(self: "AccordApp", busy: str | None = None) -> None:
        report = self.claim_report
        if busy is not None:
            self.claims_status = busy
        elif report is not None:
            stale = f", {len(report.stale_decisions)} stale decisions" if report.stale_decisions else ""
            self.claims_status = (
                f"{len(report.claims)} claims, {len(report.single_source)} single-source, "
                f"{len(report.discrepancies)} conflicts (threshold {self.claim_threshold:.2f}{stale})"
            )
        self._set_status()

    def outlets(self: "AccordApp") -> list[str]:
        """Every outlet in view, in reading order (the grid's columns)."""
        return list(dict.fromkeys(self.summaries[i].source for i in self.ids if i in self.summaries))

    # Pane colours ------------------------------------------------------------------------

    def _mark_pane(self: "AccordApp", pane: "ArticlePane") -> None:
        view = pane.view
        article = view.article
        if article is None or self.support is None:
            view.set_marks({})
            return
        marks: dict[int, Mark] = {}
        spans: list[tuple[int, int]] = []
        for index, entry in self.support.of_article(article.id).items():
            if index >= len(article.sentences):
                continue
            marks[index] = Mark(entry.kind, entry.conflict)
            if entry.discrepancies:
                sentence = article.sentences[index]
                spans += conflict_spans(article.text[sentence.start : sentence.end], sentence.start, entry.discrepancies)
        view.set_marks(marks, tuple(spans))

    # Claims panel and alignment ------------------------------------------------------------

    @property
    def claims_panel(self: "AccordApp") -> ClaimsPanel:
        return self.query_one(ClaimsPanel)

    def action_toggle_claims(self: "AccordApp") -> None:
        panel = self.claims_panel
        panel.display = not panel.display
        if panel.display:
            panel.show_report(self.claim_report, self.outlets())
            self.call_after_refresh(self._layout_panes, False)
            self.call_after_refresh(panel.options.focus)  # focusable once it is displayed
        else:
            self._focus_slot(self.focused_slot())
            self.call_after_refresh(self._layout_panes)

    def on_claims_panel_closed(self: "AccordApp") -> None:
        self.action_toggle_claims()

    def on_claims_panel_chosen(self: "AccordApp", message: ClaimsPanel.Chosen) -> None:
        self.align_on(message.members)

    def align_on(self: "AccordApp", members: list[Member]) -> None:
        """Show the members' articles in the panes (keeping those already shown) and
        scroll each so its member sentence sits at the same height."""
        first_member: dict[str, int] = {}
        for member in members:
            first_member.setdefault(member.article, member.sentence)
        order = [a for a in self.ids if a in first_member]
        panes = self.panes
        targets: dict[int, int] = {}
        for pane in panes:
            if self.slots[pane.slot] in first_member:
                targets[pane.slot] = first_member[self.slots[pane.slot]]
        waiting = [a for a in order if a not in {self.slots[s] for s in targets}]
        for pane in panes:
            if not waiting:
                break
            if pane.slot not in targets:
                article_id = waiting.pop(0)
                self.slots[pane.slot] = article_id
                targets[pane.slot] = first_member[article_id]
                self._load(pane, article_id, first_member[article_id])
        self._pending_align = targets
        self._align_when_loaded()

    def _align_when_loaded(self: "AccordApp") -> None:
        targets = self._pending_align
        if not targets:
            return
        panes = {p.slot: p for p in self.panes}
        if any(panes[s].view.article is None or panes[s].view.article.id != self.slots[s] for s in targets if s in panes):
            return  # called again from _place when the next article lands
        self._pending_align = None
        self.call_after_refresh(self._align, targets)

    def _align(self: "AccordApp", targets: dict[int, int]) -> None:
        panes = {p.slot: p for p in self.panes}
        firsts = {}
        for slot, sentence in targets.items():
            view = panes[slot].view
            if view.article is not None and view.article.sentences:
                index = min(sentence, len(view.article.sentences) - 1)
                firsts[slot] = (index, view.sentence_lines(view.article.sentences[index])[0])
        if not firsts:
            return
        height = min(panes[s].view.scrollable_content_region.height for s in firsts)
        row = max(0, min(height // 3, *(line for _, line in firsts.values())))
        for slot, (index, _) in firsts.items():
            panes[slot].view.align_to(index, row)
        if not self.claims_panel.display or not self.claims_panel.has_focus_within:
            self._focus_slot(min(firsts))

    # Jumps, "what others say", the grid ---------------------------------------------------

    def _focused_pane(self: "AccordApp") -> "ArticlePane | None":
        panes = self.panes
        return panes[min(self.focused_slot(), len(panes) - 1)] if panes else None

    def _claims_or_explain(self: "AccordApp") -> bool:
        if self.claim_report is None:
            self.notify("Shared claims are still being found…", markup=False)
            return False
        return True

    def action_jump(self: "AccordApp", target: str, direction: int) -> None:
        pane = self._focused_pane()
        if pane is None or not self._claims_or_explain():
            return
        if not pane.view.jump(target, direction):
            self.bell()
            self.notify(f"No {_JUMP_NAMES[target]} sentence in this article", markup=False, timeout=3)
        else:
            pane.view.focus()

    def _cursor_member(self: "AccordApp") -> Member | None:
        pane = self._focused_pane()
        if pane is None or pane.view.article is None or pane.view.current_sentence is None:
            return None
        article, sentence = pane.view.article, pane.view.current_sentence
        return Member(article.id, sentence.index, sentence.start, sentence.end,
                      article.text[sentence.start : sentence.end], article.source)

    def action_others_say(self: "AccordApp") -> None:
        member = self._cursor_member()
        if member is None or not self._claims_or_explain():
            return
        assert self.claim_report is not None and self.support is not None
        support = self.support.get(member.article, member.sentence)
        self.push_screen(OthersScreen(member, support, self.claim_report, self.outlets()), self._jump_to_member)

    def action_claim_grid(self: "AccordApp") -> None:
        if not self._claims_or_explain():
            return
        assert self.claim_report is not None
        self.push_screen(ClaimGridScreen(self.claim_report, self.outlets()), self._jump_to_member)

    def _jump_to_member(self: "AccordApp", member: Member | None) -> None:
        if member is not None:
            self.show_article(member.article, member.sentence, center=True)

    # The analyst's decisions ---------------------------------------------------------------

    def action_decide(self: "AccordApp", verdict: Verdict) -> None:
        pane = self._focused_pane()
        member = self._cursor_member()
        if pane is None or member is None or not self._claims_or_explain():
            return
        assert self.support is not None and pane.view.article is not None
        entry = self.support.get(member.article, member.sentence)
        if entry is None or entry.claim is None:
            self.notify("This sentence is in no claim; L links it to another sentence by hand", markup=False)
            return
        here = SentenceRef.of(pane.view.article, member.sentence)
        others = [m for m in entry.claim.members if m.article != member.article]
        pairs = [(here, SentenceRef(m.article, m.start, m.text)) for m in others]
        self._save_decisions(pairs, verdict)

    def action_link(self: "AccordApp") -> None:
        pane = self._focused_pane()
        if pane is None or pane.view.article is None or pane.view.current_sentence is None:
            return
        here = SentenceRef.of(pane.view.article, pane.view.cursor)
        if self._link_from is None:
            self._link_from = (here, pane.view.article.source)
            self.notify("Linking: put the cursor on the other outlet's sentence and press L again "
                        "(L on this sentence cancels)", markup=False, timeout=8)
            return
        start, _ = self._link_from
        self._link_from = None
        if start == here:
            self.notify("Linking cancelled", markup=False, timeout=3)
        elif start.article == here.article:
            self.notify("Link sentences of two different articles", severity="warning", markup=False)
        else:
            self._save_decisions([(start, here)], "link")

    def action_undo(self: "AccordApp") -> None:
        if not self._undo_stack:
            self.bell()
            self.notify("Nothing to undo", markup=False, timeout=3)
            return
        step = self._undo_stack.pop()
        if isinstance(step, list):
            self._forget_decisions(step)
        else:
            self._undo_annotation(step)

    @work(thread=True, group="decisions")
    def _save_decisions(self: "AccordApp", pairs: list[tuple[SentenceRef, SentenceRef]], verdict: Verdict) -> None:
        try:
            store = self._open_store()
            saved = [store.decide(a, b, verdict).id for a, b in pairs]
        except AccordError as error:
            self.call_from_thread(self.notify, str(error), title="Not saved", severity="error", markup=False)
            return
        self.post_message(DecisionsSaved(saved, verdict))

    @work(thread=True, group="decisions")
    def _forget_decisions(self: "AccordApp", ids: list[int]) -> None:
        try:
            store = self._open_store()
            for decision_id in ids:
                store.undo_decision(decision_id)
        except AccordError as error:
            self.call_from_thread(self.notify, str(error), title="Not undone", severity="error", markup=False)
            return
        self.post_message(DecisionsSaved(ids, "", undone=True))

    def on_decisions_saved(self: "AccordApp", message: DecisionsSaved) -> None:
        if message.undone:
            self.notify("Decision undone", markup=False, timeout=3)
        else:
            self._undo_stack.append(message.ids)
            done = {"confirm": "Confirmed", "reject": "Taken out of its claim", "link": "Linked"}[message.verdict]
            self.notify(f"{done} and saved (u undoes)", markup=False, timeout=4)
        self._compute_claims()

    def action_threshold(self: "AccordApp", direction: int) -> None:
        value = round(self.claim_threshold + direction * THRESHOLD_STEP, 2)
        if not THRESHOLD_STEP <= value <= 1:
            self.bell()
            return
        self.claim_threshold = value
        self.notify(f"Claim threshold {value:.2f} for this session ([claims] threshold in the config keeps it)",
                    markup=False, timeout=4)
        if self.library is not None:
            self._compute_claims()
