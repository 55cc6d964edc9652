"""Text -> the features the prose layer learns from and scores with.

People describe the same failure in many words: "times out after 29 s", "gives up at 30
seconds", "29000 ms", "va in timeout dopo 3 secondi". Features fold those variants together:
- words: lower-cased, stop words dropped, light-stemmed (English and Italian suffixes), and
  pairs of neighbouring words;
- quantities: durations and sizes in any unit become one token with a coarse range
  ("dur:28-31s", "size:6mb"), status codes become "status:502", AWS error names
  ("TooManyRequestsException", "Runtime.ImportModuleError") stay whole;
- Japanese, Chinese and Korean text: character pairs;
- optionally (the model's `char_ngrams` parameter), the character n-grams of each distinct
  word, bounded by the word's edges ("<tim", "meou", "out>"): they carry typos, inflections
  and compounds ("timout", "timeouts", "lambdatimeout") that no stem folds.
Ids, hashes and timestamps carry no meaning and are dropped. Every pattern here is linear-time,
and the text is cut to MAX_CHARS before it is read.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.core.lazy_re import compile_cached, lazy_compile
from bot.core.record import Record

MAX_CHARS = 64 * 1024

# Runs of CJK characters (kana, ideographs, hangul). Compiled when a text is not ASCII: its
# ranges cost 2 ms to compile, a tenth of the start-up's own work.
_CJK_RUN = r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]+"


@lru_cache(maxsize=1)
def _cjk() -> re.Pattern[str]:
    return compile_cached(_CJK_RUN)
# AWS and runtime error names: CamelCase ending in Exception/Error/Fault, or a dotted pair.
_ERROR_NAME = compile_cached(
    r"\b[A-Z][A-Za-z0-9]{2,60}(?:Exception|Error|Fault)\b|\b[A-Z][A-Za-z]{1,30}\.[A-Z][A-Za-z]{2,40}\b"
)
# Units in the languages people write them in (English, Italian, Spanish, Portuguese, French,
# German, Japanese, Chinese); each alternative is a fixed word, so the pattern stays linear.
# The number is taken whole (possessive: giving back digits never lets a unit follow) and only
# where a unit's first letter follows: a log's timestamps and ids fail at once (its 28 KB head
# is read in 1 ms, not 3.4).
_NUMBER_UNIT = compile_cached(
    r"(?<![\w.])(\d{1,9}+(?:[.,]\d{1,3}+)?+)(?= ?[msbkg秒分ミ毫]) ?(ms|msec|mill?ise[ck]\w{0,6}|milisegundos?|ミリ秒|毫秒"
    r"|s|sec|secs|seconds?|secondi|secondo|secondes?|segundos?|sek|sekunden?|秒钟?"
    r"|m|min|mins|minutes?|minuti|minuto|minutos?|minuten|分钟?"
    r"|b|bytes?|kb|kib|mb|mib|gb|gib)(?![a-z0-9])",
    re.IGNORECASE,
)
_STATUS = compile_cached(r"(?<![\w.:/-])(4[0-2]\d|431|451|5[01]\d|[45]xx)(?![\w:/-]|\.\d)", re.IGNORECASE)
_WORD_RUN = compile_cached(r"[^\W_]+(?:'[^\W_]+)?")
_KEEP_MIXED = compile_cached(r"^[a-z]{1,10}\d{1,3}$")  # python3, nodejs18, s3, ec2, route53

_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0}
_BYTES = {"b": 1, "kb": 1000, "kib": 1024, "mb": 1000**2, "mib": 1024**2, "gb": 1000**3, "gib": 1024**3}
# Coarse ranges that mean something here: Lambda's 3 s default, API Gateway's 29-30 s, 15 min.
_DURATION_RANGES = ((1, "0-1s"), (4, "1-4s"), (15, "4-15s"), (28, "15-28s"), (31.5, "28-31s"),
                    (120, "31-120s"), (900.5, "2-15min"))
_SIZE_RANGES = ((900_000, "<1mb"), (1_200_000, "1mb"), (5_500_000, "1-5mb"), (7_000_000, "6mb"),
                (11_000_000, "10mb"))

# Common phrasings of one idea, folded into the word people also write.
# (a literal every match holds, pattern, replacement): the literal spares most texts the pattern.
_PHRASES = (
    ("tim", lazy_compile(r"\btim(?:e|ed|es|ing)[ -]?outs?\b"), " timeout "),
    ("gateway", lazy_compile(r"\bbad[ -]gateway\b"), " badgateway "),
    ("gateway", lazy_compile(r"\bgateway[ -]time-?out\b"), " gatewaytimeout "),
    ("internal", lazy_compile(r"\binternal[ -]server[ -]error\b"), " internalservererror "),
    ("unavailable", lazy_compile(r"\bservice[ -]unavailable\b"), " serviceunavailable "),
)

_STOP = frozenset(["a", "about", "above", "after", "again", "all", "also", "am", "an", "and", "any", "are", "aren", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "cannot", "could", "did", "do", "does", "doing", "don", "down", "during", "each", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "isn", "it", "its", "itself", "just", "me", "more", "most", "my", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "out", "over", "own", "same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "yes", "hi", "hello", "thanks", "thank", "please", "anyone", "someone", "somebody", "something", "get", "got", "getting", "gets", "im", "ive", "id", "dont", "doesnt", "didnt", "cant", "wont", "isnt", "arent", "thing", "things", "like", "really", "still", "even", "il", "lo", "la", "gli", "le", "un", "uno", "una", "di", "da", "del", "dello", "della", "dei", "degli", "delle", "al", "allo", "alla", "ai", "agli", "alle", "dal", "dallo", "dalla", "dai", "dagli", "dalle", "nel", "nello", "nella", "nei", "negli", "nelle", "sul", "sullo", "sulla", "sui", "sugli", "sulle", "che", "chi", "cui", "non", "per", "con", "su", "tra", "fra", "mi", "ti", "si", "ci", "vi", "ne", "ho", "hai", "ha", "abbiamo", "avete", "hanno", "è", "e", "ed", "o", "od", "ma", "se", "sono", "sei", "siamo", "siete", "era", "erano", "questo", "questa", "questi", "queste", "quello", "quella", "quelli", "quelle", "come", "anche", "già", "ancora", "poi", "più", "molto", "tutto", "tutti", "tutte", "qualche", "qualcuno", "cosa", "perché", "perchè", "quando", "dove", "mio", "mia", "miei", "mie", "tuo", "tua", "nostro", "nostra", "vostro", "loro", "suo", "sua", "essere", "stato", "stata", "ciao", "grazie", "salve", "buongiorno", "aiuto", "qualcosa", "solo", "sempre", "però", "pero", "invece", "ogni"])


class Features(Record):
    """The distinct features of a text, and a readable word for each (for showing evidence)."""

    names: tuple[str, ...]
    surface: dict[str, str]


def feature_options(params: dict) -> dict:
    """The keyword arguments of `features` a model was trained with (from its parameters)."""
    sizes = params.get("char_ngrams") or ()
    return {"char_ngrams": (int(sizes[0]), int(sizes[-1]))} if sizes else {}


def features(text: str, *, char_ngrams: tuple[int, int] | None = None) -> Features:
    """The features of `text` (distinct, in order of first appearance).

    `char_ngrams`: (shortest, longest) character n-grams of the words to add, or None.
    """
    text = text[:MAX_CHARS]
    cjk = not text.isascii() and _cjk().search(text) is not None
    if cjk:  # CJK writes no spaces: "APIゲートウェイで502エラー"
        text = _cjk().sub(lambda m: f" {m.group(0)} ", text)
    found: dict[str, str] = {}
    add = found.setdefault  # the first readable word for a feature stays

    for match in _ERROR_NAME.finditer(text):
        add("err:" + match.group(0).lower(), match.group(0))
    for match in _NUMBER_UNIT.finditer(text):
        token = _quantity(match.group(1), match.group(2))
        if token:
            add(token, match.group(0))
    for match in _STATUS.finditer(text):
        add("status:" + match.group(1).lower(), match.group(1))
    lowered = text.lower()
    for literal, pattern, replacement in _PHRASES:
        if literal in lowered:
            lowered = pattern.sub(replacement, lowered)
    # The words whose character n-grams are added: whole words of letters, 3-40 long (not the
    # letters inside an id, a hash or base64: "b3JpZ2lu"), in order of first appearance.
    lettered: dict[str, None] | None = {} if char_ngrams else None
    for line in lowered.split("\n"):
        previous = previous_word = ""
        for run in _WORD_RUN.findall(line):
            if cjk and _cjk().search(run):
                for piece in _cjk().findall(run):
                    for index in range(len(piece) - 1):
                        add("cjk:" + piece[index : index + 2], piece[index : index + 2])
                previous = ""
                continue
            for word in run.split("'") if "'" in run else (run,):  # Italian elision: l'integrazione
                if lettered is not None and 3 <= len(word) <= 40 and _all_letters(word):
                    lettered[word] = None
                stem = _word_feature(word)
                if stem is None:
                    continue
                add(stem, word)
                if previous:
                    add(previous + "_" + stem, f"{previous_word} {word}")
                previous, previous_word = stem, word
    if char_ngrams and lettered:
        for word in lettered:
            if word not in _STOP:
                for name in _char_ngrams(word, char_ngrams):
                    add(name, word)
    return Features(names=tuple(found), surface=found)


def _all_letters(word: str) -> bool:
    """`word` (a run of word characters without "_") holds no digit: regex's [^\\W\\d_]."""
    return word.isalpha() or not any(map(str.isdecimal, word))


