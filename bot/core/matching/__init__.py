"""Recognising failure modes in a paste: normalising it, the signatures and their required
literals, fuzzy literals, runtime clues, HTTP replies pasted or described, and the ranking
(matcher.py) that joins them with the prose layer."""
