"""`perfrules completion bash|zsh|fish`: a shell completion script, made from the argument parser
itself, so it knows every command, option and choice the installed perfrules has.

    eval "$(perfrules completion bash)"     # in ~/.bashrc
    eval "$(perfrules completion zsh)"      # in ~/.zshrc (through zsh's bashcompinit)
    perfrules completion fish > ~/.config/fish/completions/perfrules.fish

Commands and options complete from the parser; an option with choices (`--format`, `--lang`)
and a command's first argument with choices (`new facts|rules`) complete their choices;
anything else completes file names.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from perfrules.files import output_path


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:  # argparse keeps its sub-commands here; there is no public getter
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _quote(words: list[str]) -> str:
    return " ".join(words).replace("'", "")


def _first_choices(sub: argparse.ArgumentParser) -> list[str]:
    """The choices of a command's first positional argument (`new facts|rules`), if it has them."""
    for action in sub._actions:
        if not action.option_strings and not isinstance(action, argparse._SubParsersAction):
            return [str(c) for c in action.choices] if action.choices else []
    return []


def bash(parser: argparse.ArgumentParser) -> str:
    commands = _commands(parser)
    options_of: list[str] = []
    choices_of: list[str] = []
    firsts: list[str] = []
    for name, sub in commands.items():
        first = _quote(_first_choices(sub))
        if first:
            firsts.append(f"    {name}) COMPREPLY=($(compgen -W '{first}' -- \"$cur\")); return ;;")
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
        "  if [[ $COMP_CWORD -eq 2 && $cur != -* ]]; then",
        "    case \"$command\" in",
        *firsts,
        "    esac",
        "  fi",
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


def _fish_text(text: str | None) -> str:
    return " ".join((text or "").split()).replace("\\", "\\\\").replace("'", "\\'")


def _fish_described(line: str, text: str | None) -> str:
    return f"{line} -d '{_fish_text(text)}'" if text else line


def fish(parser: argparse.ArgumentParser) -> str:
    commands = _commands(parser)
    helps = {a.dest: a.help for a in _subparsers(parser)._choices_actions}
    lines = ["# perfrules completion for fish: perfrules completion fish > ~/.config/fish/completions/perfrules.fish",
             "complete -c perfrules -f -n __fish_use_subcommand -l version -d 'show the version'"]
    for name, sub in commands.items():
        lines.append(_fish_described(f"complete -c perfrules -f -n __fish_use_subcommand -a {name}", helps.get(name)))
        seen = f"'__fish_seen_subcommand_from {name}'"
        first = _first_choices(sub)
        if first:  # only as the word right after the command: `new facts RULES` then completes files
            at_first = f"'__fish_seen_subcommand_from {name}; and test (count (commandline -opc)) -eq 2'"
            lines.append(f"complete -c perfrules -f -n {at_first} -a '{_quote(first)}'")
        for action in sub._actions:
            if not action.option_strings or isinstance(action, argparse._HelpAction):
                continue
            flags = " ".join(f"-l {f[2:]}" if f.startswith("--") else f"-s {f[1:]}" for f in action.option_strings)
            if action.choices:
                takes = f" -x -a '{_quote([str(c) for c in action.choices])}'"
            elif action.nargs == 0:
                takes = ""
            elif action.type is Path or action.type is output_path:
                takes = " -r -F"  # a file name
            else:
                takes = " -x"  # a word of one's own: a number, a name, a title
            lines.append(_fish_described(f"complete -c perfrules -n {seen} {flags}{takes}", action.help))
    return "\n".join([*lines, ""])


def _subparsers(parser: argparse.ArgumentParser) -> argparse._SubParsersAction:  # type: ignore[type-arg]
    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