@lru_cache(maxsize=16384)
def _char_ngrams(word: str, sizes: tuple[int, int]) -> tuple[str, ...]:
    bounded = f"<{word}>"
    return tuple("c:" + bounded[start : start + size]
                 for size in range(sizes[0], sizes[1] + 1) for start in range(len(bounded) - size + 1))


@lru_cache(maxsize=16384)  # a log repeats its words; a long-running bot sees the same ones again
def _word_feature(word: str) -> str | None:
    if len(word) < 2 or word in _STOP:
        return None
    if not word.isalpha() and any(char.isdigit() for char in word):
        return word if _KEEP_MIXED.match(word) else None  # ids and hashes mean nothing
    return stem(word)


def stem(word: str) -> str:
    """A light stem shared by English and Italian forms: timeouts/timeout, funzione/funzioni."""
    if len(word) <= 3:
        return word
    for suffix, replacement in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", "e"),
                                ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            word = word[: len(word) - len(suffix)] + replacement
            break
    for suffix in ("mente", "zioni", "zione", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: len(word) - len(suffix)] + ("z" if suffix.startswith("zion") else "")
            break
    while len(word) > 4 and word[-1] in "aeiouèéàòùì":
        word = word[:-1]
    return word


def _quantity(number: str, unit: str) -> str | None:
    value = float(number.replace(",", "."))
    unit = unit.lower()
    if unit.startswith("mil") or unit in ("ms", "msec", "ミリ秒", "毫秒"):
        seconds = value * _SECONDS["ms"]
    elif unit.startswith(("s", "秒")):
        seconds = value
    elif unit.startswith("分") or (unit.startswith("m") and not unit.endswith("b")):
        if unit == "m" and value > 120:
            return None  # "512 m" is not minutes
        seconds = value * _SECONDS["m"]
    else:
        key = {"byte": "b", "bytes": "b"}.get(unit, unit)
        size = value * _BYTES.get(key, 1)
        for bound, name in _SIZE_RANGES:
            if size < bound:
                return "size:" + name
        return "size:>10mb"
    for limit, label in _DURATION_RANGES:
        if seconds < limit:
            return "dur:" + label
    return "dur:>15min"
