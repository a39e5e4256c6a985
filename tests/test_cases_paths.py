"""Issue 16, item 20: a cases file reads only its rule and facts files, inside the tree being tested.

A cases file with `rules = "/etc/passwd"` once printed that file's first line under the
syntax error. `rules` and a case's `facts` are relative to the cases file, must stay in the
folder given to `perfrules test` (or the cases file's own folder), links followed, unless
`--allow-outside`; and they must name a rule file or a facts file, so no error ever shows the
lines of another kind of file.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from perfrules.tools.cases import CasesError, load_cases

RULES = 'ruleset "r" { total 10 }\ninput x: number\nindicator A weight 10 { score x }\n'
SECRET = "root:x:0:0:SECRET-LINE:/root:/bin/bash\n"


def _cases(rules: str, facts: str = "f.toml") -> str:
    return f'rules = "{rules}"\n\n[[case]]\nname = "a"\nfacts = "{facts}"\n[case.expect]\ntotal = 5\n'


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """tmp/outside/{secret.rules, secret.toml, passwd}, tmp/tree/{r.rules, f.toml, sub/}."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "passwd").write_text(SECRET, "utf-8")
    (outside / "secret.rules").write_text(SECRET, "utf-8")
    (outside / "secret.toml").write_text(f"[facts]\nx = 5\n'{SECRET.strip()}' = 1\n", "utf-8")
    root = tmp_path / "tree"
    (root / "sub").mkdir(parents=True)
    (root / "r.rules").write_text(RULES, "utf-8")
    (root / "f.toml").write_text("[facts]\nx = 5\n", "utf-8")
    return root


def _test(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "perfrules", "test", *args], capture_output=True, text=True,
                          encoding="utf-8", timeout=60, cwd=cwd)


def test_paths_are_relative_to_the_cases_file(tree: Path) -> None:
    (tree / "sub" / "x.cases.toml").write_text(_cases("../r.rules", "../f.toml"), "utf-8")
    proc = _test(tree.parent, "tree")  # run from elsewhere: the files are found beside the cases file
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "1 passed" in proc.stdout


@pytest.mark.parametrize("rules", ["{outside}/secret.rules", "../outside/secret.rules", "link.rules"])
def test_a_rule_file_outside_the_tree_is_refused_unread(tree: Path, rules: str) -> None:
    (tree / "link.rules").symlink_to(tree.parent / "outside" / "secret.rules")
    (tree / "x.cases.toml").write_text(_cases(rules.format(outside=tree.parent / "outside")), "utf-8")
    proc = _test(tree.parent, "tree")
    assert proc.returncode == 1
    assert "error: `rules` names a file outside the folder being tested (tree)" in proc.stdout
    assert "--allow-outside" in proc.stdout
    assert "SECRET-LINE" not in proc.stdout + proc.stderr


def test_a_facts_file_outside_the_tree_is_refused_unread(tree: Path) -> None:
    (tree / "x.cases.toml").write_text(_cases("r.rules", "../outside/secret.toml"), "utf-8")
    proc = _test(tree.parent, "tree")
    assert proc.returncode == 1
    assert "error: `facts` names a file outside the folder being tested" in proc.stdout
    assert "SECRET-LINE" not in proc.stdout + proc.stderr


def test_a_cases_file_given_itself_is_held_to_its_own_folder(tree: Path) -> None:
    (tree / "sub" / "x.cases.toml").write_text(_cases("../r.rules", "../f.toml"), "utf-8")
    proc = _test(tree.parent, "tree/sub/x.cases.toml")
    assert proc.returncode == 1 and "C206" in proc.stdout
    assert _test(tree.parent, "tree/sub/x.cases.toml", "--allow-outside").returncode == 0


def test_allow_outside_reads_rule_and_facts_files_anywhere(tree: Path) -> None:
    (tree / "x.cases.toml").write_text(_cases(str(tree / "r.rules"), str(tree / "f.toml")), "utf-8")
    other = tree.parent / "other"
    other.mkdir()
    (other / "y.cases.toml").write_text(_cases(str(tree / "r.rules"), str(tree / "f.toml")), "utf-8")
    assert _test(tree.parent, "other").returncode == 1
    proc = _test(tree.parent, "other", "--allow-outside")
    assert proc.returncode == 0 and "1 passed" in proc.stdout


@pytest.mark.parametrize(("rules", "facts", "message"), [
    ("passwd", "f.toml", "`rules` must name a .rules file, not `passwd`"),
    ("r.rules", "passwd", "`facts` must name a .toml or .json file, not `passwd`"),
])
def test_only_rule_and_facts_files_are_read_even_with_allow_outside(tree: Path, rules: str, facts: str,
                                                                    message: str) -> None:
    (tree / "passwd").write_text(SECRET, "utf-8")
    (tree / "x.cases.toml").write_text(_cases(rules, facts), "utf-8")
    proc = _test(tree.parent, "tree", "--allow-outside")
    assert proc.returncode == 1
    assert f"error: {message}" in proc.stdout
    assert "SECRET-LINE" not in proc.stdout + proc.stderr


def test_the_library_holds_a_cases_file_to_its_folder_by_default(tree: Path) -> None:
    (tree / "sub" / "x.cases.toml").write_text(_cases("../r.rules", "../f.toml"), "utf-8")
    with pytest.raises(CasesError) as info:
        load_cases(tree / "sub" / "x.cases.toml")
    assert {d.code for d in info.value.diagnostics} == {"C206"}
    assert load_cases(tree / "sub" / "x.cases.toml", within=tree).rules == tree / "sub" / ".." / "r.rules"
    assert load_cases(tree / "sub" / "x.cases.toml", outside_allowed=True).cases[0].name == "a"
