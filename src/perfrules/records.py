"""Frozen record classes for what a cached `perfrules eval` loads: the checked model, the
result, the facts, sources and spans.

`@record` is a small stand-in for `attrs.frozen`, kept for start-up time (issue 15, target 5).
attrs makes these classes well, but at a price paid on every command: importing attrs took
~30 ms and making a class ~0.8 ms (attrs compiles each class's methods when the class is
made), and a cached eval made 57 of them, which was most of a 157 ms command. A record shares
its equality, hash, repr and pickling with every other record, and compiles its `__init__` on
the first call (unpickling a cached model calls none). The parser's syntax tree and the tools,
which a cached eval never imports, stay attrs classes.

The subset of attrs kept, with attrs' meaning: fields in annotation order (a base class's
first), plain defaults, `field(default=, factory=, init=, eq=, repr=)`, `__slots__`,
instances that cannot be changed (`FrozenInstanceError`), equality of the same class on the
`eq` fields, a hash of those (`cache_hash=True` keeps it), `evolve`, `fields`, pickling, weak
references, `super()` in methods. Unlike attrs, a field's `__init__` parameter keeps a leading
underscore, and `help()` shows the `__init__` of a class that has made no instance yet as
`(*args, **kwargs)`.
"""

from __future__ import annotations

import operator
import threading
from collections.abc import Callable
from typing import Any, TypeVar, dataclass_transform, overload

_T = TypeVar("_T")
_C = TypeVar("_C", bound=type)


class FrozenInstanceError(AttributeError):
    """A record cannot be changed: make a new one with `evolve`."""


class _Nothing:
    def __repr__(self) -> str:
        return "NOTHING"


NOTHING: Any = _Nothing()


class Field:
    """How one field is made (`field(...)`), and after `@record`, its name."""

    __slots__ = ("default", "eq", "factory", "init", "name", "repr")

    def __init__(self, default: Any, factory: Callable[[], Any] | None, init: bool, eq: bool, repr: bool) -> None:
        self.name = ""
        self.default = default
        self.factory = factory
        self.init = init
        self.eq = eq
        self.repr = repr

    def __repr__(self) -> str:
        return (f"Field(name={self.name!r}, default={self.default!r}, factory={self.factory!r}, "
                f"init={self.init}, eq={self.eq}, repr={self.repr})")

    def named(self, name: str) -> Field:
        made = Field(self.default, self.factory, self.init, self.eq, self.repr)
        made.name = name
        return made


def field(
    *,
    default: Any = NOTHING,
    factory: Callable[[], Any] | None = None,
    init: bool = True,
    eq: bool = True,
    repr: bool = True,
) -> Any:
    """A field with a default (or a factory for one), left out of `__init__`, of equality or of repr."""
    return Field(default, factory, init, eq, repr)


@overload
def record(cls: _C, /) -> _C: ...
@overload
def record(*, init: bool = True, cache_hash: bool = False) -> Callable[[_C], _C]: ...
@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(cls: Any = None, /, *, init: bool = True, cache_hash: bool = False) -> Any:
    """Make `cls` a frozen record; `init=False` keeps the class's own `__init__` (which sets the
    fields with `object.__setattr__`), `cache_hash=True` computes the hash once."""

    def make(cls: type) -> type:
        return _make(cls, init, cache_hash)

    return make if cls is None else make(cls)


def fields(cls: type) -> tuple[Field, ...]:
    """The fields of a record class, in order."""
    found: tuple[Field, ...] | None = getattr(cls, "__record_fields__", None) if isinstance(cls, type) else None
    if found is None:
        raise TypeError(f"{cls!r} is not a record class")
    return found


def has(cls: type) -> bool:
    """Is `cls` a record class (or a subclass of one)?"""
    return isinstance(cls, type) and hasattr(cls, "__record_fields__")


