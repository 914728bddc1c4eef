"""A pane: an article's header (title, outlet, date) above its text."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget

from accord.index.model import Article

from .article_view import ArticleView
from .layout import printable


class PaneHeader(Widget):
    """The article's title and, below it, its outlet, place, date and position: one widget
    (as two Statics each cost the first frame a widget to mount). Untrusted text: never markup."""

    COMPONENT_CLASSES = {"pane-header--title", "pane-header--meta"}

    def __init__(self) -> None:
        super().__init__(classes="pane-header")
        self.title = ""
        self.meta = ""

    def set(self, title: str, meta: str) -> None:
        self.title, self.meta = title, meta
        self.refresh()

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        text.append(printable(self.title), self.get_component_rich_style("pane-header--title"))
        text.append("\n")
        text.append(printable(self.meta), self.get_component_rich_style("pane-header--meta"))
        return text


class ArticlePane(Vertical):
    """Shows one article; the app decides which."""

    def __init__(self, slot: int, article: Article | None = None, position: str = "") -> None:
        """`article`: one to show from the first frame on (`position` as `show` takes it)."""
        super().__init__(classes="article-pane")
        self.slot = slot
        self.article_id: str | None = article.id if article is not None else None
        self.request = 0  # the latest load asked of this pane; older answers are dropped
        self._first = (article, position) if article is not None else None

    def compose(self) -> ComposeResult:
        yield PaneHeader()
        yield ArticleView()

    def on_mount(self) -> None:
        if self._first is not None:
            article, position = self._first
            self._first = None
            self.show(article, position=position)

    @property
    def view(self) -> ArticleView:
        return self.query_one(ArticleView)

    @property
    def header(self) -> PaneHeader:
        return self.query_one(PaneHeader)

    def show(self, article: Article, sentence: int = 0, *, position: str = "") -> None:
        self.article_id = article.id
        meta = [article.source, article.date.isoformat() if article.date else "undated"]
        if article.place:
            meta.insert(1, article.place)
        if position:
            meta.append(position)
        self.header.set(article.title, " · ".join(meta))
        self.view.show(article, sentence)

    def show_message(self, message: str) -> None:
        self.article_id = None
        self.header.set("", "")
        self.view.show(None, placeholder=message)
