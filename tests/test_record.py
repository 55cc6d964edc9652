"""bot.core.record.Record: the class collections.namedtuple (and typing.NamedTuple) would make."""

from __future__ import annotations

import collections
import copy
import inspect
import pickle

import pytest

from bot.core.record import Record


class Hit(Record):
    """A signature's hit."""

    name: str
    weight: float = 1.0
    line: str = ""

    def heavy(self) -> bool:
        return self.weight >= 0.8


class One(Record):
    only: int


class Empty(Record):
    pass


REFERENCE = {
    Hit: collections.namedtuple("Hit", ["name", "weight", "line"], defaults=[1.0, ""]),
    One: collections.namedtuple("One", ["only"]),
    Empty: collections.namedtuple("Empty", []),
}


@pytest.mark.parametrize("record", list(REFERENCE), ids=lambda r: r.__name__)
def test_a_record_class_has_what_namedtuple_gives(record):
    reference = REFERENCE[record]
    for attribute in ("_fields", "_field_defaults", "__match_args__", "__slots__"):
        assert getattr(record, attribute) == getattr(reference, attribute), attribute
    assert set(dir(reference)) <= set(dir(record))
    assert str(inspect.signature(record)) == str(inspect.signature(reference))
    assert record.__module__ == __name__ and record.__new__.__qualname__ == f"{record.__name__}.__new__"
    values = tuple(range(len(record._fields)))
    made, expected = record(*values), reference(*values)
    assert made == expected and tuple(made) == values and hash(made) == hash(values)
    assert repr(made) == repr(expected) and made._asdict() == expected._asdict()
    assert record._make(values) == made and pickle.loads(pickle.dumps(made)) == made
    assert copy.deepcopy(made) == made and type(copy.copy(made)) is record
    with pytest.raises(TypeError):
        record(*values, "one too many")
    with pytest.raises(TypeError):
        record._make((*values, "one too many"))
    with pytest.raises(AttributeError):
        made.new_attribute = 1  # __slots__ = ()


def test_defaults_keywords_replace_and_methods_work_as_namedtuples_do():
    hit = Hit("timeout")
    assert (hit.name, hit.weight, hit.line) == ("timeout", 1.0, "")
    assert Hit(name="x", line="l") == ("x", 1.0, "l")
    assert hit._replace(weight=0.5) == ("timeout", 0.5, "") and not hit._replace(weight=0.5).heavy()
    assert hit.heavy() and Hit.__doc__ == "A signature's hit."
    assert Hit.__annotations__ == {"name": "str", "weight": "float", "line": "str"}
    with pytest.raises(ValueError, match="unexpected field names"):
        hit._replace(nope=1)
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'name'"):
        Hit()
    with pytest.raises(TypeError):
        Hit("x", weight=1, name="twice")


def test_what_namedtuple_refuses_is_refused():
    with pytest.raises(TypeError, match="Non-default namedtuple field"):
        class _Late(Record):  # noqa: F841
            first: int = 1
            second: int
    with pytest.raises(AttributeError, match="Cannot overwrite NamedTuple attribute"):
        class _Overwrites(Record):  # noqa: F841
            x: int

            def _asdict(self):
                return {}
    with pytest.raises(ValueError):
        class _Underscore(Record):  # noqa: F841
            _private: int
