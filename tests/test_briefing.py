"""The Markdown briefing: CommonMark plus footnotes that renders cleanly on GitHub and
in Obsidian. Every test parses the output with markdown-it-py and checks its structure;
text from articles and notes must stay inert, whatever Markdown or HTML it contains."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from accord.index.anchoring import Anchor
from accord.index.annotations import Annotation, Orphan, Placed, locate
from accord.index.briefing import build_briefing, render_html
from accord.index.claims import find_claims
from accord.index.model import Article, Paragraph, Sentence

PARSER = MarkdownIt("commonmark").use(footnote_plugin)
# GitHub's extensions on top, to check a hostile quote cannot become a table or a strikethrough
GFM = MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(footnote_plugin)
TODAY = dt.date(2024, 1, 2)
INERT = {"text", "softbreak", "hardbreak", "text_special"}  # inline tokens that are only text


# Reading the document back -----------------------------------------------------------------


@dataclass
class Block:
    kind: str  # "quote", "paragraph" or "list"
    text: str  # plain text as rendered (hard and soft breaks as "\n", paragraphs joined by "\n\n")
    section: str  # the h2 above it ("" before the first)
    refs: list[int] = field(default_factory=list)  # footnote ids it cites
    inline_types: set[str] = field(default_factory=set)
    items: list[str] = field(default_factory=list)  # a list's items


@dataclass
class Doc:
    tokens: list
    h1: list[str]
    h2: list[str]
    blocks: list[Block]
    footnotes: dict[int, str]

    def quotes(self, section: str | None = None) -> list[Block]:
        return [b for b in self.blocks if b.kind == "quote" and (section is None or b.section == section)]

    def after(self, quote: Block) -> list[Block]:
        """The blocks between a quote and the next quote or heading."""
        at = self.blocks.index(quote) + 1
        out = []
        while at < len(self.blocks) and self.blocks[at].kind != "quote" and self.blocks[at].section == quote.section:
            out.append(self.blocks[at])
            at += 1
        return out

    def types(self) -> Counter:
        found = Counter()
        for token in self.tokens:
            found[token.type] += 1
            for child in token.children or []:
                found[child.type] += 1
        return found


def plain(inline) -> str:
    out = []
    for child in inline.children or []:
        if child.type in ("text", "text_special", "code_inline", "html_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append("\n")
    return "".join(out)


def parse(markdown: str, parser: MarkdownIt = PARSER) -> Doc:
    tokens = parser.parse(markdown)
    doc = Doc(tokens, [], [], [], {})
    section = ""
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "heading_open":
            text = plain(tokens[i + 1])
            if token.tag == "h1":
                doc.h1.append(text)
            else:
                assert token.tag == "h2", f"unexpected heading {token.tag}: {text!r}"
                doc.h2.append(text)
                section = text
            i += 3
            continue
        closing = {
            "blockquote_open": ("blockquote_close", "quote"),
            "paragraph_open": ("paragraph_close", "paragraph"),
            "ordered_list_open": ("ordered_list_close", "list"),
            "bullet_list_open": ("bullet_list_close", "list"),
            "footnote_open": ("footnote_close", "footnote"),
        }.get(token.type)
        if closing is None:
            i += 1
            continue
        end = next(j for j in range(i + 1, len(tokens)) if tokens[j].type == closing[0] and tokens[j].level == token.level)
        inlines = [t for t in tokens[i:end] if t.type == "inline"]
        text = "\n\n".join(plain(t) for t in inlines)
        if closing[1] == "footnote":
            doc.footnotes[token.meta["id"]] = text
        else:
            block = Block(closing[1], text, section)
            for t in inlines:
                for child in t.children or []:
                    block.inline_types.add(child.type)
                    if child.type == "footnote_ref":
                        block.refs.append(child.meta["id"])
            if closing[1] == "list":
                block.items = [plain(t) for t in inlines]
            doc.blocks.append(block)
        i = end + 1
    return doc


def squash(text: str) -> str:
    return " ".join(text.split())


# Articles ----------------------------------------------------------------------------------


def make_article(text: str, *, id: str = "art1", outlet: str = "The Daily Example", title: str = "Ministers meet",
                 date: dt.date | None = dt.date(2024, 3, 1), url: str = "", path: str = "/corpus/one.txt") -> Article:
    """An article whose paragraphs are separated by blank lines, one sentence each."""
    spans = [m.span() for m in re.finditer(r"(?:(?!\n\n).)+", text, re.S)]
    return Article(
        id, title, outlet, date, url, path, text,
        [Paragraph(n, s, e) for n, (s, e) in enumerate(spans)],
        [Sentence(n, s, e, n) for n, (s, e) in enumerate(spans)],
    )


def on_sentence(article: Article, index: int, tags: tuple[str, ...] = (), note: str = "", id: int = 0) -> Annotation:
    s = article.sentences[index]
    return Annotation(id, Anchor.at(article.id, article.text, s.start, s.end), tags, note)


def placed_all(annotations: list[Annotation], articles: dict[str, Article]) -> list[Placed]:
    placed, orphans = locate(annotations, articles.get)
    assert not orphans
    return placed


@pytest.fixture(scope="module")
def seeds(seed_articles):
    """The seed articles by id, the seeds keyed '000'..'004', and the real claim report."""
    by_id = {a.id: a for a in seed_articles.values()}
    return by_id, seed_articles, find_claims(by_id.values())


# Structure ---------------------------------------------------------------------------------


def test_title_summary_sections_findings_footnotes_and_sources(seeds) -> None:
    by_id, seed, _ = seeds
    a1, a3, a4 = seed["001"], seed["003"], seed["004"]
    annotations = [
        on_sentence(a1, 3, ("quotes", "people"), "The spokesman's words, verbatim.", id=1),
        on_sentence(a3, 12, ("policy",), "Why the U.S. wants them.", id=2),
        on_sentence(a1, 6, (), "Nobody else quotes this.", id=3),
        on_sentence(a4, 2, ("people",), "", id=4),
    ]
    lost = Annotation(5, Anchor(a1.id, 10, 55, "A sentence the newer cleaning took out entirely.", "", ""),
                      ("policy",), "Check the archived copy.")
    placed, orphans = locate(annotations + [lost], by_id.get)
    assert [o.annotation.id for o in orphans] == [5]
    briefing = build_briefing(placed, orphans, by_id, title="Patriot exports", today=TODAY)
    assert (briefing.title, briefing.findings, briefing.orphans) == ("Patriot exports", 4, 1)
    doc = parse(briefing.markdown)

    assert doc.h1 == ["Patriot exports"]
    assert doc.h2 == ["people", "policy", "quotes", "Untagged", "Unanchored notes", "Sources"]
    summary = doc.blocks[0]
    assert summary.section == "" and summary.inline_types >= {"em_open"}
    assert summary.text == "Generated 2024-01-02 by Accord · 5 articles from 5 outlets · 5 annotations (1 unanchored)."

    expected = {  # section -> (article, sentence, note) in order
        "people": [(a4, 2, "")],
        "policy": [(a3, 12, "Why the U.S. wants them.")],
        "quotes": [(a1, 3, "The spokesman's words, verbatim.")],
        "Untagged": [(a1, 6, "Nobody else quotes this.")],
    }
    for section, members in expected.items():
        quotes = doc.quotes(section)
        assert len(quotes) == len(members), section
        for quote, (article, index, note) in zip(quotes, members):
            assert quote.text == article.sentence_text(index)
            assert len(quote.refs) == 1
            footnote = doc.footnotes[quote.refs[0]]
            paragraph = article.sentences[index].paragraph + 1
            assert article.source in footnote and f"“{article.title}”" in footnote and article.path in footnote
            assert footnote.endswith(f", paragraph {paragraph}.")
            below = "\n".join(b.text for b in doc.after(quote))
            if note:
                assert note in below
            assert "Also reported" not in below and "Single source" not in below  # no claim report given
    assert "Also tagged: people" in "\n".join(b.text for b in doc.after(doc.quotes("quotes")[0]))
    assert "2023-12-23" in doc.footnotes[doc.quotes("quotes")[0].refs[0]]  # 001 is dated
    # every footnote is cited once, numbered in reading order
    refs = [r for q in doc.quotes() for r in q.refs]
    assert sorted(refs) == refs and sorted(doc.footnotes) == refs

    orphan_quotes = doc.quotes("Unanchored notes")
    assert [q.text for q in orphan_quotes] == ["A sentence the newer cleaning took out entirely."]
    assert orphan_quotes[0].refs == []
    below = "\n".join(b.text for b in doc.after(orphan_quotes[0]))
    assert "passage not found" in below and "Tags: policy." in below and "Check the archived copy." in below

    sources = [b for b in doc.blocks if b.section == "Sources"]
    assert len(sources) == 1 and sources[0].kind == "list"
    assert len(sources[0].items) == len(by_id)  # every article read, cited or not
    assert sources[0].items[0].startswith(a1.source)  # the dated article first, undated after
    assert all("undated" in item for item in sources[0].items[1:])


def test_without_orphans_there_is_no_unanchored_section(seeds) -> None:
    by_id, seed, _ = seeds
    placed = placed_all([on_sentence(seed["002"], 1, id=1)], by_id)
    briefing = build_briefing(placed, [], by_id, today=TODAY)
    doc = parse(briefing.markdown)
    assert doc.h1 == ["Briefing"] and doc.h2 == ["Untagged", "Sources"]
    assert briefing.orphans == 0 and "unanchored" not in doc.blocks[0].text


def test_an_empty_briefing_is_still_a_document(seeds) -> None:
    by_id, _, _ = seeds
    doc = parse(build_briefing([], [], by_id, today=TODAY).markdown)
    assert doc.h1 == ["Briefing"] and doc.h2 == ["Sources"] and doc.quotes() == [] and doc.footnotes == {}
    assert "0 annotations" in doc.blocks[0].text


def test_a_multi_paragraph_passage_stays_one_quote_and_notes_keep_their_breaks(seeds) -> None:
    by_id, seed, _ = seeds
    article = seed["001"]
    first, third = article.sentences[0], article.sentences[2]
    annotation = Annotation(1, Anchor.at(article.id, article.text, first.start, third.end), ("lede",),
                            "Line one\nline two\n\n    Second paragraph, indented.")
    placed = placed_all([annotation], by_id)
    doc = parse(build_briefing(placed, [], by_id, today=TODAY).markdown)
    [quote] = doc.quotes()
    assert quote.text == "\n\n".join(article.sentence_text(i) for i in range(3))
    assert len(quote.refs) == 1 and doc.footnotes[quote.refs[0]].endswith("paragraph 1.")
    notes = [b.text for b in doc.after(quote)]
    assert notes == ["Note: Line one\nline two", "Second paragraph, indented."]  # a hard break, then a paragraph
    assert doc.types()["code_block"] == 0


# Summary and tag filter --------------------------------------------------------------------


def test_summary_counts_articles_outlets_and_annotations() -> None:
    alpha1 = make_article("First report text here.", id="a1", outlet="Alpha", date=dt.date(2024, 1, 5))
    alpha2 = make_article("Second report text here.", id="a2", outlet="Alpha", date=None)
    beta = make_article("Third report text here.", id="b1", outlet="Beta", date=dt.date(2024, 1, 1))
    articles = {a.id: a for a in (alpha1, alpha2, beta)}
    placed = placed_all([on_sentence(alpha1, 0, id=1)], articles)
    orphan = Orphan(Annotation(2, Anchor("b1", 0, 4, "Gone", "", "")), "passage not found")
    doc = parse(build_briefing(placed, [orphan], articles, today=dt.date(2024, 2, 29)).markdown)
    assert doc.blocks[0].text == "Generated 2024-02-29 by Accord · 3 articles from 2 outlets · 2 annotations (1 unanchored)."
    assert [item.split(",")[0] for item in doc.blocks[-1].items] == ["Beta", "Alpha", "Alpha"]  # by date, undated last

    single = {"a1": alpha1}
    doc = parse(build_briefing(placed, [], single, today=dt.date(2024, 2, 29)).markdown)
    assert doc.blocks[0].text == "Generated 2024-02-29 by Accord · 1 article from 1 outlet · 1 annotation."


def test_summary_date_defaults_to_today(seeds, monkeypatch: pytest.MonkeyPatch) -> None:
    by_id, _, _ = seeds
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    doc = parse(build_briefing([], [], by_id).markdown)
    assert doc.blocks[0].text.startswith(f"Generated {dt.date.today().isoformat()} by Accord")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(19_000 * 86_400 + 3_600))  # reproducible builds
    doc = parse(build_briefing([], [], by_id).markdown)
    assert doc.blocks[0].text.startswith("Generated 2022-01-08 by Accord")


def test_tag_filter_keeps_matching_annotations_in_the_given_order(seeds) -> None:
    by_id, seed, _ = seeds
    a1, a3, a4 = seed["001"], seed["003"], seed["004"]
    annotations = [
        on_sentence(a1, 3, ("quotes", "people"), "kept under quotes", id=1),
        on_sentence(a3, 12, ("policy",), "kept under policy", id=2),
        on_sentence(a1, 6, (), "untagged, dropped", id=3),
        on_sentence(a4, 2, ("people",), "people only, dropped", id=4),
        on_sentence(a4, 5, ("people", "policy"), "kept under policy, also people", id=5),
    ]
    orphans = [
        Orphan(Annotation(6, Anchor(a1.id, 0, 9, "Lost text", "", ""), ("policy",), "kept orphan"), "passage not found"),
        Orphan(Annotation(7, Anchor(a1.id, 0, 9, "Lost text", "", ""), ("other",), "dropped orphan"), "passage not found"),
    ]
    placed = placed_all(annotations, by_id)
    briefing = build_briefing(placed, orphans, by_id, tags=("quotes", "policy"), today=TODAY)
    doc = parse(briefing.markdown)
    assert doc.h2 == ["quotes", "policy", "Unanchored notes", "Sources"]
    assert (briefing.findings, briefing.orphans) == (3, 1)
    text = "\n".join(b.text for b in doc.blocks)
    for kept in ("kept under quotes", "kept under policy", "kept under policy, also people", "kept orphan"):
        assert kept in text
    assert "dropped" not in text
    assert [q.text for q in doc.quotes("policy")] == [a3.sentence_text(12), a4.sentence_text(5)]
    assert "4 annotations (1 unanchored)" in doc.blocks[0].text


# Corroboration from a real claim report ----------------------------------------------------


def finding_text(doc: Doc, quote_text: str) -> str:
    [quote] = [q for q in doc.quotes() if q.text == quote_text]
    return "\n".join(b.text for b in doc.after(quote))


def test_shared_single_source_and_disputed_passages(seeds) -> None:
    by_id, _, report = seeds
    assert report.sources == 5
    claim = next(c for c in report.claims if 2 <= c.support < 5)
    shared = claim.members[0]
    disputed_sentences = {(m.article, m.sentence) for d in report.discrepancies for m in d.members}
    single = next(m for m in report.single_source if (m.article, m.sentence) not in disputed_sentences)
    discrepancy = report.discrepancies[0]
    disputed = discrepancy.members[0]
    annotations = [
        on_sentence(by_id[m.article], m.sentence, (), f"note {n}", id=n)
        for n, m in enumerate((shared, single, disputed), 1)
    ]
    placed = placed_all(annotations, by_id)
    doc = parse(build_briefing(placed, [], by_id, report, today=TODAY).markdown)

    below = finding_text(doc, shared.text)
    others = sorted({m.source for m in claim.members if m.article != shared.article})
    assert shared.source not in others
    assert f"Also reported by {', '.join(others)} ({claim.support} of 5 outlets" in below
    assert "Single source" not in below

    below = finding_text(doc, single.text)
    assert f"⚠ Single source: no other outlet in this briefing reports this ({single.source} only)." in below
    assert "Also reported" not in below

    # a sentence in no claim that is not check-worthy either (no figure, quote or name) is as
    # single-source: it once had no line at all, and read as corroborated by silence
    listed = {(m.article, m.sentence) for m in report.single_source} | disputed_sentences | {
        (m.article, m.sentence) for c in report.claims for m in c.members}
    plain = next((a.id, s.index) for a in by_id.values() for s in a.sentences if (a.id, s.index) not in listed
                 and len(a.sentence_text(s.index).split()) > 5 and re.fullmatch(r"[A-Za-z ,.']+", a.sentence_text(s.index)))
    article = by_id[plain[0]]
    alone = parse(build_briefing(placed_all([on_sentence(article, plain[1], (), "", id=9)], by_id), [], by_id, report,
                                 today=TODAY).markdown)
    below = finding_text(alone, article.sentence_text(plain[1]))
    assert f"⚠ Single source: no other outlet in this briefing reports this ({article.source} only)." in below

    below = finding_text(doc, disputed.text)
    disputed_claim = report.claim_of(disputed.article, disputed.sentence)
    lines = below.split("\n")
    assert f"Sources disagree ({discrepancy.kind}): {' vs '.join(discrepancy.variants)}." in lines
    if disputed_claim is not None:
        assert lines[0].startswith("Also reported by ")  # each on its own line (hard breaks)
    assert below.endswith(f"note {annotations[2].id}")


def test_a_passage_two_outlets_share_is_not_single_source_when_the_bar_is_three(seeds) -> None:
    # With min_sources 3 the report leaves out claims of two outlets: a sentence in none of its
    # claims may still be shared, and "⚠ Single source" on it was false (review finding).
    by_id, _, report = seeds
    pair = next(c for c in report.claims if c.support == 2)
    strict = find_claims(by_id.values(), min_sources=3)
    member = pair.members[0]
    assert not strict.claims_of(member.article, member.sentence)
    placed = placed_all([on_sentence(by_id[member.article], member.sentence, id=1)], by_id)
    below = finding_text(parse(build_briefing(placed, [], by_id, strict, today=TODAY).markdown), member.text)
    assert "Single source" not in below


def test_the_misspelt_spokesman_shows_both_spellings(seeds) -> None:
    by_id, seed, report = seeds
    article = seed["001"]
    index = next(i for i in range(len(article.sentences)) if "Hajasi" in article.sentence_text(i))
    placed = placed_all([on_sentence(article, index, id=1)], by_id)
    doc = parse(build_briefing(placed, [], by_id, report, today=TODAY).markdown)
    below = finding_text(doc, article.sentence_text(index))
    assert re.search(r"Sources disagree \(name\): (Hajasi vs Hayashi|Hayashi vs Hajasi)\.", below)


def test_a_passage_naming_a_misspelt_person_carries_the_caveat_from_any_outlet(seeds) -> None:
    # The discrepancy marks the sentences with the rare spelling and one with the usual; a third
    # outlet's "Yoshimasa Hayashi" passage once went into the briefing without the caveat.
    by_id, seed, report = seeds
    marked = {(m.article, m.sentence) for d in report.discrepancies for m in d.members}
    article = seed["003"]
    index = next(i for i in range(len(article.sentences))
                 if "Hayashi" in article.sentence_text(i) and (article.id, i) not in marked)
    placed = placed_all([on_sentence(article, index, id=1)], by_id)
    below = finding_text(parse(build_briefing(placed, [], by_id, report, today=TODAY).markdown),
                         article.sentence_text(index))
    assert re.search(r"Sources disagree \(name\): (Hajasi vs Hayashi|Hayashi vs Hajasi)\.", below)
    # a passage naming nobody in a discrepancy gets no such line
    plain = next(i for i in range(len(article.sentences)) if not re.search(r"Ha[yj]as", article.sentence_text(i))
                 and (article.id, i) not in marked)
    placed = placed_all([on_sentence(article, plain, id=2)], by_id)
    below = finding_text(parse(build_briefing(placed, [], by_id, report, today=TODAY).markdown),
                         article.sentence_text(plain))
    assert "Sources disagree" not in below


# Escaping: untrusted text stays inert ------------------------------------------------------

PLAIN = "Plain words with nothing special"
HOSTILE = [
    "# heading",
    "| a | b |\n|---|---|",
    "> quote",
    "[^1]",
    "`code`",
    "```\nfenced\n```",
    "~~~\nfenced\n~~~",
    "<script>alert(1)</script>",
    "- list",
    "+ list",
    "* list",
    "1. list",
    "1) list",
    "***",
    "---",
    "===",
    "line\n===",
    "line\n---",
    "[link](http://x)",
    "<http://x>",
    "![img](x)",
    "[ref]: http://x",
    "&amp;",
    "&#60;b&#62;",
    "%%hidden%%",
    "    indented code",
    "\tindented by a tab",
    "*emphasis* and __strong__",
    "~~struck~~",
    "<!-- comment -->",
    "trailing backslash \\",
    "[[wiki link]] and #tag",
]


def hostile_briefing(text: str):
    article = make_article(f"Opening paragraph of the report.\n\n{text}\n\nClosing paragraph.")
    start = article.text.index(text)
    annotation = Annotation(1, Anchor.at(article.id, article.text, start, start + len(text)), ("evidence",), text)
    placed, orphans = locate([annotation], {article.id: article}.get)
    assert [p.how for p in placed] == ["offsets"]
    orphan = Orphan(Annotation(2, Anchor(article.id, 0, 3, text, "", ""), ("evidence",), text), "passage not found")
    return build_briefing(placed, [orphan], {article.id: article}, title="Hostile input", today=TODAY)


@pytest.fixture(scope="module")
def plain_doc() -> Doc:
    return parse(hostile_briefing(PLAIN).markdown)


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_quotes_and_notes_stay_inert_text(hostile: str, plain_doc: Doc) -> None:
    briefing = hostile_briefing(hostile)
    doc = parse(briefing.markdown)
    structure = Counter({k: v for k, v in doc.types().items() if k not in INERT})
    assert structure == Counter({k: v for k, v in plain_doc.types().items() if k not in INERT})
    assert (doc.h1, doc.h2) == (plain_doc.h1, plain_doc.h2) == (["Hostile input"], ["evidence", "Unanchored notes", "Sources"])
    for kind in ("html_inline", "html_block", "code_inline", "code_block", "fence", "link_open", "image",
                 "bullet_list_open", "hr"):
        assert structure[kind] == 0, kind

    found, lost = doc.quotes("evidence"), doc.quotes("Unanchored notes")
    assert len(found) == len(lost) == 1 and len(doc.footnotes) == 1
    for quote in found + lost:
        assert quote.inline_types <= INERT | {"footnote_ref"}
        assert squash(quote.text) == squash(hostile)  # rendered literally
        notes = [b for b in doc.after(quote) if squash(b.text) == squash(f"Note: {hostile}")]
        assert len(notes) == 1 and notes[0].inline_types <= INERT | {"strong_open", "strong_close"}
    assert found[0].refs and doc.footnotes[found[0].refs[0]].endswith("paragraph 2.")

    assert "%%" not in briefing.markdown  # would hide the rest of the text in Obsidian
    gfm = parse(briefing.markdown, GFM).types()
    assert gfm["table_open"] == 0 and gfm["s_open"] == 0


@pytest.mark.parametrize("hostile", ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<b>bold</b>"])
def test_render_html_escapes_raw_html(hostile: str) -> None:
    page = render_html(hostile_briefing(hostile))
    tag = re.match(r"<(\w+)", hostile).group(1)
    assert not re.search(rf"<{tag}[\s>]", page)
    escaped = hostile.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    assert page.count(escaped) == 4  # the quote and the note, found and unanchored


def test_render_html_is_a_complete_document_with_the_escaped_title() -> None:
    title = "Q&A <b>weekly</b> # brief"
    article = make_article("One sentence only.", url="https://example.com/a?b=1&c=2")
    placed = placed_all([on_sentence(article, 0, ("x",), "a <i>note</i>", id=1)], {article.id: article})
    briefing = build_briefing(placed, [], {article.id: article}, title=title, today=TODAY)
    page = render_html(briefing)
    assert page.startswith("<!DOCTYPE html>\n<html")
    assert page.rstrip().endswith("</body>\n</html>")
    assert page.count("<body>") == page.count("</body>") == 1
    assert "<title>Q&amp;A &lt;b&gt;weekly&lt;/b&gt; # brief</title>" in page
    assert "<h1>Q&amp;A &lt;b&gt;weekly&lt;/b&gt; # brief</h1>" in page
    assert "<b>" not in page and "<i>" not in page and "a &lt;i&gt;note&lt;/i&gt;" in page
    assert re.search(r"<blockquote>\s*<p>One sentence only\.<sup class=\"footnote-ref\">", page)
    assert 'class="footnotes"' in page
    assert '<a href="https://example.com/a?b=1&amp;c=2">' in page
    # the same document as the Markdown: one h1, one h2 per section
    assert page.count("<h1>") == 1 and page.count("<h2>") == 2


def test_hostile_titles_outlets_and_tags_cannot_break_the_document() -> None:
    article = make_article(
        "A calm sentence.", outlet="| Outlet | *x* |", title="# Title [^9] <b>bold</b> `tick`",
        path="/corpus/[^2]_file#1.txt", url="javascript:alert(1)",
    )
    articles = {article.id: article}
    placed = placed_all([on_sentence(article, 0, ("c++", "a/b"), "", id=1)], articles)
    briefing = build_briefing(placed, [], articles, title="## Not a subheading <script>", today=TODAY)
    doc = parse(briefing.markdown)
    assert doc.h1 == ["## Not a subheading <script>"]
    assert doc.h2 == ["c++", "Sources"]
    assert len(doc.footnotes) == 1 and doc.quotes()[0].refs == list(doc.footnotes)
    footnote = doc.footnotes[doc.quotes()[0].refs[0]]
    assert "| Outlet | *x* |" in footnote and "“# Title [^9] <b>bold</b> `tick`”" in footnote
    assert "javascript:alert(1)" in footnote  # an unsafe URL is shown, not linked
    assert "Also tagged: a/b" in "\n".join(b.text for b in doc.after(doc.quotes()[0]))
    types = doc.types()
    for kind in ("html_inline", "html_block", "code_inline", "link_open", "em_open", "table_open", "heading_open"):
        assert types[kind] == (3 if kind == "heading_open" else 1 if kind == "em_open" else 0), kind
    page = render_html(briefing)
    assert "href=\"javascript" not in page and "<script" not in page and "<b>" not in page


@pytest.mark.parametrize("title", ["", "   ", "\n"])
def test_a_blank_title_becomes_the_default_in_the_markdown_and_the_html(title: str, seeds) -> None:
    by_id, _, _ = seeds
    briefing = build_briefing([], [], by_id, title=title, today=TODAY)
    assert parse(briefing.markdown).h1 == ["Briefing"]
    assert briefing.title == "Briefing"
    assert "<title>Briefing</title>" in render_html(briefing)


def test_plain_citations_number_a_reference_after_an_escaped_backslash() -> None:
    from accord.index.briefing import with_plain_citations

    markdown = "# T\n\n> ends with a backslash \\\\[^1]\n\n[^1]: **UNN**, x.\n"
    plain = with_plain_citations(markdown)
    assert "[^1]" not in plain and "\\\\ \\[1\\]" in plain and "1. **UNN**, x." in plain


def test_also_reported_by_names_only_other_outlets() -> None:
    """An outlet with a second article in the claim is not 'another outlet'."""
    from accord.index.claims import Claim, ClaimReport, Member

    texts = {"a1": "Rain fell on Tuesday.", "a2": "On Tuesday it rained.", "b1": "Tuesday brought rain."}
    outlets = {"a1": "Daily A", "a2": "Daily A", "b1": "Herald B"}
    articles = {i: make_article(t, id=i, outlet=outlets[i]) for i, t in texts.items()}
    members = [Member(i, 0, 0, len(t), t, outlets[i]) for i, t in texts.items()]
    claim = Claim("c1", members, support=2, independent=2, strength=0.9, wording=texts["a1"], story_sources=2)
    report = ClaimReport([claim], [], [], sources=2)
    placed = placed_all([on_sentence(articles["a1"], 0, id=1)], articles)
    below = finding_text(parse(build_briefing(placed, [], articles, report, today=TODAY).markdown), texts["a1"])
    assert "Also reported by Herald B (2 of 2 outlets)" in below
    assert "Daily A" not in below.split("Also reported by", 1)[1].split(")", 1)[0]


def test_a_second_fact_worded_as_a_quotation_is_quoted_once() -> None:
    """A two-fact passage's lines say each fact "as" another outlet words it: a wording that is
    itself a quotation read ““And it will contribute…””."""
    from accord.index.claims import Claim, ClaimReport, Member

    texts = {"a": "The minister said peace matters, and the deal is good.",
             "b": "\u201cPeace matters.\u201d", "c": "\u201cThe deal is good,\u201d he said."}
    outlets = {"a": "Daily A", "b": "Herald B", "c": "Wire C"}
    articles = {i: make_article(t, id=i, outlet=outlets[i]) for i, t in texts.items()}
    members = {i: Member(i, 0, 0, len(t), t, outlets[i]) for i, t in texts.items()}
    claims = [Claim("c1", [members["a"], members["b"]], support=2, independent=2, strength=0.9, wording=texts["b"],
                    story_sources=3),
              Claim("c2", [members["a"], members["c"]], support=2, independent=2, strength=0.8, wording=texts["c"],
                    story_sources=3)]
    report = ClaimReport(claims, [], [], sources=3)
    placed = placed_all([on_sentence(articles["a"], 0, id=1)], articles)
    below = finding_text(parse(build_briefing(placed, [], articles, report, today=TODAY).markdown), texts["a"])
    assert "as \u201cPeace matters.\u201d" in below  # one pair of quotes
    assert "as \u201c\u201cThe deal is good,\u201d he said.\u201d" in below  # not one quotation: kept as written
    from accord.index.briefing import _unquoted

    assert _unquoted("\u201cWe strike,\u201d they said, \u201cunless paid.\u201d").startswith("\u201cWe strike")  # two
    assert _unquoted("\"It\u2019s done.\"") == "It\u2019s done."  # an apostrophe is no quotation mark


def test_no_control_or_bidi_character_reaches_the_briefing_file() -> None:
    """A briefing is opened with `cat` as often as in a viewer: a note's OSC or bidi override
    must not drive the terminal there either."""
    import re as re_module

    from accord.index.markdown_text import inline, lines

    hostile = "Seen \x1b]0;pwned\x07 here, \x9b31m red, \u202ereversed\u202c, a NUL\x00."
    for text in [inline(hostile), *lines(hostile + "\n\nsecond paragraph \x1b[2J")]:
        assert not re_module.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", text), repr(text)
        assert "pwned" in text or "second" in text or text == ""
