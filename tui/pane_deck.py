"""The panes side by side: as many as the width allows, each showing one article.

The deck owns which article each pane shows (its slots), loads articles through
the desk in a worker, paints what the desk knows about them (claim support,
annotated passages, search hits) and aligns panes on a claim. Slots outlive
panes: a pane that a narrower layout removes gets its article back when it
returns.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message

from accord.index.claims import Member
from accord.index.desk import Desk
from accord.index.model import Article
from accord.index.support import conflict_spans

from .article_pane import ArticlePane
from .marks import Highlight, Mark, tag_tone

MIN_PANE_WIDTH = 45  # narrower than this, a news paragraph wraps every few words
MAX_PANES = 4
Spans = tuple[tuple[int, int], ...]


class PaneDeck(Horizontal):
    class ArticleShown(Message):
        """A pane has painted an article."""

        def __init__(self, pane: ArticlePane) -> None:
            super().__init__()
            self.pane = pane

    def __init__(self, desk: Desk, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.desk = desk
        self.ids: list[str] = []  # every article in view, in reading order
        self.slots: list[str | None] = []  # the article each pane shows (kept for removed panes too)
        self.query_text = ""  # the active search, highlighted in every article shown
        self.empty_message = "Loading…"
        self._last_slot = 0
        self._pending_align: dict[int, int] | None = None  # pane slot -> sentence, until the panes have loaded
        self._keep_focus = False  # an alignment leaves the focus where it is (in the claims panel)
        self._leaving: set[ArticlePane] = set()  # removed by a layout, still in the DOM a moment
        self._preloaded: dict[str, Article] = {}  # articles the first panes show as they mount

    def preload(self, ids: list[str], articles: dict[str, Article], width: int) -> None:
        """Before mounting: the articles in view and the first ones, loaded, so the
        deck mounts with its panes showing them (one frame, no worker). Without
        articles the deck lays its panes out once it has a size, as it would anyway."""
        if not articles:
            return
        self.ids = list(ids)
        count = self.pane_count(width)
        self.slots = [i if i in articles else None for i in (self.ids + [None] * count)[:count]]
        self._preloaded = articles

    def compose(self) -> ComposeResult:
        for slot, article_id in enumerate(self.slots):
            article = self._preloaded.get(article_id) if article_id else None
            yield ArticlePane(slot, article, self._position(article_id) if article else "")
        self._preloaded = {}

    def on_mount(self) -> None:
        preloaded = [pane for pane in self.query(ArticlePane) if pane.article_id is not None]
        if preloaded:
            self.call_after_refresh(self._refocus, 0)
        for pane in preloaded:
            self.post_message(self.ArticleShown(pane))

    # Layout ------------------------------------------------------------------------------------

    @property
    def panes(self) -> list[ArticlePane]:
        """The panes ready to show an article: not one just mounted (no header and view
        yet), nor one a narrower layout is removing."""
        return [pane for pane in self.query(ArticlePane) if pane.children and pane not in self._leaving]

    def pane_count(self, width: int | None = None) -> int:
        width = self.size.width if width is None else width
        return max(1, min(MAX_PANES, width // MIN_PANE_WIDTH, len(self.ids) or MAX_PANES))

    def on_resize(self) -> None:
        self.layout_panes()

    def layout_panes(self, width: int | None = None) -> None:
        """As many panes as the width allows (`width`: the deck's width after a layout
        under way, so no pane is laid out below its minimum first), each showing its
        slot's article; the focus moves only if its pane went away."""
        if not (width or self.size.width):
            return
        wanted = self.pane_count(width or None)
        self._leaving = {pane for pane in self._leaving if pane.is_attached}
        panes = [pane for pane in self.query(ArticlePane) if pane not in self._leaving]
        if len(panes) == wanted:
            return
        focused_slot = self.focused_slot()
        first_layout = not panes  # takes the focus
        lost_focus = self.has_focus_within and focused_slot >= wanted  # its pane goes away
        for pane in panes[wanted:]:
            self._leaving.add(pane)
            pane.remove()
        self.slots += [None] * max(0, wanted - len(self.slots))
        new = [ArticlePane(slot) for slot in range(len(panes), wanted)]
        if new:
            self.mount_all(new)
            for pane in new:
                self.call_after_refresh(self._show_new_pane, pane)
        self.call_after_refresh(self.fill_empty_slots)
        if first_layout or lost_focus:
            self.call_after_refresh(self._refocus, min(focused_slot, wanted - 1))

    def _refocus(self, slot: int) -> None:
        """Focus a pane, unless the focus went elsewhere meanwhile (a panel took it)."""
        focused = self.screen.focused
        if focused is None or focused is self or self in focused.ancestors:
            self.focus_slot(slot)

    def _show_new_pane(self, pane: ArticlePane) -> None:
        if pane.is_attached and pane.children and not pane.request:
            # else a later layout removed it, or its slot was filled (and the article
            # requested) while it mounted
            if self.slots[pane.slot]:
                self._show_slot(pane)
            else:
                self.fill_empty_slots()


    def _show_slot(self, pane: ArticlePane) -> None:
        article_id = self.slots[pane.slot]
        if article_id:
            self.load(pane, article_id)
        else:
            pane.show_message(self.empty_message)

    def add_articles(self, ids: Iterable[str]) -> None:
        known = set(self.ids)
        self.ids.extend(i for i in ids if i not in known)
        self.layout_panes()
        self.fill_empty_slots()

    def reset(self, message: str) -> None:
        """Other paths are being opened: forget what the panes showed."""
        self.ids, self.slots, self._pending_align = [], [None] * len(self.slots), None
        self.empty_message = message
        for pane in self.panes:
            pane.show_message(message)

    def fill_empty_slots(self) -> None:
        """Give every empty pane the next article not already on screen."""
        shown = {self.slots[p.slot] for p in self.panes} - {None}
        spare = (i for i in self.ids if i not in shown)
        for pane in self.panes:
            if self.slots[pane.slot] is None:
                article_id = next(spare, None)
                if article_id is None:
                    pane.show_message(self.empty_message)
                    continue
                self.slots[pane.slot] = article_id
                self.load(pane, article_id)

    def shown_ids(self) -> list[str]:
        return [i for i in (self.slots[p.slot] for p in self.panes) if i]

    # Focus -------------------------------------------------------------------------------------

    def focused_slot(self) -> int:
        focused = self.screen.focused if self.is_attached else None
        for pane in self.panes:
            if focused is not None and (focused is pane or pane in focused.ancestors):
                self._last_slot = pane.slot
                return pane.slot
        return self._last_slot

    def focus_slot(self, slot: int) -> None:
        panes = self.panes
        if panes:
            pane = panes[max(0, min(slot, len(panes) - 1))]
            self._last_slot = pane.slot
            # Now, not on the next refresh (as focus() would): a key typed right after `l`
            # is acted on with the focus as it is when the key reaches the bindings.
            self.screen.set_focus(pane.view)

    def focused_pane(self) -> ArticlePane | None:
        panes = self.panes
        return panes[min(self.focused_slot(), len(panes) - 1)] if panes else None

    def cursor_member(self) -> Member | None:
        """The focused pane's cursor sentence, as a claim member would name it."""
        pane = self.focused_pane()
        if pane is None or pane.view.article is None or pane.view.current_sentence is None:
            return None
        article, sentence = pane.view.article, pane.view.current_sentence
        return Member(article.id, sentence.index, sentence.start, sentence.end,
                      article.text[sentence.start : sentence.end], article.source)

    # Loading -----------------------------------------------------------------------------------

    def load(self, pane: ArticlePane, article_id: str, sentence: int = 0, center: bool = False) -> None:
        pane.request += 1
        self._fetch(pane, pane.request, article_id, sentence, center, self.query_text)

    @work(thread=True, group="load")
    def _fetch(self, pane: ArticlePane, request: int, article_id: str, sentence: int, center: bool, query: str) -> None:
        article = self.desk.find(article_id)
        if article is None:
            return
        spans = self.desk.match_spans(query, [article_id]).get(article_id, ())
        self.app.call_from_thread(self._place, pane, request, article, sentence, center, spans)

    def _place(self, pane: ArticlePane, request: int, article: Article, sentence: int, center: bool,
               spans: Spans) -> None:
        if request != pane.request or not pane.is_attached:
            return  # a newer request for this pane won
        pane.show(article, sentence, position=self._position(article.id))
        if center:
            pane.view.move_to(sentence, center=True)
        pane.view.set_hits(spans)
        self.mark(pane)
        self.highlight(pane)
        self._align_when_loaded()
        self.post_message(self.ArticleShown(pane))

    def _position(self, article_id: str) -> str:
        return f"{self.ids.index(article_id) + 1}/{len(self.ids)}" if article_id in self.ids else ""

    def reload(self, ids: Iterable[str]) -> None:
        """Articles re-indexed meanwhile: panes showing one show its new text."""
        changed = set(ids)
        for pane in self.panes:
            if pane.article_id in changed:
                self.load(pane, pane.article_id, pane.view.cursor)

    def show_article(self, article_id: str, sentence: int = 0, *, center: bool = False) -> ArticlePane | None:
        """Show an article (in its pane if on screen, else in the focused pane) and focus it."""
        panes = self.panes
        if not panes:
            return None
        pane = next((p for p in panes if self.slots[p.slot] == article_id), None)
        if pane is None:
            pane = self.focused_pane()
            assert pane is not None
            self.slots[pane.slot] = article_id
            self.load(pane, article_id, sentence, center)
        else:
            pane.view.move_to(sentence, center=center)
        self.focus_slot(pane.slot)
        return pane

    def page(self, direction: int) -> None:
        """Show the next (or previous) articles, as many as there are panes."""
        if not self.ids:
            return
        panes = self.panes
        count = len(panes)
        position = {article_id: n for n, article_id in enumerate(self.ids)}
        shown = [position[i] for i in self.shown_ids() if i in position]
        last_start = max(0, len(self.ids) - count)
        if direction > 0:
            start = max(shown) + 1 if shown else 0
            start = 0 if start >= len(self.ids) else min(start, last_start)  # wrap round at the end
        else:
            start = min(shown) - count if shown else 0
            start = last_start if shown and min(shown) == 0 else max(0, start)
        window = self.ids[start : start + count]
        for pane, article_id in zip(panes, window + [None] * (count - len(window))):
            self.slots[pane.slot] = article_id
            self._show_slot(pane)

    # What the desk knows, painted --------------------------------------------------------------

    def set_hits(self, spans: dict[str, Spans]) -> None:
        for pane in self.panes:
            pane.view.set_hits(spans.get(pane.article_id or "", ()))

    def mark_all(self) -> None:
        for pane in self.panes:
            self.mark(pane)

    def highlight_all(self) -> None:
        for pane in self.panes:
            self.highlight(pane)

    def mark(self, pane: ArticlePane) -> None:
        """Colour the pane's sentences by their support in the desk's current claims."""
        view = pane.view
        article, support = view.article, self.desk.support
        if article is None or support is None:
            view.set_marks({})
            return
        marks: dict[int, Mark] = {}
        spans: list[tuple[int, int]] = []
        for index, entry in support.of_article(article.id).items():
            if index >= len(article.sentences):
                continue
            marks[index] = Mark(entry.kind, entry.conflict)
            if entry.discrepancies:
                sentence = article.sentences[index]
                spans += conflict_spans(article.text[sentence.start : sentence.end], sentence.start, entry.discrepancies)
        view.set_marks(marks, tuple(spans))

    def highlight(self, pane: ArticlePane) -> None:
        """Mark the annotated passages the desk has placed in the pane's article."""
        article = pane.view.article
        if article is None:
            return
        pane.view.set_highlights(tuple(
            Highlight(p.start, p.end, bool(p.annotation.note.strip()), tag_tone(p.annotation.tags))
            for p in self.desk.placement.placed if p.annotation.article == article.id
        ))

    # Jumps across articles ---------------------------------------------------------------------

    def jump(self, target: str, direction: int) -> tuple[str, int, bool] | None:
        """The next (+1) or previous (-1) `target` sentence ("shared", "single", "conflict"):
        in the focused article, else in the following articles in reading order, wrapping
        round. Where it landed: (article, sentence, whether it wrapped round the reading
        order), or None if the corpus has none."""
        pane = self.focused_pane()
        support = self.desk.support
        if pane is None or support is None:
            return None
        view = pane.view
        if view.jump(target, direction, wrap=False) and view.article is not None:
            view.focus()
            return view.article.id, view.cursor, False
        current = view.article.id if view.article is not None else None
        order = self.ids
        start = order.index(current) if current in order else -1
        for step in range(1, len(order) + 1):
            article_id = order[(start + direction * step) % len(order)]
            found = sorted(i for i in support.of_article(article_id) if support.matches(article_id, i, target))
            if found:
                sentence = found[0] if direction > 0 else found[-1]
                wrapped = not 0 <= start + direction * step < len(order)
                if article_id == current:  # wrapped round to the same article
                    view.move_to(sentence, center=True)
                    view.focus()
                else:
                    self.show_article(article_id, sentence, center=True)
                return article_id, sentence, wrapped
        return None

    # Alignment on a claim ----------------------------------------------------------------------

    def align_on(self, members: list[Member], keep_focus: bool = False) -> None:
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
                self.load(pane, article_id, first_member[article_id])
        self._pending_align = targets
        self._keep_focus = keep_focus
        self._align_when_loaded()

    def _align_when_loaded(self) -> None:
        targets = self._pending_align
        if not targets:
            return
        panes = {p.slot: p for p in self.panes}
        if any(panes[s].view.article is None or panes[s].view.article.id != self.slots[s] for s in targets if s in panes):
            return  # called again from _place when the next article lands
        self._pending_align = None
        self.call_after_refresh(self._align, targets)

    def _align(self, targets: dict[int, int]) -> None:
        panes = {p.slot: p for p in self.panes}
        firsts = {}
        for slot, sentence in targets.items():
            if slot not in panes:
                continue
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
        if not self._keep_focus:
            self.focus_slot(min(firsts))
