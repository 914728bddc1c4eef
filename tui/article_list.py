"""The article list sidebar: every article in view, to pick what a pane shows."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from accord.index.catalog import ArticleSummary

from .layout import printable


class ArticleList(OptionList):
    """Title, outlet and date of each article; Enter shows it in the focused pane."""

    def set_articles(self, summaries: list[ArticleSummary], shown: set[str]) -> None:
        highlighted = self.highlighted
        self.clear_options()
        self.add_options(Option(self._render(s, s.id in shown), id=s.id) for s in summaries)
        if summaries:
            self.highlighted = min(highlighted or 0, len(summaries) - 1)

    @staticmethod
    def _render(summary: ArticleSummary, shown: bool) -> Text:
        date = summary.date.isoformat() if summary.date else "undated"
        mark = "▌" if shown else " "
        title = Text(f"{mark}{printable(summary.title)}", style="bold" if shown else "")
        title.truncate(120, overflow="ellipsis")
        return Text.assemble(title, "\n  ", (f"{printable(summary.source)} · {date}", "dim"))
