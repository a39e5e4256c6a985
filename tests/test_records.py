"""perfrules.records: the frozen classes a cached eval loads, made without attrs (issue 15, target 5).

Each property below is what attrs.frozen gives the same class; the last test holds records to
attrs itself, class shape by class shape."""

from __future__ import annotations

import copy
import os
import pickle
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfrules import records
from perfrules.records import FrozenInstanceError


@records.record
class Point:
    x: int
    y: int = 0
    label: str = records.field(default="", eq=False, repr=False)
    tags: list[str] = records.field(factory=list)


@records.record
class Labelled(Point):
    name: str = "p"


@records.record(cache_hash=True)
class Key:
    parts: tuple[str, ...]
    _seen: dict[str, int] = records.field(init=False, factory=dict, eq=False, repr=False)


def test_fields_in_order_base_first_with_defaults_and_a_fresh_factory_value_each_time() -> None:
    assert [f.name for f in records.fields(Labelled)] == ["x", "y", "label", "tags", "name"]
    a, b = Point(1), Point(1)
    assert (a.x, a.y, a.label, a.tags) == (1, 0, "", [])
    assert a.tags is not b.tags
    assert Labelled(1, 2, "l", ["t"], "n").name == "n"
    assert Key(("a",))._seen == {}


def test_a_missing_or_unknown_argument_is_a_type_error_as_for_any_class() -> None:
    with pytest.raises(TypeError):
        Point()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Point(1, z=2)  # type: ignore[call-arg]


def test_equal_on_the_eq_fields_of_the_same_class_only() -> None:
    assert Point(1, 2, label="a") == Point(1, 2, label="b")  # label: eq=False
    assert Point(1, 2) != Point(1, 3)
    assert Point(1, 2, tags=["t"]) != Point(1, 2)
    assert Labelled(1, 2) != Point(1, 2)  # same first fields, another class
    assert Key(("a", "b")) == Key(("a", "b"))
    assert hash(Key(("a", "b"))) == hash(Key(("a", "b")))
    assert {Key(("a",)): 1}[Key(("a",))] == 1


def test_frozen() -> None:
    point = Point(1)
    with pytest.raises(FrozenInstanceError):
        point.x = 2  # type: ignore[misc]
    with pytest.raises(AttributeError):  # as attrs' FrozenInstanceError, an AttributeError
        del point.y
    assert point.x == 1


def test_repr_names_the_shown_fields() -> None:
    assert repr(Point(1, 2, label="hidden", tags=["t"])) == "Point(x=1, y=2, tags=['t'])"
    assert repr(Key(("a",))) == "Key(parts=('a',))"


def test_pickle_and_copy_keep_every_field() -> None:
    point = Labelled(1, 2, "l", ["t"], "n")
    for again in (pickle.loads(pickle.dumps(point, protocol=pickle.HIGHEST_PROTOCOL)), copy.deepcopy(point)):
        assert again == point
        assert again.label == "l"  # eq=False, but kept
        assert type(again) is Labelled


@records.record
class Wider(Key):
    more: int = 0


def test_a_subclass_of_a_record_that_keeps_its_hash_keeps_it_too() -> None:
    wide = Wider(("a",), 1)
    assert hash(wide) == hash(Wider(("a",), 1))
    assert hash(pickle.loads(pickle.dumps(wide))) == hash(wide)


def test_a_cached_hash_is_not_carried_to_another_process() -> None:
    # str hashes differ between processes (PYTHONHASHSEED): a hash pickled with the key would be stale
    code = ("import pickle, sys\nfrom tests.test_records import Key\nkey = Key(('a',))\nhash(key)\n"
            "sys.stdout.write(pickle.dumps(key).hex())")
    env = {**os.environ, "PYTHONHASHSEED": "1"}
    made = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env,
                          cwd=Path(__file__).resolve().parents[1])
    key = pickle.loads(bytes.fromhex(made.stdout))
    assert hash(key) == hash(Key(("a",)))
    assert {Key(("a",)): 1}[key] == 1


def test_an_instance_pickled_when_its_class_was_an_attrs_class_is_restored_by_name() -> None:
    @attrs.frozen
    class Before:
        x: int
        y: int = 0
        label: str = attrs.field(default="", eq=False, repr=False)
        tags: list[str] = attrs.field(factory=list)

    state = Before(1, 2, "l", ["t"]).__getstate__()  # what a pickle of perfrules before records holds
    point: Any = Point.__new__(Point)
    point.__setstate__(state)
    assert (point.x, point.y, point.label, point.tags) == (1, 2, "l", ["t"])
    with pytest.raises(TypeError, match="z"):
        Point.__new__(Point).__setstate__({"z": 1})  # type: ignore[attr-defined]


