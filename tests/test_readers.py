"""Every input format through the real ingestion pipeline: what comes out as the
article's metadata, paragraphs and sentences, and what bad files produce."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accord.index.ingest import IngestWarning, discover, load, read_file
from accord.index.model import Article

from conftest import write

BODY = (
    "Tokyo approved the transfer of 24 interceptors on Friday. "
    "Officials said the first delivery is due in March."
)


def one(path: Path) -> Article:
    articles, warnings = read_file(path)
    assert not warnings, warnings
    assert len(articles) == 1
    return articles[0]


def sentences(article: Article) -> list[str]:
    return [article.sentence_text(i) for i in range(len(article.sentences))]


def assert_offsets_hold(article: Article) -> None:
    """The offset contract: paragraphs and sentences slice the one canonical text, in order."""
    assert article.text
    previous_end = 0
    for paragraph in article.paragraphs:
        assert previous_end <= paragraph.start < paragraph.end <= len(article.text)
        chunk = article.text[paragraph.start : paragraph.end]
        assert chunk == chunk.strip() and "\n" not in chunk
        previous_end = paragraph.end
    for sentence in article.sentences:
        paragraph = article.paragraphs[sentence.paragraph]
        assert paragraph.start <= sentence.start < sentence.end <= paragraph.end
        assert article.text[sentence.start : sentence.end].strip()


def test_plain_text_front_matter_overrides_guesses(tmp_path: Path) -> None:
    article = one(
        write(
            tmp_path / "a.txt",
            "---\ntitle: \"Stated title\"\nsource: Kyodo\ndate: 2023-12-22\nurl: https://example.com/a\n---\n"
            "A headline the front matter overrides\n\n" + BODY + "\n",
        )
    )
    assert article.title == "Stated title"
    assert article.outlet == "Kyodo"
    assert article.date is not None and article.date.isoformat() == "2023-12-22"
    assert article.url == "https://example.com/a"
    assert sentences(article)[-1] == "Officials said the first delivery is due in March."
    assert_offsets_hold(article)


def test_hard_wrapped_text_is_one_paragraph_but_one_paragraph_per_line_stays(tmp_path: Path) -> None:
    wrapped = one(
        write(
            tmp_path / "wrapped.txt",
            "Headline about the export\n\n"
            "The government in Tokyo on Friday approved a revision of the\n"
            "rules that govern defence exports, allowing the country to ship\n"
            "licence-built missiles back to the United States for the first time.\n",
        )
    )
    assert len(wrapped.paragraphs) == 1
    assert "of the rules that govern" in wrapped.text

    per_line = one(
        write(
            tmp_path / "lines.txt",
            "Headline about the export\n"
            "The government approved a revision of the export rules on Friday.\n"
            "The decision allows licence-built missiles to be shipped to the United States.\n",
        )
    )
    assert len(per_line.paragraphs) == 2
    assert_offsets_hold(per_line)


def test_markdown_keeps_paragraphs_and_takes_the_h1_as_title(tmp_path: Path) -> None:
    article = one(
        write(
            tmp_path / "a.md",
            "# Japan to ship *Patriot* missiles\n\n"
            "Tokyo approved the transfer of **24** interceptors\non Friday, "
            "says [the ministry](https://mod.example).\n\n"
            "- Officials said the first delivery is due in March.\n\n"
            "```\ncode blocks are not prose\n```\n",
        )
    )
    assert article.title == "Japan to ship Patriot missiles"
    assert article.paragraphs and len(article.paragraphs) == 2
    assert article.text.startswith("Tokyo approved the transfer of 24 interceptors on Friday, says the ministry.")
    assert "*" not in article.text and "](" not in article.text
    assert "code blocks" not in article.text
    assert_offsets_hold(article)


def test_html_keeps_the_article_and_drops_scripts_navigation_and_chrome(tmp_path: Path) -> None:
    article = one(
        write(
            tmp_path / "a.html",
            """<!doctype html><html><head>
            <title>Site | Japan to ship missiles</title>
            <meta property="og:title" content="Japan to ship Patriot missiles">
            <meta property="og:site_name" content="Example Times">
            <meta property="article:published_time" content="2023-12-22T09:00:00Z">
            <link rel="canonical" href="https://example.com/japan">
            <script>document.write("tracking");</script><style>p{color:red}</style>
            </head><body>
            <nav><a href="/">Home</a> <a href="/world">World</a></nav>
            <header>Subscribe now</header>
            <article><h1>Japan to ship Patriot missiles</h1>
            <p>Tokyo approved the transfer of 24 interceptors on Friday.</p>
            <p>Officials said the first delivery is due in &ldquo;March&rdquo; &amp; April.</p>
            <aside>Related: other stories</aside>
            </article>
            <footer>© Example Times</footer></body></html>""",
        )
    )
    assert article.title == "Japan to ship Patriot missiles"
    assert article.outlet == "Example Times"
    assert article.date is not None and article.date.isoformat() == "2023-12-22"
    assert article.url == "https://example.com/japan"
    assert sentences(article) == [
        "Tokyo approved the transfer of 24 interceptors on Friday.",
        "Officials said the first delivery is due in “March” & April.",
    ]
    for chrome in ("tracking", "color", "Home", "Subscribe", "Related", "©"):
        assert chrome not in article.text
    assert_offsets_hold(article)


def test_html_without_an_article_element_uses_the_body(tmp_path: Path) -> None:
    article = one(write(tmp_path / "b.htm", f"<html><body><div><p>{BODY}</p></div></body></html>"))
    assert article.text == BODY


def test_json_array_records_and_news_api_shapes(tmp_path: Path) -> None:
    records = {
        "articles": [
            {"title": "First", "source": {"name": "Wire A"}, "publishedAt": "x", "date": "22 December 2023",
             "url": "https://a.example/1", "text": BODY},
            {"headline": "Second", "outlet": "Wire B", "body": "The ministry confirmed the plan on Friday."},
        ]
    }
    articles, warnings = read_file(write(tmp_path / "batch.json", json.dumps(records)))
    assert not warnings
    assert [(a.title, a.outlet) for a in articles] == [("First", "Wire A"), ("Second", "Wire B")]
    assert articles[0].date is not None and articles[0].date.isoformat() == "2023-12-22"
    assert articles[1].path.endswith("batch.json#2")
    assert len({a.id for a in articles}) == 2
    for article in articles:
        assert_offsets_hold(article)


def test_jsonl_bad_records_are_reported_and_the_rest_load(tmp_path: Path) -> None:
    path = write(
        tmp_path / "feed.jsonl",
        json.dumps({"title": "Good", "text": BODY}) + "\n"
        "{not json\n"
        + json.dumps(["not", "an", "object"]) + "\n"
        + json.dumps({"title": "No body"}) + "\n\n"
        + json.dumps({"title": "Also good", "body": "The ministry confirmed the plan."}) + "\n",
    )
    articles, warnings = read_file(path)
    assert [a.title for a in articles] == ["Good", "Also good"]
    messages = [w.message for w in warnings]
    assert messages == [
        "skipped line 2 is not valid JSON (Expecting property name enclosed in double quotes)",
        "skipped record 3 is not an object",
        "skipped record 4 has no text or body",
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"  \n\n", "skipped: empty file"),
        ("latin1.txt", "Caf\u00e9 society report.".encode("latin-1"), "skipped: not UTF-8 text (byte 3)"),
        ("image.txt", bytes(range(256)) * 8, "skipped: binary file"),
        ("broken.json", b'{"title": "x", ', "skipped: not valid JSON (line 1: Expecting property name enclosed in double quotes)"),
        ("only-boilerplate.txt", b"Related Posts\n2 min read\n", "skipped: no article text after cleaning"),
    ],
)
def test_bad_files_become_one_line_warnings(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    articles, warnings = read_file(path)
    assert articles == []
    assert [str(w) for w in warnings] == [f"{path}: {message}"]


def test_a_folder_is_read_recursively_skipping_hidden_and_unknown_files(tmp_path: Path) -> None:
    write(tmp_path / "top.txt", "Top story\n\n" + BODY)
    write(tmp_path / "deep" / "er" / "nested.md", "# Nested\n\n" + BODY)
    write(tmp_path / ".git" / "hidden.txt", "Hidden\n\n" + BODY)
    write(tmp_path / "notes.docx", "not a format Accord reads")
    warnings: list[IngestWarning] = []
    titles = sorted(a.title for a in load([tmp_path], on_warning=warnings.append))
    assert titles == ["Nested", "Top story"]
    assert warnings == []


def test_discovery_orders_files_follows_symlinks_and_survives_cycles(tmp_path: Path) -> None:
    root = tmp_path / "news"
    for name in ("b.txt", "a-b/x.txt", "a/z.txt", "a/y.md"):
        write(root / name, "Story\n\n" + BODY)
    write(tmp_path / "outside" / "linked.txt", "Linked\n\n" + BODY)
    (root / "link.txt").symlink_to(tmp_path / "outside" / "linked.txt")
    (root / "a" / "loop").symlink_to(root)  # a cycle back to the top
    (root / "again").symlink_to(root / "a")  # the same folder under another name
    found = discover([root])
    real = root.resolve()
    assert found == [real / "a" / "y.md", real / "a" / "z.txt", real / "a-b" / "x.txt", real / "b.txt",
                     (tmp_path / "outside" / "linked.txt").resolve()]


def test_ids_follow_the_source_not_the_content(tmp_path: Path) -> None:
    """Annotations key on the id, so a re-scraped article must keep it."""
    path = write(tmp_path / "a.txt", "Story\n\n" + BODY)
    before = one(path)
    write(path, "Story, updated\n\n" + BODY + " A correction was appended.")
    after = one(path)
    assert before.id == after.id and before.content_hash != after.content_hash

    with_url = {"title": "T", "url": "https://example.com/x", "text": BODY}
    first = one(write(tmp_path / "one.json", json.dumps(with_url)))
    moved = one(write(tmp_path / "elsewhere" / "two.json", json.dumps(with_url)))
    assert first.id == moved.id  # the same URL is the same article wherever the file lives


def test_control_characters_never_reach_the_text_or_metadata(tmp_path: Path) -> None:
    article = one(
        write(
            tmp_path / "evil.txt",
            "Title \x1b]0;pwned\x07with escape\n\nBody \x1b[31mred\x1b[0m text with a bell\x07 in it.\n",
        )
    )
    for value in (article.title, article.text):
        assert not any(ord(c) < 0x20 for c in value), repr(value)
    assert "pwned" not in article.title
    assert article.text == "Body red text with a bell in it."
    assert any(r.kind == "control-chars" for r in article.repairs)
