"""No text for a person is written outside the catalogue (issue 11): what the command line
prints, argparse's help, and the errors a user reads all come from src/perfrules/catalogue/.

The check reads src/ with `ast`. It looks for worded literals (two Latin letters in a row, or a
Chinese character) given to:
- print(), and write() on sys.stdout, sys.stderr or a stream named like them;
- argparse's help, description, title and version texts;
- a raise of an error type a user reads (its str() is printed or shown as it is).
Each justified exception is in ALLOWED, by file and enclosing function, with its reason.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from perfrules.catalogue import Message, helptext

SRC = Path(__file__).resolve().parents[1] / "src" / "perfrules"
CATALOGUE = SRC / "catalogue"
WORDED = re.compile(r"[A-Za-z]{2}|[\u4e00-\u9fff]")

# errors whose text reaches a person as it is (the command line prints str(exc), or a caller
# of the library shows it); programming errors (TypeError, AssertionError, RuntimeError) are not
USER_ERRORS = {"UsageError", "WordedError", "BatchError", "KeywordError", "FormatError", "IntentionError",
               "ValueError", "PerfrulesError", "RulesError", "FactsError", "EvaluationError", "CasesError"}
STREAMS = {"stdout", "stderr", "err", "out", "_write"}
ARGPARSE = {"add_argument", "add_parser", "add_argument_group", "add_subparsers", "ArgumentParser"}
ARGPARSE_TEXTS = {"help", "description", "title", "version", "epilog", "usage"}

# (file under src/perfrules, enclosing function) -> why its worded literals are not in the catalogue
ALLOWED: dict[tuple[str, str], str] = {
    ("cli/parser.py", "build"):
        "`perfrules {version}`, the --version line, is a name and a number, the same in both languages",
    ("syntax/lalr.py", "write_tables"):
        "a developer's script (python -m perfrules.syntax.lalr) printing a line of Python to paste",
    ("text/scoretable.py", "_lang"):
        "a programming error of a library caller (a language other than zh or en), not a user's",
    ("tools/strategies.py", "toml_value"):
        "hypothesis strategies for Python callers: a float or a NaN handed in is a programming error",
}


def _worded(node: ast.AST | None) -> bool:
    """A text made here: a worded literal, or an f-string, sum or choice with one. What a call
    returns (a catalogue entry rendered, getattr(args, "lang")) is not made here."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and bool(WORDED.search(node.value))
    if isinstance(node, ast.JoinedStr):
        return any(_worded(part) for part in node.values)
    if isinstance(node, ast.FormattedValue):
        return _worded(node.value)
    if isinstance(node, ast.BinOp):
        return _worded(node.left) or _worded(node.right)
    if isinstance(node, ast.IfExp):
        return _worded(node.body) or _worded(node.orelse)
    if isinstance(node, (ast.List, ast.Tuple)):
        return any(_worded(e) for e in node.elts)
    return False


def _name(func: ast.AST) -> str:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _worded_calls(tree: ast.Module) -> Iterator[tuple[ast.AST, str]]:
    """(node, enclosing function) for every worded text handed to a person outside the catalogue."""
    def visit(node: ast.AST, function: str) -> Iterator[tuple[ast.AST, str]]:
        for child in ast.iter_child_nodes(node):
            inner = child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else function
            if isinstance(child, ast.Call):
                name = _name(child.func)
                if name == "print" and any(_worded(a) for a in child.args):
                    yield child, inner
                elif name == "write" and isinstance(child.func, ast.Attribute) \
                        and _name(child.func.value) in STREAMS and any(_worded(a) for a in child.args):
                    yield child, inner
                elif name in ARGPARSE and any(_worded(k.value) for k in child.keywords if k.arg in ARGPARSE_TEXTS):
                    yield child, inner
                elif name == "add_argument_group" and any(_worded(a) for a in child.args[1:]):
                    yield child, inner
            if isinstance(child, ast.Raise) and isinstance(child.exc, ast.Call) \
                    and _name(child.exc.func) in USER_ERRORS and any(_worded(a) for a in child.exc.args):
                yield child, inner
            yield from visit(child, inner)

    yield from visit(tree, "<module>")


def _found() -> dict[tuple[str, str], list[int]]:
    found: dict[tuple[str, str], list[int]] = {}
    for path in sorted(SRC.rglob("*.py")):
        if CATALOGUE in path.parents:
            continue
        where = path.relative_to(SRC).as_posix()
        for node, function in _worded_calls(ast.parse(path.read_text("utf-8"))):
            found.setdefault((where, function), []).append(getattr(node, "lineno", 0))
    return found


def test_no_text_for_a_person_is_written_outside_the_catalogue() -> None:
    found = _found()
    new = sorted(f"{where}:{lines[0]} (in {function})" for (where, function), lines in found.items()
                 if (where, function) not in ALLOWED)
    assert new == [], "word these in perfrules.catalogue (usage.py, helptext.py, phrases.py), in Chinese and English"


def test_every_allowed_exception_is_still_needed() -> None:
    # an entry for a function that no longer writes words would hide the next one written there
    assert sorted(set(ALLOWED) - set(_found())) == []


def _calls(source: str) -> list[str]:
    return [function for _, function in _worded_calls(ast.parse(source))]


def test_the_check_sees_each_kind_of_worded_text() -> None:
    assert _calls('def f():\n    print(f"wrote {path}", file=sys.stderr)\n') == ["f"]
    assert _calls('def g():\n    sys.stderr.write("已写入")\n') == ["g"]
    assert _calls('p.add_argument("--x", help="the rule file")\n') == ["<module>"]
    assert _calls('def h():\n    raise UsageError(f"`{x}` is not a number")\n') == ["h"]
    assert _calls('def k():\n    raise BatchError(f"{name}:1:1: the header cannot be read")\n') == ["k"]
    # not worded: a value printed as it is, a catalogue entry, a programming error
    assert _calls('print(text, end="")\nprint(f"  {line}", file=out)\n'
                  'print(usage.WROTE(path=p).in_(lang), file=sys.stderr)\n'
                  'raise UsageError(usage.EXISTS(path=p))\nraise TypeError("not a mapping")\n') == []


def test_no_help_text_holds_a_percent_sign() -> None:
    # argparse formats help with `%`: a lone `%` in either language would break --help
    texts = [m for m in vars(helptext).values() if isinstance(m, Message)]
    assert len(texts) > 60
    assert [m.en for m in texts if "%" in m.en or "%" in m.zh] == []
