"""`perfrules completion bash|zsh` (issue 14): the script completes commands, options and
choices as the parser knows them. Checked by running the bash function it defines."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from perfrules.cli import main


def _complete(script: str, *words: str) -> list[str]:
    words_text = " ".join(f"'{w}'" for w in words)
    program = f'{script}\nCOMP_WORDS=(perfrules {words_text}); COMP_CWORD={len(words)}; _perfrules; ' \
              'printf "%s\\n" "${COMPREPLY[@]}"'
    done = subprocess.run(["bash", "-c", program], capture_output=True, text=True, check=True)
    return [line for line in done.stdout.splitlines() if line]


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_completes_commands_options_and_choices(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["completion", "bash"]) == 0
    script = capsys.readouterr().out
    assert _complete(script, "ch") == ["check"]
    assert _complete(script, "e") == ["eval", "explain"]
    assert _complete(script, "check", "--format", "") == ["text", "json", "github", "sarif"]
    assert _complete(script, "eval", "--re") == ["--reasons"]
    assert _complete(script, "report", "--layout", "f") == ["form"]


def test_zsh_uses_the_bash_function_through_bashcompinit(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["completion", "zsh"]) == 0
    script = capsys.readouterr().out
    assert "bashcompinit" in script and "complete -o filenames -F _perfrules perfrules" in script


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_completes_the_choices_of_a_commands_first_argument(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["completion", "bash"]) == 0
    script = capsys.readouterr().out
    assert _complete(script, "new", "") == ["facts", "rules"]
    assert _complete(script, "completion", "f") == ["fish"]
    assert _complete(script, "new", "rules", "--from") == ["--from-xlsx"]


def test_fish_script_lists_commands_options_and_choices(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["completion", "fish"]) == 0
    script = capsys.readouterr().out
    assert "complete -c perfrules -f -n __fish_use_subcommand -a check -d 'check rule files and report every error'" \
        in script
    assert "complete -c perfrules -n '__fish_seen_subcommand_from check' -l format -x -a 'text json github sarif'" \
        in script
    assert "-n '__fish_seen_subcommand_from new; and test (count (commandline -opc)) -eq 2' -a 'facts rules'" in script
    # a file option completes file names; a number or a title does not
    assert "-l from-xlsx -r -F" in script and "-l total -x -d" in script
    assert "-s o -l output -r -F" in script


def _fish(script: str, line: str) -> list[str]:
    done = subprocess.run(["fish", "-c", f"{script}\ncomplete -C '{line}'"], capture_output=True, text=True,
                          check=True)
    return [row.split("\t")[0] for row in done.stdout.splitlines()]


@pytest.mark.skipif(shutil.which("fish") is None, reason="needs fish (apt-get install fish)")
def test_fish_completes_as_the_script_says(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["completion", "fish"]) == 0
    script = capsys.readouterr().out
    assert _fish(script, "perfrules ch") == ["check"]
    assert _fish(script, "perfrules check --format ") == ["github", "json", "sarif", "text"]  # fish sorts them
    assert _fish(script, "perfrules new ") == ["facts", "rules"]
    assert _fish(script, "perfrules new rules --keywords ") == ["en", "zh"]
