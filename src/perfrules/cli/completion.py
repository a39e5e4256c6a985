"""`perfrules completion bash|zsh`: a shell completion script, made from the argument parser
itself, so it knows every command, option and choice the installed perfrules has.

    eval "$(perfrules completion bash)"     # in ~/.bashrc
    eval "$(perfrules completion zsh)"      # in ~/.zshrc (through zsh's bashcompinit)

Commands and options complete from the parser; an option with choices (`--format`, `--lang`)
completes its choices; anything else completes file names.
"""

from __future__ import annotations

import argparse


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:  # argparse keeps its sub-commands here; there is no public getter
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _quote(words: list[str]) -> str:
    return " ".join(words).replace("'", "")


def bash(parser: argparse.ArgumentParser) -> str:
    commands = _commands(parser)
    options_of: list[str] = []
    choices_of: list[str] = []
    for name, sub in commands.items():
        flags = [flag for action in sub._actions for flag in action.option_strings]
        options_of.append(f"    {name}) options='{_quote(flags)}' ;;")
        for action in sub._actions:
            if action.choices and action.option_strings:
                choices = _quote([str(c) for c in action.choices])
                reply = f"COMPREPLY=($(compgen -W '{choices}' -- \"$cur\")); return ;;"
                choices_of += [f"    '{name} {flag}') {reply}" for flag in action.option_strings]
    return "\n".join([
        "# perfrules completion for bash: eval \"$(perfrules completion bash)\"",
        "_perfrules() {",
        "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\" options=''",
        "  if [[ $COMP_CWORD -eq 1 ]]; then",
        f"    COMPREPLY=($(compgen -W '{_quote(list(commands))} --version --help' -- \"$cur\")); return",
        "  fi",
        "  local command=\"${COMP_WORDS[1]}\"",
        "  case \"$command $prev\" in",
        *choices_of,
        "  esac",
        "  case \"$command\" in",
        *options_of,
        "  esac",
        "  if [[ $cur == -* ]]; then",
        "    COMPREPLY=($(compgen -W \"$options\" -- \"$cur\"))",
        "  else",
        "    COMPREPLY=($(compgen -f -- \"$cur\"))",
        "  fi",
        "}",
        "complete -o filenames -F _perfrules perfrules",
        "",
    ])


def zsh(parser: argparse.ArgumentParser) -> str:
    return "\n".join([
        "# perfrules completion for zsh: eval \"$(perfrules completion zsh)\"",
        "autoload -U +X compinit && compinit",
        "autoload -U +X bashcompinit && bashcompinit",
        bash(parser),
    ])