def evolve(instance: _T, **changes: Any) -> _T:
    """A copy of a record with some fields changed (like `attrs.evolve`)."""
    cls = type(instance)
    values = {f.name: getattr(instance, f.name) for f in fields(cls) if f.init}
    unknown = changes.keys() - values.keys()
    if unknown:
        raise TypeError(f"{cls.__name__} has no field to change named {sorted(unknown)}")
    values.update(changes)
    made: _T = cls(**values)
    return made


def _make(cls: type, init: bool, cache_hash: bool) -> type:
    inherited: dict[str, Field] = {}
    for base in reversed(cls.__mro__[1:]):
        for f in base.__dict__.get("__record_fields__", ()):
            inherited[f.name] = f
    namespace = dict(cls.__dict__)
    own: list[Field] = []
    annotations = cls.__dict__.get("__annotations__")  # noqa: RUF063 (inspect costs ~3 ms to import)
    if annotations is None and "__annotate__" in cls.__dict__:  # Python 3.14 without the import below
        raise TypeError(f"{cls.__qualname__}: a record's module starts with `from __future__ import annotations`")
    for name, annotation in (annotations or {}).items():
        if str(annotation).startswith(("ClassVar", "typing.ClassVar", "t.ClassVar", "typing_extensions.ClassVar")):
            continue
        given = namespace.pop(name, NOTHING)
        spec = given if isinstance(given, Field) else Field(given, None, True, True, True)
        own.append(spec.named(name))
        inherited.pop(name, None)
    every = (*inherited.values(), *own)
    _check(cls, every)
    for name in ("__dict__", "__weakref__"):
        namespace.pop(name, None)
    weakref_slot = () if any(base.__weakrefoffset__ for base in cls.__bases__) else ("__weakref__",)  # as attrs
    namespace["__slots__"] = tuple(f.name for f in own) + (("_record_hash",) if cache_hash else ()) + weakref_slot
    namespace["__record_fields__"] = every
    namespace["__match_args__"] = tuple(f.name for f in every if f.init)
    compared = tuple(f.name for f in every if f.eq)
    # attrgetter of one name returns the value, not a 1-tuple: add a name that is always there
    namespace["_record_key"] = operator.attrgetter("__class__", *compared)
    namespace["_record_shown"] = tuple(f.name for f in every if f.repr)
    shared: dict[str, Callable[..., Any]] = {**_SHARED, "__hash__": _cached_hash if cache_hash else _hash}
    for name, method in shared.items():
        if name not in cls.__dict__:
            namespace[name] = method
    made = type(cls)(cls.__name__, cls.__bases__, namespace)
    made.__qualname__ = cls.__qualname__
    if init and "__init__" not in cls.__dict__:
        type.__setattr__(made, "__init__", _first_init(made))
    _point_class_cells(cls, made)
    return made


def _check(cls: type, every: tuple[Field, ...]) -> None:
    """What attrs refuses when a class is made, refused then too (not at its first instance)."""
    defaulted = None
    for f in every:
        if f.default is not NOTHING and f.factory is not None:
            raise TypeError(f"{cls.__qualname__}.{f.name}: a default or a factory, not both")
        has_default = f.default is not NOTHING or f.factory is not None
        if not f.init:
            if not has_default:
                raise TypeError(f"{cls.__qualname__}.{f.name}: a field left out of __init__ needs a default")
        elif has_default:
            defaulted = f.name
        elif defaulted is not None:
            raise TypeError(f"{cls.__qualname__}.{f.name}: a field without a default after {defaulted}, which has one")


def _point_class_cells(old: type, new: type) -> None:
    """A method that uses `super()` or `__class__` closes over the class it was written in: point it
    at the class `_make` made instead (as attrs does for its slotted classes)."""
    for value in new.__dict__.values():
        function = getattr(value, "__func__", value)  # classmethod, staticmethod
        if isinstance(value, property):
            function = value.fget
        for cell in getattr(function, "__closure__", None) or ():
            try:
                if cell.cell_contents is old:
                    cell.cell_contents = new
            except ValueError:  # an empty cell
                continue


_COMPILING = threading.Lock()