def test_evolve_changes_the_named_fields_only() -> None:
    point = Point(1, 2, label="l", tags=["t"])
    moved = records.evolve(point, y=5)
    assert (moved.x, moved.y, moved.label, moved.tags) == (1, 5, "l", ["t"])
    assert point.y == 2
    with pytest.raises(TypeError, match="z"):
        records.evolve(point, z=1)


def test_a_record_can_be_weakly_referenced_as_an_attrs_instance_can() -> None:
    import weakref

    point, labelled = Point(1), Labelled(1)  # the subclass inherits the base's slot
    assert weakref.ref(point)() is point
    assert weakref.ref(labelled)() is labelled


def test_has_and_fields_tell_records_from_other_classes() -> None:
    assert records.has(Point)
    assert not records.has(int)
    assert [f.name for f in records.fields(Key)] == ["parts", "_seen"]

    class Plain(Point):  # a plain subclass of a record, as attrs.has says of attrs classes
        pass

    assert records.has(Plain)
    assert records.fields(Plain) == records.fields(Point)
    with pytest.raises(TypeError):
        records.fields(int)


def test_what_attrs_refuses_is_refused_when_the_class_is_made() -> None:
    with pytest.raises(TypeError, match="without a default after"):
        @records.record
        class Late:
            a: int = 0
            b: int  # type: ignore[misc]

    with pytest.raises(TypeError, match="needs a default"):
        @records.record
        class Unset:
            a: int = records.field(init=False)

    with pytest.raises(TypeError, match="not both"):
        @records.record
        class Both:
            a: list[int] = records.field(default=[], factory=list)


def test_super_in_a_record_s_method_finds_the_record_class() -> None:
    @records.record
    class Named:
        name: str

        def __repr__(self) -> str:
            return "Named:" + super().__repr__()[:1]

    assert repr(Named("x")) == "Named:<"  # object.__repr__, reached through the class _make made


def test_the_first_instances_made_at_once_in_several_threads_are_all_whole() -> None:
    # a class's __init__ is compiled on its first call: threads making the first instances together
    # (a Ruleset read from the cache, shared between threads) must each get a whole instance
    import threading

    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        for _ in range(100):
            @records.record
            class Base:
                a: int
                b: int = 0

            @records.record
            class Sub(Base):
                c: int = 0

            start = threading.Barrier(6)
            made: list[Any] = []

            def make(start: threading.Barrier, made: list[Any], cls: type[Sub]) -> None:
                start.wait()
                made.append(cls(1, 2, 3))

            threads = [threading.Thread(target=make, args=(start, made, Sub)) for _ in range(6)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert [(s.a, s.b, s.c) for s in made] == [(1, 2, 3)] * 6
    finally:
        sys.setswitchinterval(switch)


def test_a_class_keeps_the_methods_it_writes() -> None:
    @records.record
    class Shouting:
        word: str

        def __repr__(self) -> str:
            return self.word.upper()

    assert repr(Shouting("hi")) == "HI"


_VALUES = st.one_of(st.integers(-3, 3), st.sampled_from(["", "a", "预算"]),
                    st.sampled_from([Decimal("1.0"), Decimal("1"), Decimal("-0.5")]), st.none())


@settings(max_examples=150, deadline=None)
@given(
    shape=st.lists(st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=5),  # (eq, repr) per field
    values=st.lists(st.tuples(_VALUES, _VALUES), min_size=5, max_size=5),
    changed=st.integers(0, 4),
    new=_VALUES,
)
def test_records_agree_with_attrs_on_equality_hash_repr_and_evolve(
    shape: list[tuple[bool, bool]], values: list[tuple[Any, Any]], changed: int, new: Any,
) -> None:
    names = [f"f{i}" for i in range(len(shape))]

    def made(make: Any, field: Any) -> type:
        namespace: dict[str, Any] = {"__annotations__": dict.fromkeys(names, "Any")}
        for name, (eq, shown) in zip(names, shape, strict=True):
            namespace[name] = field(eq=eq, repr=shown)
        return make(type("Shape", (), namespace))  # type: ignore[no-any-return]

    ours, theirs = made(records.record, records.field), made(attrs.frozen, attrs.field)
    firsts = [v for v, _ in values[: len(names)]]
    seconds = [w for _, w in values[: len(names)]]
    a, b, c, d = ours(*firsts), ours(*seconds), theirs(*firsts), theirs(*seconds)
    assert (a == b) == (c == d)
    if a == b:
        assert hash(a) == hash(b)
    assert repr(a) == repr(c)
    which = names[changed % len(names)]
    assert repr(records.evolve(a, **{which: new})) == repr(attrs.evolve(c, **{which: new}))
