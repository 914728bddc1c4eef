"""Sentence segmentation, measured on hand-labelled seed articles and known traps."""

from __future__ import annotations

import pytest

from accord.index.sentences import split_sentences

# Hand-labelled: the opening words of every sentence, in order, read from the seeds.
GOLD = {
    "003": [
        "Japan will allow the sale", "The move by Tokyo follows", "After a meeting of Japan’s",
        "Former Prime Minister Shinzo Abe", "With the rule change", "The air defense systems",
        "“This decision has a significant", "“And it will contribute", "Experts said that Japan’s",
        "“If we succeed in creating", "“And they would be discouraged", "Japan stipulated that",
        "But by helping to shore up", "“I don’t think the U.S.", "“But, clearly, they need",
    ],
    "004": [
        "Japan has loosened its arms", "This critical policy shift", "The new regulations continue",
        "Except for those actively", "While Washington could not", "Japan’s National Security Council",
        "Washington asked for shipments", "Washington will be able", "Following NATO’s requests",
        "It will make its final decision", "The missiles might be delivered", "In light of the growing",
        "Patriot missiles were developed", "In Japan, Mitsubishi Heavy", "Japan’s action will boost",
        "In fact, German Patriot missiles",
    ],
    "002": [
        "Japan has agreed to transfer", "This marks a historic shift", "On Friday, Japan announced",
        "According to a U.S. official", "This decision is a landmark", "The war in Ukraine and Tokyo's",
        "On Friday, the Japanese government", "\"This initiative is of great", "A representative of the Japanese",
        "US Ambassador to Japan", "\"This will help us manage", "According to the publication",
        "Ukraine was not mentioned", "Instead, Tokyo officials", "However, according to security",
        "\"This is an important step", "Earlier, The Washington Post",
    ],
}


def _starts(article) -> list[str]:
    return [article.sentence_text(s.index) for s in article.sentences]


@pytest.mark.parametrize("seed", sorted(GOLD))
def test_seed_sentences_match_hand_labels(seed_articles, seed: str) -> None:
    got = _starts(seed_articles[seed])
    expected = GOLD[seed]
    matched = sum(1 for text, prefix in zip(got, expected) if text.startswith(prefix))
    precision, recall = matched / len(got), matched / len(expected)
    print(f"seed {seed}: {len(got)} sentences, boundary precision {precision:.2f}, recall {recall:.2f}")
    assert (len(got), matched) == (len(expected), len(expected))


def test_sentence_offsets_slice_the_cleaned_text_exactly(seed_articles) -> None:
    for article in seed_articles.values():
        previous_end = 0
        for sentence in article.sentences:
            text = article.text[sentence.start : sentence.end]
            assert text == text.strip() and text
            assert sentence.start >= previous_end
            paragraph = article.paragraphs[sentence.paragraph]
            assert paragraph.start <= sentence.start < sentence.end <= paragraph.end
            previous_end = sentence.end


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr. Hayashi said so. Then he left.", ["Mr. Hayashi said so.", "Then he left."]),
        ("It was sent to the U.S. government. It arrived.", ["It was sent to the U.S. government.", "It arrived."]),
        ("They sold it to the U.S. The deal closed.", ["They sold it to the U.S.", "The deal closed."]),
        ("J. K. Rowling wrote it. Fans cheered.", ["J. K. Rowling wrote it.", "Fans cheered."]),
        ("Prices rose 3.5 percent. Markets fell.", ["Prices rose 3.5 percent.", "Markets fell."]),
        ("“Stop now.” Then he left.", ["“Stop now.”", "Then he left."]),
        ("Was it true? Nobody knew! 2024 will tell.", ["Was it true?", "Nobody knew!", "2024 will tell."]),
        ("Dr. Smith met Gen. Jones at 5 p.m. on Friday.", ["Dr. Smith met Gen. Jones at 5 p.m. on Friday."]),
        ("Apple Inc. reported profits. Shares rose.", ["Apple Inc. reported profits.", "Shares rose."]),
    ],
)
def test_known_segmentation_traps(text: str, expected: list[str]) -> None:
    assert [text[s:e] for s, e in split_sentences(text)] == expected
