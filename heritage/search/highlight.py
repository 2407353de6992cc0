"""Snippets with the matching words marked, as plain segments.

A snippet is a list of (text, matched) pairs; the template escapes every piece, so text
from the index or the database can never inject markup.
"""

from __future__ import annotations

from heritage.search.readings import Terms
from heritage.search.stemming import stems
from heritage.search.translit import WORD_RE, fold, keys, lower

Snippet = list[tuple[str, bool]]

SNIPPET_WORDS = 30


def _matches(word: str, terms: Terms) -> bool:
    if lower(word) in terms.lower:
        return True
    folded = fold(word)
    if folded in terms.folded or any(folded.startswith(p) for p in terms.prefixes):
        return True
    if terms.stems.intersection(stems(word)):
        return True
    return bool(terms.keys.intersection(keys(word)))


def mark(text: str, terms: Terms) -> Snippet:
    """The whole of `text`, matching words marked."""
    segments: Snippet = []
    last = 0
    for match in WORD_RE.finditer(text):
        if _matches(match.group(), terms):
            if match.start() > last:
                segments.append((text[last : match.start()], False))
            segments.append((match.group(), True))
            last = match.end()
    if last < len(text):
        segments.append((text[last:], False))
    return segments


def snippet(texts: list[str], terms: Terms, words: int = SNIPPET_WORDS) -> Snippet:
    """The window of about `words` words with the most matches, from the first text that
    has any; else the start of the first non-empty text."""
    for text in texts:
        if not text:
            continue
        found = list(WORD_RE.finditer(text))
        hits = [i for i, match in enumerate(found) if _matches(match.group(), terms)]
        if not hits:
            continue
        best_start, best_count = 0, -1
        for first in hits:
            start = max(0, first - words // 4)
            count = sum(1 for hit in hits if start <= hit < start + words)
            if count > best_count:
                best_start, best_count = start, count
        return _window(text, found, best_start, words, terms)
    for text in texts:
        if text:
            found = list(WORD_RE.finditer(text))
            return _window(text, found, 0, words, terms)
    return []


def _window(text: str, found: list, start: int, words: int, terms: Terms) -> Snippet:
    if not found:
        return [(text[:200], False)]
    end = min(len(found), start + words)
    begin_char = found[start].start()
    end_char = found[end - 1].end()
    segments = mark(text[begin_char:end_char], terms)
    if start > 0:
        segments.insert(0, ("… ", False))
    if end < len(found):
        segments.append((" …", False))
    return segments