def _first_init(cls: type) -> Callable[..., None]:
    """The class's `__init__` until its first instance: it compiles the real one, puts it on the
    class and calls it. Most classes a cached eval loads are only unpickled, and never pay."""

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        made = cls.__dict__["__init__"]
        if made is __init__:
            with _COMPILING:  # two threads making the first two instances compile it once
                made = cls.__dict__["__init__"]
                if made is __init__:
                    made = _compiled_init(cls)
                    type.__setattr__(cls, "__init__", made)
        made(self, *args, **kwargs)

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    return __init__


def _compiled_init(cls: type) -> Callable[..., None]:
    every: tuple[Field, ...] = cls.__dict__["__record_fields__"]
    env: dict[str, Any] = {"_set": object.__setattr__, "NOTHING": NOTHING}
    params, body = ["self"], []
    for i, f in enumerate(every):
        if f.default is not NOTHING:
            env[f"_default_{i}"] = f.default
        if f.factory is not None:
            env[f"_factory_{i}"] = f.factory
        if not f.init:
            value = f"_factory_{i}()" if f.factory is not None else f"_default_{i}"
        elif f.factory is not None:
            params.append(f"{f.name}=NOTHING")
            value = f"_factory_{i}() if {f.name} is NOTHING else {f.name}"
        else:
            params.append(f.name if f.default is NOTHING else f"{f.name}=_default_{i}")
            value = f.name
        body.append(f"    _set(self, {f.name!r}, {value})")
    if hasattr(cls, "_record_hash"):  # cache_hash, here or in a base: the slot starts empty
        body.append("    _set(self, '_record_hash', None)")
    source = f"def __init__({', '.join(params)}):\n" + ("\n".join(body) or "    pass") + "\n"
    exec(compile(source, f"<record {cls.__qualname__}>", "exec"), env)
    made: Callable[..., None] = env["__init__"]
    made.__qualname__ = f"{cls.__qualname__}.__init__"
    return made


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is not self.__class__:
        return NotImplemented
    key: Any = self._record_key
    return bool(key(self) == key(other))


def _ne(self: Any, other: Any) -> Any:
    equal = _eq(self, other)
    return equal if equal is NotImplemented else not equal


def _hash(self: Any) -> int:
    return hash(self._record_key(self))


def _cached_hash(self: Any) -> int:
    found: int | None = self._record_hash
    if found is None:
        found = hash(self._record_key(self))
        object.__setattr__(self, "_record_hash", found)
    return found


def _repr(self: Any) -> str:
    shown = ", ".join(f"{name}={getattr(self, name, NOTHING)!r}" for name in self._record_shown)
    return f"{type(self).__qualname__.rsplit('>.', 1)[-1]}({shown})"


def _setattr(self: Any, name: str, value: Any) -> None:
    raise FrozenInstanceError(f"a {type(self).__name__} cannot be changed: make a new one with evolve")


def _delattr(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"a {type(self).__name__} cannot be changed: make a new one with evolve")


def _getstate(self: Any) -> tuple[Any, ...]:
    return tuple(getattr(self, f.name, NOTHING) for f in type(self).__record_fields__)


def _setstate(self: Any, state: tuple[Any, ...] | dict[str, Any]) -> None:
    every = type(self).__record_fields__
    if isinstance(state, dict):  # pickled when the class was an attrs class (perfrules before records)
        named = {f.name for f in every}
        for name, value in state.items():
            if name not in named:
                raise TypeError(f"{type(self).__name__} has no field {name!r} to restore")
            object.__setattr__(self, name, value)
    else:
        for f, value in zip(every, state, strict=True):
            if value is not NOTHING:
                object.__setattr__(self, f.name, value)
    if hasattr(type(self), "_record_hash"):
        object.__setattr__(self, "_record_hash", None)


# What every record shares, unless its class writes its own (as attrs leaves a method the class
# defines).
_SHARED: dict[str, Callable[..., Any]] = {
    "__eq__": _eq, "__ne__": _ne, "__repr__": _repr, "__setattr__": _setattr, "__delattr__": _delattr,
    "__getstate__": _getstate, "__setstate__": _setstate,
}
