"""The per-user cache of checked rulesets (perfrules/cache.py, issue 15): it makes the second
`perfrules eval` skip the parser, and it never becomes a way to run code. Each property the
issue names has its test: owner-only, verified before use, a corrupt or foreign entry ignored
and rebuilt, off with PERFRULES_NO_CACHE."""

from __future__ import annotations

import os
import pickle
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import perfrules
from perfrules import cache
from perfrules.testing import facts

from .conftest import ROOT

RULES = ROOT / "rulesets" / "guangzhou" / "xiezuo-2022.rules"
FACTS = RULES.with_suffix(".facts.toml")


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("PERFRULES_NO_CACHE", raising=False)
    place = tmp_path / "cache"
    monkeypatch.setenv("PERFRULES_CACHE_DIR", str(place))
    return place


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.model"))


def test_a_cached_ruleset_scores_as_a_freshly_parsed_one_without_the_parser(folder: Path) -> None:
    fresh = perfrules.load(RULES)
    perfrules.load(RULES, cache=True)  # parsed, checked, stored
    assert len(_entries(folder)) == 1
    again = perfrules.load(RULES, cache=True)  # read back
    assert again.evaluate(FACTS).to_json() == fresh.evaluate(FACTS).to_json()
    # the published total of this ruleset's report: 97.21 (its cases file)
    assert str(again.evaluate(FACTS).total) == "97.21"
    # and in a new process, the second command never imports lark: the cache saved the parse
    env = {**os.environ, "PERFRULES_CACHE_DIR": str(folder)}
    code = ("import sys\nfrom perfrules.cli import main\n"
            f"status = main(['eval', {str(RULES)!r}, {str(FACTS)!r}])\n"
            "print('lark' in sys.modules, status, file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert done.stderr.strip().splitlines()[-1] == "False 0"
    assert "97.21" in done.stdout


def test_the_folder_and_its_files_are_owner_only(folder: Path) -> None:
    perfrules.load(RULES, cache=True)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_a_folder_others_can_write_to_is_not_used(folder: Path) -> None:
    folder.mkdir(mode=0o777)
    folder.chmod(0o777)
    perfrules.load(RULES, cache=True)
    assert list(folder.iterdir()) == []  # nothing written
    folder.chmod(0o700)
    perfrules.load(RULES, cache=True)
    assert len(_entries(folder)) == 1


def test_an_entry_that_does_not_verify_is_never_unpickled_and_is_rebuilt(folder: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    perfrules.load(RULES, cache=True)
    [entry] = _entries(folder)
    good = entry.read_bytes()
    unpickled = []
    original = cache._OwnClasses.load

    def spy(self: pickle.Unpickler) -> object:
        unpickled.append(1)
        return original(self)

    monkeypatch.setattr(cache._OwnClasses, "load", spy)
    # corrupt: one byte of the pickle flipped; truncated; and foreign: a pickle that would run
    # code when loaded, signed with some other key
    evil = pickle.dumps(print)  # a stand-in for any callable an attacker would name
    import hashlib
    import hmac

    foreign = hmac.new(b"k" * 32, evil, hashlib.sha256).digest() + evil
    for bad in (good[:-1] + bytes([good[-1] ^ 1]), good[:40], foreign, b""):
        entry.write_bytes(bad)
        loaded = perfrules.load(RULES, cache=True)
        assert str(loaded.evaluate(FACTS).total) == "97.21"
        assert unpickled == []  # the signature failed before anything was read
        assert entry.read_bytes() == good  # rebuilt: the same model, signed again
    # a correctly signed entry is read (and only then unpickled)
    perfrules.load(RULES, cache=True)
    assert unpickled == [1]


def test_even_a_signed_entry_builds_only_the_models_classes(folder: Path) -> None:
    perfrules.load(RULES, cache=True)

    key = (folder / "key").read_bytes()
    evil = pickle.dumps(os.system)
    [entry] = _entries(folder)
    entry.write_bytes(cache._signature(key, entry.name, evil) + evil)
    assert cache.load(str(RULES), perfrules.load(RULES).model.source.sha256) is None


def test_perfrules_no_cache_reads_and_writes_nothing(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PERFRULES_NO_CACHE", "1")
    perfrules.load(RULES, cache=True)
    assert not folder.exists()
    assert cache.directory() is None


def test_the_library_does_not_cache_unless_asked(folder: Path) -> None:
    perfrules.load(RULES)
    assert not folder.exists()


def test_a_model_entry_copied_over_another_rule_file_s_is_not_read(folder: Path) -> None:
    other = ROOT / "rulesets" / "hunan" / "dept-overall.rules"
    perfrules.load(RULES, cache=True)
    [entry] = _entries(folder)
    perfrules.load(other, cache=True)
    [elsewhere] = [e for e in _entries(folder) if e != entry]
    entry.write_bytes(elsewhere.read_bytes())  # signed, but for the other file's name
    again = perfrules.load(RULES, cache=True)
    assert again.model.source.text == RULES.read_text(encoding="utf-8")
    assert str(again.evaluate(FACTS).total) == "97.21"


def test_another_rule_file_or_an_edit_is_another_entry(folder: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.rules"
    copy.write_bytes(RULES.read_bytes())
    perfrules.load(copy, cache=True)
    copy.write_bytes(RULES.read_bytes().replace(b"version", b"version", 1) + b"\n# edited\n")
    edited = perfrules.load(copy, cache=True)
    assert len(_entries(folder)) == 2
    assert edited.model.source.text.endswith("# edited\n")


def test_no_home_folder_means_no_cache_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PERFRULES_NO_CACHE", "PERFRULES_CACHE_DIR", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    assert cache.directory() is None
    assert str(perfrules.load(RULES, cache=True).evaluate(FACTS).total) == "97.21"


def _code_entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.code"))


def test_the_evaluator_s_bytecode_is_kept_and_compiled_only_once(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    perfrules.load(RULES, cache=True)
    assert len(_code_entries(folder)) == 1
    from perfrules.backend import compile as backend

    compiled: list[str] = []
    original = backend.code_object

    def spy(text: str) -> object:
        compiled.append(text)
        return original(text)

    monkeypatch.setattr(backend, "code_object", spy)
    again = perfrules.load(RULES, cache=True)
    assert compiled == []
    assert str(again.evaluate(FACTS).total) == "97.21"  # the published total (its cases file)


def test_a_code_entry_that_does_not_verify_or_is_not_the_evaluator_s_is_ignored_and_rebuilt(folder: Path) -> None:
    import hashlib
    import hmac
    import marshal

    perfrules.load(RULES, cache=True)
    [entry] = _code_entries(folder)
    good = entry.read_bytes()
    key = (folder / "key").read_bytes()

    def signed(payload: bytes, with_key: bytes = key) -> bytes:
        return cache._signature(with_key, entry.name, payload) + payload

    # another ruleset's evaluator, signed for its own name (a copy over this one's)
    perfrules.load(ROOT / "rulesets" / "hunan" / "dept-overall.rules", cache=True)
    [elsewhere] = [e for e in _code_entries(folder) if e != entry]
    # a program that would print, compiled under another file name: signed, but not an evaluator
    other = marshal.dumps(compile("print('ran')", "<elsewhere>", "exec"))
    for bad in (good[:-1] + bytes([good[-1] ^ 1]), good[:40], b"",
                signed(good[32:], b"k" * 32),  # signed with some other key
                hmac.new(key, good[32:], hashlib.sha256).digest() + good[32:],  # its contents alone
                elsewhere.read_bytes(),
                signed(marshal.dumps((1, 2))), signed(other)):
        entry.write_bytes(bad)
        loaded = perfrules.load(RULES, cache=True)
        assert str(loaded.evaluate(FACTS).total) == "97.21"
        again = entry.read_bytes()  # compiled again and signed again (marshal's bytes may differ)
        assert again == signed(again[32:])
        assert marshal.loads(again[32:]) == marshal.loads(good[32:])


_RULE_FILES = sorted((ROOT / "rulesets").rglob("*.rules"))
_FROM_THE_CACHE: dict[Path, perfrules.Ruleset] = {}


def _read_back(path: Path) -> perfrules.Ruleset:
    """The ruleset as a second command gets it: its model and its evaluator's bytecode read from a
    cache that a first load filled (made once per file, in a folder of its own)."""
    if path not in _FROM_THE_CACHE:
        import tempfile
        from unittest import mock

        folder = Path(tempfile.mkdtemp()) / "cache"
        with mock.patch.dict(os.environ, {"PERFRULES_CACHE_DIR": str(folder)}):
            os.environ.pop("PERFRULES_NO_CACHE", None)
            perfrules.load(path, cache=True)
            assert _entries(folder), path  # a model entry was written, so the next load reads it
            _FROM_THE_CACHE[path] = perfrules.load(path, cache=True)
    return _FROM_THE_CACHE[path]


def _scored(ruleset: perfrules.Ruleset, facts: dict[str, object]) -> object:
    try:
        return ruleset.evaluate(facts).to_json()
    except (perfrules.FactsError, perfrules.EvaluationError) as exc:
        return [str(d) for d in exc.diagnostics]


@pytest.mark.parametrize("path", _RULE_FILES, ids=lambda p: p.name)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_ruleset_read_from_the_cache_scores_as_a_freshly_parsed_one(path: Path, data: st.DataObject) -> None:
    fresh = perfrules.load(path)
    drawn = data.draw(facts(fresh))
    assert _scored(_read_back(path), drawn) == _scored(fresh, drawn)
