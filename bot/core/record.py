"""`Record`: `typing.NamedTuple` for the type checker, built without its annotation checks.

typing.NamedTuple turns every field's annotation into a ForwardRef and compiles it (they are
strings here, `from __future__ import annotations`): about 130 microseconds a class, and the
records on `diagnose`'s path are thirty. At run time `Record` makes the same class with
collections.namedtuple, keeps the annotations as written, and refuses what NamedTuple refuses.
Use it exactly as NamedTuple: `class Hit(Record): name: str; weight: float = 1.0`.
"""

from __future__ import annotations

import collections

TYPE_CHECKING = False  # typing costs milliseconds to import: for the type checker only
if TYPE_CHECKING:
    from typing import Any
    from typing import NamedTuple as Record
else:
    # As typing.NamedTupleMeta: these belong to the tuple class, or cannot be set on one.
    _PROHIBITED = frozenset({"__new__", "__init__", "__slots__", "__getnewargs__", "_fields",
                             "_field_defaults", "_make", "_replace", "_asdict", "_source"})
    _SPECIAL = frozenset({"__module__", "__name__", "__annotations__"})

    class _RecordMeta(type):
        def __new__(mcs, name: str, bases: tuple, namespace: dict[str, Any]):  # noqa: N804
            if not bases:  # Record itself
                return super().__new__(mcs, name, bases, namespace)
            annotations = namespace.get("__annotations__", {})
            defaults = []
            for field in annotations:
                if field in namespace:
                    defaults.append(namespace[field])
                elif defaults:
                    raise TypeError(f"Non-default namedtuple field {field} cannot follow default field")
            record = collections.namedtuple(name, list(annotations), defaults=defaults,
                                            module=namespace.get("__module__"))
            record.__annotations__ = dict(annotations)
            for key, value in namespace.items():
                if key in _PROHIBITED:
                    raise AttributeError(f"Cannot overwrite NamedTuple attribute {key}")
                if key not in _SPECIAL and key not in annotations:
                    setattr(record, key, value)
            return record

    class Record(metaclass=_RecordMeta):
        """Subclass it as typing.NamedTuple; the subclass is a namedtuple, not a Record."""
