"""A per-user cache of checked rulesets, so that `perfrules eval` need not parse its rule file
again (issue 15: most of a command's time was importing lark and parsing).

A `.model` entry is the checked model of one rule file, pickled, under a key made of the file's
name, its SHA-256, the engine's version and the engine's own source files. A `.code` entry is
the bytecode of one generated evaluator, as `__pycache__` keeps a module's, under a key made of
the generated text, the engine and the exact Python. The cache never becomes a way to run code
that perfrules did not write:

- the cache lives in a per-user directory (PERFRULES_CACHE_DIR, else $XDG_CACHE_HOME/perfrules,
  else ~/.cache/perfrules) created owner-only (0700); a directory that others can write, or
  that another user owns, is not used;
- each entry is signed, its name with its contents, with HMAC-SHA256 under a random key kept in
  that directory (0600), and is read only when the signature verifies (an entry copied over
  another's name does not); a model is then unpickled by an unpickler that builds the model's
  own classes and Decimals and nothing else, and a code entry must be a code object of the
  evaluator's file name. Only perfrules, writing what it compiled, uses the key: whoever could
  sign a code entry of their own could already run code as you (they can write your home folder);
- an entry that does not verify (corrupt, truncated, foreign, from another engine) is ignored
  and written anew;
- PERFRULES_NO_CACHE (any value) turns the cache off: nothing is read or written.

Any failure of the cache itself (a full disk, a read-only home) is silent: the rules are then
loaded as without it.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import marshal
import os
import pickle
import stat
import sys
from pathlib import Path
from types import CodeType
from typing import Any

from perfrules.semantics import model

_KEY_FILE = "key"
_MAC_SIZE = 32
# What a checked model is made of: the model's classes, sources and spans, and Decimals.
_ALLOWED_MODULES = frozenset({"perfrules.semantics.model", "perfrules.source"})


def directory() -> Path | None:
    """The cache directory, or None when the cache is off."""
    if os.environ.get("PERFRULES_NO_CACHE") is not None:
        return None
    chosen = os.environ.get("PERFRULES_CACHE_DIR")
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except (RuntimeError, KeyError):  # no home folder (a service account): no cache
            return None
    return Path(base) / "perfrules"


def load(name: str, sha256: str) -> model.CheckedRuleset | None:
    """The checked model cached for this rule file, or None (no entry, or one that does not verify)."""
    payload = _signed_payload(_entry_name(name, sha256))
    if payload is None:
        return None
    try:
        import io

        found = _OwnClasses(io.BytesIO(payload)).load()
    except Exception:
        return None
    return found if isinstance(found, model.CheckedRuleset) else None


def compiled(text: str) -> CodeType:
    """Python's compile() of a ruleset's generated evaluator, kept in the cache as `__pycache__`
    keeps a module's: compile() was the largest step left in a cached `perfrules eval` (~7 ms for
    the Guangzhou ruleset). The entry is named by the text itself (its SHA-256), the engine and
    the Python that compiled it, and is used only when its signature verifies."""
    from perfrules.backend.compile import EVALUATOR_FILE, code_object

    name = _code_entry_name(text)
    payload = _signed_payload(name)
    if payload is not None:
        try:
            found = marshal.loads(payload)
        except Exception:
            found = None
        if isinstance(found, CodeType) and found.co_filename == EVALUATOR_FILE:
            return found
    code = code_object(text)
    _store_signed(name, marshal.dumps(code))
    return code


def _signed_payload(entry: str) -> bytes | None:
    """The payload of a cache entry whose signature verifies, or None."""
    folder = _usable_directory(create=False)
    if folder is None:
        return None
    try:
        raw = (folder / entry).read_bytes()
        key = _key(folder, create=False)
    except OSError:
        return None
    if key is None or len(raw) <= _MAC_SIZE:
        return None
    mac, payload = raw[:_MAC_SIZE], raw[_MAC_SIZE:]
    if not hmac.compare_digest(mac, _signature(key, entry, payload)):
        return None
    return payload


def _signature(key: bytes, entry: str, payload: bytes) -> bytes:
    """The HMAC of an entry: of its name with its payload, so that an entry copied over another
    (whose name says which rule file or program it is for) does not verify."""
    return hmac.new(key, entry.encode("ascii") + b"\0" + payload, hashlib.sha256).digest()


def store(name: str, sha256: str, checked: model.CheckedRuleset) -> None:
    """Keep the checked model for next time; silently nothing if the cache cannot be written."""
    if directory() is None:
        return  # off: not even pickled
    try:
        payload = pickle.dumps(checked, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:
        return
    _store_signed(_entry_name(name, sha256), payload)


def _store_signed(entry: str, payload: bytes) -> None:
    folder = _usable_directory(create=True)
    if folder is None:
        return
    try:
        key = _key(folder, create=True)
        if key is None:
            return
        _write_private(folder / entry, _signature(key, entry, payload) + payload)
    except Exception:
        return


def _entry_name(name: str, sha256: str) -> str:
    material = "\0".join([name, sha256, _engine_fingerprint()])
    return hashlib.sha256(material.encode("utf-8", "surrogatepass")).hexdigest() + ".model"


def _code_entry_name(text: str) -> str:
    # marshal's format and bytecode change between Pythons: the exact build is part of the name
    material = "\0".join([text, _engine_fingerprint(), sys.version, str(marshal.version)])
    return hashlib.sha256(material.encode("utf-8", "surrogatepass")).hexdigest() + ".code"


@functools.cache
def _engine_fingerprint() -> str:
    """The engine's version and its source files (name, size, mtime): a model pickled by other code
    is never read back, even between two builds of one version."""
    from perfrules import __version__

    package = os.path.dirname(os.path.realpath(__file__))
    parts = [__version__]
    for path in sorted(_sources(package)):  # os.scandir: 0.5 ms here, Path.rglob 1.6 ms, at every start
        info = os.stat(path)
        parts.append(f"{path[len(package) + 1 :]}:{info.st_size}:{info.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def _sources(folder: str) -> list[str]:
    """Every *.py file under a folder, at any depth (what `Path.rglob("*.py")` finds)."""
    found: list[str] = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                found.extend(_sources(entry.path))
            elif entry.name.endswith(".py") and entry.is_file():
                found.append(entry.path)
    return found


def _usable_directory(create: bool) -> Path | None:
    folder = directory()
    if folder is None:
        return None
    try:
        if create:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.lstat()
    except OSError:
        return None
    private = stat.S_ISDIR(info.st_mode) and not info.st_mode & (stat.S_IRWXG | stat.S_IRWXO)
    if not private or (hasattr(os, "getuid") and info.st_uid != os.getuid()):
        return None  # a folder others can write to (or that is not ours) is never trusted
    return folder


def _key(folder: Path, create: bool) -> bytes | None:
    path = folder / _KEY_FILE
    try:
        info = path.lstat()
        if not stat.S_ISREG(info.st_mode) or info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            return None
        key = path.read_bytes()
        return key if len(key) == 32 else None
    except FileNotFoundError:
        if not create:
            return None
    import secrets

    _write_private(path, secrets.token_bytes(32))
    return path.read_bytes()


def _write_private(path: Path, data: bytes) -> None:
    """Write a whole file, owner-only, or nothing: a temporary file beside it, then renamed over it."""
    import contextlib
    import tempfile  # here: only a cache miss writes, and tempfile costs a start-up a few milliseconds

    fd, temporary = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)  # made 0600
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


class _OwnClasses(pickle.Unpickler):
    """Builds the checked model's own classes and Decimals; refuses anything else (a function, a
    module, a class from elsewhere), even in an entry whose signature verified."""

    def find_class(self, module: str, name: str) -> Any:
        if module == "decimal" and name == "Decimal":
            return super().find_class(module, name)
        if module in _ALLOWED_MODULES:
            found = super().find_class(module, name)
            if isinstance(found, type) and found.__module__ == module:
                return found
        raise pickle.UnpicklingError(f"a cached ruleset holds the model's classes only, not {module}.{name}")
