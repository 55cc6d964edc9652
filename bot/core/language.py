"""Which language to answer in: the one the person wrote their words in.

Log lines are English whatever the writer speaks, so only prose lines are counted.
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


def detect_language(prose: str, default: str = "en") -> str:
    """'it' when the prose reads as Italian, 'en' when it reads as English, else `default`."""
    italian = english = 0
    for word in _WORD.findall(prose.lower()[:20000]):
        if word in _ITALIAN:
            italian += 1
        elif word in _ENGLISH:
            english += 1
    if italian >= 2 and italian > english:
        return "it"
    if english >= 2 and english >= italian:
        return "en"
    return default
