"""Which language to answer in: the one the person wrote their words in.

Log lines are English whatever the writer speaks, so English words are counted only in prose
lines; Italian words count wherever they are, because a log line never holds them but a person
may write them on the same line as one ("errore: Task timed out after 3.00 seconds, perché?").
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-zàèéìíòóùú']+")

_ITALIAN = frozenset(
    ["il", "lo", "la", "gli", "le", "un", "uno", "una", "di", "da", "del", "della", "dello", "dei", "delle", "che", "non", "per", "con", "su", "nel", "nella", "mi", "ho", "ha", "hanno", "è", "sono", "come", "quando", "perché", "perchè", "cosa", "ciao", "grazie", "salve", "buongiorno", "funzione", "errore", "restituisce", "ricevo", "risponde", "ottengo", "sempre", "dopo", "questo", "questa", "anche", "però", "ma", "se", "già", "ancora", "mia", "mio", "nostra", "nostro", "qualcuno", "aiuto", "problema", "chiamata", "richiesta", "risposta", "viene", "fallisce", "scade"]
)
_ENGLISH = frozenset(
    ["the", "a", "an", "is", "are", "was", "my", "i", "to", "of", "and", "with", "when", "why", "what", "how", "it", "this", "that", "getting", "get", "gets", "error", "function", "returns", "returned", "hi", "hello", "thanks", "please", "help", "anyone", "any", "keeps", "after", "from", "our", "we", "can", "can't", "cannot", "doesn't", "does", "not", "but", "always", "fails", "failing", "request", "response", "call"]
)


def detect_language(prose: str, default: str = "en", *, text: str | None = None) -> str:
    """'it' when the words read as Italian, 'en' when they read as English, else `default`.

    `prose`: the lines that are someone's words; `text`: the whole text, for Italian words
    written on log lines.
    """
    english = sum(1 for word in _WORD.findall(prose.lower()[:20000]) if word in _ENGLISH)
    italian = sum(1 for word in _WORD.findall((text if text is not None else prose).lower()[:20000])
                  if word in _ITALIAN)
    if italian >= 2 and italian > english:
        return "it"
    if english >= 2 and english >= italian:
        return "en"
    return default
