"""Which language to answer in: the one the person wrote their words in.

Log lines are English whatever the writer speaks, so English words are counted only in prose
lines; Italian words count wherever they are, because a log line never holds them but a person
may write them on the same line as one ("errore: Task timed out after 3.00 seconds, perché?").
The words counted are the short function words every sentence has, not the technical terms
both languages share ("timeout", "deploy", "job").
"""

from __future__ import annotations

import re

from bot.core.lazy_re import compile_cached

# A word not glued to digits: "5da8" (a request id) holds no Italian "da".
_WORD = compile_cached(r"(?<![0-9])[A-Za-zÀ-ÿ]+(?![0-9])")
# Italian elisions count only with their apostrophe: "dell'account", "c'è", not "all" or "c".
_ELISION = compile_cached(r"\b(?:dell|nell|sull|dall|all|l|un|c|d|quest|quell)['’][A-Za-zÀ-ÿ]", re.IGNORECASE)

_ITALIAN = frozenset(["il", "lo", "la", "gli", "le", "un", "uno", "una", "di", "da", "del", "dello", "della", "dei", "degli", "delle", "al", "allo", "alla", "ai", "agli", "alle", "dal", "dalla", "dai", "dagli", "dalle", "nel", "nello", "nella", "nei", "negli", "nelle", "sul", "sulla", "sui", "sugli", "sulle", "che", "non", "per", "con", "su", "tra", "fra", "mi", "ti", "ci", "vi", "ne", "ho", "hai", "ha", "abbiamo", "avete", "hanno", "è", "sono", "sei", "siamo", "siete", "era", "erano", "stato", "stata", "stati", "come", "quando", "perché", "perchè", "cosa", "ciao", "grazie", "salve", "buongiorno", "funzione", "errore", "restituisce", "ricevo", "risponde", "ottengo", "sempre", "dopo", "questo", "questa", "questi", "queste", "quello", "quella", "anche", "però", "ma", "se", "già", "ancora", "mia", "mio", "miei", "mie", "nostra", "nostro", "qualcuno", "aiuto", "problema", "chiamata", "richiesta", "risposta", "viene", "vengono", "fallisce", "scade", "tutta", "tutto", "tutti", "tutte", "ogni", "dove", "quindi", "invece", "poi", "solo", "più", "molto", "ora", "oggi", "ieri", "sembra", "credo", "penso", "riesco", "capire", "qualche", "qualcosa", "è", "essere", "fa", "fanno", "va", "vanno", "mentre", "senza", "durante", "prima", "volta", "secondi", "minuti"])
_ENGLISH = frozenset(["the", "a", "an", "is", "are", "was", "were", "my", "to", "of", "and", "with", "when", "why", "what", "how", "it", "this", "that", "getting", "get", "gets", "error", "function", "returns", "returned", "hi", "hello", "thanks", "please", "help", "anyone", "any", "keeps", "after", "from", "our", "we", "can", "can't", "cannot", "doesn't", "does", "not", "but", "always", "fails", "failing", "request", "response", "call", "i'm", "i've", "there", "their", "they", "them", "then", "than", "have", "has", "had", "been", "being", "be", "will", "would", "should", "could", "which", "who", "into", "out", "about", "because", "while", "also", "just", "only", "even", "still", "some", "every", "each", "other", "seems", "seem", "works", "working", "worked", "anyone", "anybody", "know", "see", "tried", "trying", "using", "used", "getting", "got"])


def detect_language(prose: str, default: str = "en", *, text: str | None = None) -> str:
    """'it' when the words read as Italian, 'en' when they read as English, else `default`.

    `prose`: the lines that are someone's words; `text`: the whole text, for Italian words
    written on log lines.
    """
    # Counted at C speed: a word's lower case in the set, plus "I" (English) or "i" (the Italian
    # article), which neither set holds in lower case.
    found = _WORD.findall(prose[:20000])
    english = sum(map(_ENGLISH.__contains__, map(str.lower, found))) + found.count("I")
    whole = (text if text is not None else prose)[:20000]
    if text is not None:
        found = _WORD.findall(whole)
    italian = len(_ELISION.findall(whole))
    italian += sum(map(_ITALIAN.__contains__, map(str.lower, found))) + found.count("i")
    if italian >= 2 and italian > english:
        return "it"
    if english >= 2 and english >= italian:
        return "en"
    return default


# First- and second-person words: AWS's error texts are impersonal, so a line that holds one is
# someone's words (the prose layer's), not a pasted error line with a typo for the fuzzy pass.
# Cross-validated on the training part: leaving such lines out of the fuzzy pass changed no
# answer, and spares a sentence rapidfuzz's import at start-up.
_PERSON_WORD = compile_cached(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_PERSONAL = frozenset([
    "i", "i'm", "i've", "i'd", "i'll", "me", "my", "mine", "we", "we're",
    "we've", "we'd", "our", "ours", "us", "you", "you're", "your", "yours",
    "io", "mio", "mia", "miei", "mie", "noi", "nostro", "nostra", "nostri", "nostre",
    "ho", "abbiamo", "sto", "stiamo", "tu", "tuo", "tua",
])
_PERSONAL_CJK = ("私", "僕", "我")  # Japanese watashi/boku, Chinese wo (also in 我们, 我的)


def in_person(line: str) -> bool:
    """Whether `line` speaks in the first or second person (English, Italian, Japanese, Chinese)."""
    return any(word.lower() in _PERSONAL for word in _PERSON_WORD.findall(line)) or any(
        mark in line for mark in _PERSONAL_CJK
    )
