"""`Record`: `typing.NamedTuple` for the type checker, built without its annotation checks.

typing.NamedTuple turns every field's annotation into a ForwardRef and compiles it (they are
strings here, `from __future__ import annotations`): about 130 microseconds a class, and the
records on `diagnose`'s path are thirty. At run time `Record` makes the same class as
collections.namedtuple, keeps the annotations as written, and refuses what NamedTuple refuses.
collections.namedtuple compiles each class's `__new__` from source (`eval`), half of its 75-130
microseconds; `_named_tuple` builds the same class with `__new__` made from one code object per
number of fields, its argument names replaced (tests/test_record.py holds it to namedtuple's).
Use it exactly as NamedTuple: `class Hit(Record): name: str; weight: float = 1.0`.
"""

from __future__ import annotations

import collections
import keyword
import types
from operator import itemgetter

try:
    from _collections import _tuplegetter
except ImportError:  # another interpreter: what collections itself falls back to
    def _tuplegetter(index, doc):  # type: ignore[no-untyped-def]
        return property(itemgetter(index), doc=doc)

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
            record = _named_tuple(name, tuple(annotations), tuple(defaults), namespace.get("__module__"))
            record.__annotations__ = dict(annotations)
            for key, value in namespace.items():
                if key in _PROHIBITED:
                    raise AttributeError(f"Cannot overwrite NamedTuple attribute {key}")
                if key not in _SPECIAL and key not in annotations:
                    setattr(record, key, value)
            return record

    class Record(metaclass=_RecordMeta):
        """Subclass it as typing.NamedTuple; the subclass is a namedtuple, not a Record."""

    _NEW_CODE: dict[int, Any] = {}  # number of fields -> code of `lambda _cls, ...: tuple.__new__`

    def _new_code(fields: tuple[str, ...]) -> Any:
        template = _NEW_CODE.get(len(fields))
        if template is None:
            names = [f"_{index}" for index in range(len(fields))]
            arguments = ", ".join(names)
            made = eval(f"lambda _cls, {arguments}: _tuple_new(_cls, ({arguments}{',' if len(names) == 1 else ''}))",
                        {"_tuple_new": tuple.__new__, "__builtins__": {}})
            template = _NEW_CODE[len(fields)] = made.__code__
        return template.replace(co_varnames=("_cls", *fields), co_name="__new__")

    def _named_tuple(name: str, fields: tuple[str, ...], defaults: tuple[Any, ...], module: str | None) -> type:
        """collections.namedtuple(name, fields, defaults=defaults, module=module), as it builds it."""
        if len(set(fields)) != len(fields) or any(
            not f.isidentifier() or keyword.iskeyword(f) or f.startswith("_") for f in fields
        ):
            return collections.namedtuple(name, fields, defaults=defaults, module=module)  # its own errors
        new = types.FunctionType(_new_code(fields), {"_tuple_new": tuple.__new__, "__builtins__": {}},
                                 "__new__", defaults or None)
        arguments = ", ".join(fields)
        new.__doc__ = f"Create new instance of {name}({arguments})"
        count = len(fields)
        shown = "(" + ", ".join(f"{f}=%r" for f in fields) + ")"

        @classmethod  # type: ignore[misc]
        def _make(cls, iterable):  # type: ignore[no-untyped-def]
            result = tuple.__new__(cls, iterable)
            if len(result) != count:
                raise TypeError(f"Expected {count} arguments, got {len(result)}")
            return result

        _make.__func__.__doc__ = f"Make a new {name} object from a sequence or iterable"

        def _replace(self, /, **changes):  # type: ignore[no-untyped-def]
            result = self._make(map(changes.pop, fields, self))
            if changes:
                raise ValueError(f"Got unexpected field names: {list(changes)!r}")
            return result

        _replace.__doc__ = f"Return a new {name} object replacing specified fields with new values"

        def __repr__(self):  # type: ignore[no-untyped-def]
            "Return a nicely formatted representation string"
            return self.__class__.__name__ + shown % self

        def _asdict(self):  # type: ignore[no-untyped-def]
            "Return a new dict which maps field names to their values."
            return dict(zip(self._fields, self, strict=True))

        def __getnewargs__(self):  # type: ignore[no-untyped-def]
            "Return self as a plain tuple.  Used by copy and pickle."
            return tuple(self)

        for method in (new, _make.__func__, _replace, __repr__, _asdict, __getnewargs__):
            method.__qualname__ = f"{name}.{method.__name__}"
        body: dict[str, Any] = {
            "__doc__": f"{name}({arguments})", "__slots__": (), "_fields": fields,
            "_field_defaults": dict(zip(fields[count - len(defaults):], defaults, strict=True)) if defaults else {},
            "__new__": new, "_make": _make, "_replace": _replace, "__repr__": __repr__,
            "_asdict": _asdict, "__getnewargs__": __getnewargs__, "__match_args__": fields,
        }
        for index, field in enumerate(fields):
            body[field] = _tuplegetter(index, f"Alias for field number {index}")
        record = type(name, (tuple,), body)
        record.__module__ = module if module is not None else "__main__"
        return record
