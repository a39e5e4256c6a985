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
