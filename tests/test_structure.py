"""The layout shows the pipeline: each stage imports only the stages below it, and no two
modules import each other (issue 11). Read off the source with `ast`, imports inside
functions included; imports under `if TYPE_CHECKING:` are for the type checker only."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "perfrules"

# Lowest first. A module may import its own layer and the layers below it.
LAYERS: dict[str, int] = {
    "source": 0, "records": 0, "diagnostics": 0, "controls": 0, "files": 0, "decimal_context": 0, "__version__": 0,
    "catalogue": 0,  # every word said to a person: every stage uses it, it uses none
    "syntax": 1,
    "semantics": 2,
    "inputs": 3,
    "backend": 4,
    "results": 5,
    "engine": 6, "cache": 6, "__init__": 6,
    "text": 7,
    "tools": 8, "testing": 8,
    "cli": 9,
    "__main__": 10,
}  # fmt: skip


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking_lines(tree: ast.Module) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def _imports() -> dict[str, set[str]]:
    """module -> the perfrules modules it imports at run time."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = _type_checking_lines(tree)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str] = set()
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom) or node.lineno in typing_only:
                continue
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if not module.startswith("perfrules"):
                continue
            for alias in node.names:
                candidate = f"{module}.{alias.name}"
                targets.add(candidate if candidate in modules else module)
        graph[name] = targets - {name}
    return graph


def _layer(module: str) -> int:
    parts = module.split(".")
    key = parts[1] if len(parts) > 1 else "__init__"
    assert key in LAYERS, f"{module}: a new top-level module or package; give it a layer in LAYERS"
    return LAYERS[key]


def test_every_stage_imports_only_the_stages_below_it() -> None:
    upward = [
        f"{module} imports {target}"
        for module, targets in _imports().items()
        for target in targets
        if _layer(target) > _layer(module)
    ]
    assert upward == []


def test_no_two_modules_import_each_other() -> None:
    graph = _imports()
    cycles = []
    for start in graph:
        # depth-first search for a path back to `start`
        stack, seen = [(start, [start])], set()
        while stack:
            node, path = stack.pop()
            for nxt in graph.get(node, ()):
                if nxt == start:
                    cycles.append(" -> ".join([*path, start]))
                elif nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, [*path, nxt]))
    # `perfrules` (the package) is imported by every `from perfrules import X`; its own
    # imports are the public API. A cycle through it alone is Python's package import.
    assert [c for c in cycles if not c.startswith("perfrules ->") and " perfrules ->" not in c] == []


def test_the_layer_table_catches_an_upward_import() -> None:
    # the check above is worth only what `_layer` says: the parser is below the checker
    assert _layer("perfrules.syntax.parser") < _layer("perfrules.semantics.check") < _layer("perfrules.cli")


def test_import_perfrules_loads_no_parser_no_workbook_reader_and_no_renderer() -> None:
    # Loading rules needs lark; scoring a loaded ruleset does not. What `import perfrules`
    # must not pull in, checked in a fresh interpreter.
    code = (
        "import sys, perfrules\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('lark', 'openpyxl', 'hypothesis')"
        " or m.startswith(('perfrules.syntax', 'perfrules.text', 'perfrules.tools', 'perfrules.semantics.check'))]\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_only_the_command_line_knows_about_argv_and_exit_codes() -> None:
    knowing = []
    for path in PACKAGE.rglob("*.py"):
        if "cli" in path.relative_to(PACKAGE).parts or path.name == "__main__.py":
            continue
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        for node in ast.walk(tree):
            imports_argparse = isinstance(node, ast.Import) and any(a.name == "argparse" for a in node.names)
            argv = isinstance(node, ast.Attribute) and node.attr in ("argv", "exit") and \
                isinstance(node.value, ast.Name) and node.value.id == "sys"
            if imports_argparse or argv:
                knowing.append(f"{path.relative_to(PACKAGE)}:{getattr(node, 'lineno', 0)}")
    assert knowing == []


def test_every_package_is_in_the_wheel() -> None:
    # pyproject.toml lists the packages by hand (the grammar folder is mapped in as one): a new
    # stage package left out installs fine in editable mode and is missing from the wheel
    import tomllib

    config = tomllib.loads((PACKAGE.parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {_module_name(init) for init in PACKAGE.rglob("__init__.py")}
    assert found <= listed, sorted(found - listed)


def test_every_error_the_source_raises_says_what_to_do() -> None:
    # the brief: every error names its place and says what to do. A call that reports an error passes a help
    # (the checker's `errors.error`, rows' `facts_error`, facts.py's `error`/`row_error`, a `Diagnostic`),
    # and a value problem (values.py) without one of its own takes its code's default help in convert().
    from perfrules.catalogue import diagnostics as say
    from perfrules.inputs import values

    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            needed = {"error": 3 if isinstance(node.func, ast.Attribute) else 4, "facts_error": 2,
                      "row_error": 4, "Diagnostic": 3, "_type_error": 3}.get(name)  # fmt: skip
            given = [k.value for k in node.keywords if k.arg == "help"] + node.args[needed - 1:needed] if needed else []
            if needed is None or (given and not (isinstance(given[0], ast.Constant) and given[0].value is None)):
                continue
            if path.name == "cases.py" and name == "error" and isinstance(node.func, ast.Name):
                continue  # cases.py's error() falls back to docs/cases.md's help
            if any(isinstance(a, ast.Starred) for a in node.args):
                continue
            missing.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {ast.unparse(node)[:80]}")
    assert missing == []
    # values.py: `(say.F…(…), None)` problems, each with a default help
    tree = ast.parse(Path(values.__file__).read_text(encoding="utf-8"))
    bare = {node.elts[0].func.attr for node in ast.walk(tree)
            if isinstance(node, ast.Tuple) and len(node.elts) == 2 and isinstance(node.elts[0], ast.Call)
            and isinstance(node.elts[0].func, ast.Attribute) and isinstance(node.elts[1], ast.Constant)
            and node.elts[1].value is None}  # fmt: skip
    defaults = {name for name in bare if getattr(say, name) in values._DEFAULT_HELP}
    assert bare - defaults == set()
