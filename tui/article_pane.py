"""A pane: an article's header (title, outlet, date) above its text."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from accord.index.model import Article

from .article_view import ArticleView
from .layout import printable


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
        yield Static(classes="pane-title")
        yield Static(classes="pane-meta")
        yield ArticleView()

    def on_mount(self) -> None:
        if self._first is not None:
            article, position = self._first
            self._first = None
            self.show(article, position=position)

    @property
    def view(self) -> ArticleView:
        return self.query_one(ArticleView)

    def show(self, article: Article, sentence: int = 0, *, position: str = "") -> None:
        self.article_id = article.id
        self.query_one(".pane-title", Static).update(Text(printable(article.title), no_wrap=True, overflow="ellipsis"))
        meta = [article.source, article.date.isoformat() if article.date else "undated"]
        if article.place:
            meta.insert(1, article.place)
        if position:
            meta.append(position)
        self.query_one(".pane-meta", Static).update(Text(printable(" · ".join(meta)), no_wrap=True, overflow="ellipsis"))
        self.view.show(article, sentence)

    def show_message(self, message: str) -> None:
        self.article_id = None
        self.query_one(".pane-title", Static).update(Text(""))
        self.query_one(".pane-meta", Static).update(Text(""))
        self.view.show(None, placeholder=message)
