"""`perfrules new facts RULES`: a facts file template to fill in, written from what the rules declare.

Every input gets a line with its label, type, range and default in a comment; judged leaves
get a line under [judged] with their weight and bands. A placeholder is an empty text `""`,
which every input type but text refuses; a text input's line (and an optional column's)
stays a comment, so it is reported missing. A template evaluated before it is filled in
fails with a message per value, never a silent score. An input with a default is written as a
comment: the default applies unless the line is uncommented.
"""

from __future__ import annotations

from perfrules.catalogue import lang_of, phrases
from perfrules.engine import Ruleset
from perfrules.semantics import arithmetic
from perfrules.semantics.declared import InputSpec, JudgedSpec


def _key(name: str) -> str:
    """A TOML key: bare when ASCII letters, digits, _ and -; quoted otherwise (Chinese names)."""
    import re

    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else '"' + name.replace('"', '\\"') + '"'


def _kind(spec: InputSpec, zh: bool) -> str:
    lang = lang_of(zh)
    if spec.kind == "direction":
        labels = ", ".join(f'"{label}"' for label in spec.labels) or '"正向", "反向", "等于", "定性"'
        return phrases.KIND_DIRECTION.format(lang, labels=labels)
    if spec.kind == "grade":
        labels = ", ".join(f'"{label}"' for label in spec.labels)
        return phrases.KIND_GRADE.format(lang, labels=labels)
    kind = phrases.KINDS.get(spec.kind)
    return kind.in_(lang) if kind is not None else spec.kind


def _input_lines(spec: InputSpec, zh: bool) -> list[str]:
    lang = lang_of(zh)
    notes = [spec.label] if spec.label else []
    notes.append(_kind(spec, zh))
    if spec.low is not None and spec.high is not None:
        low, high = spec.show(spec.low).strip('"'), spec.show(spec.high).strip('"')
        notes.append(phrases.RANGE.format(lang, low=low, high=high))
    if spec.optional:
        notes.append(phrases.OPTIONAL.in_(lang))
    elif spec.kind == "text":
        notes.append(phrases.REQUIRED_TEXT.in_(lang))
    lines = ["# " + phrases.LIST_SEMICOLON.in_(lang).join(notes)]
    if spec.kind == "text" or spec.optional:
        # "" is a valid text: the line stays a comment, so a template left unfilled is a missing input
        lines.append(f'# {_key(spec.name)} = ""')
    elif spec.has_default and spec.default is not None:
        default = spec.show(spec.default)
        used = phrases.DEFAULT_USED.in_(lang)
        lines.append(f"# {_key(spec.name)} = {default}    # {used}")
    else:
        lines.append(f'{_key(spec.name)} = ""')
    return lines


def _judged_lines(spec: JudgedSpec, zh: bool) -> list[str]:
    lang = lang_of(zh)
    weight = arithmetic.plain(spec.weight)
    head = phrases.LABEL_HEAD.format(lang, label=spec.label) if spec.label else ""
    if spec.bands:
        bands = phrases.LIST_COMMA.in_(lang).join(str(b) for b in spec.bands)
        note = phrases.JUDGED_RANGE_BANDS.format(lang, head=head, weight=weight, bands=bands)
        entry = f'{_key(spec.path)} = {{ points = "", band = "" }}'
    else:
        note = phrases.JUDGED_RANGE.format(lang, head=head, weight=weight)
        entry = f'{_key(spec.path)} = ""'
    return [note, entry]


def facts_template(ruleset: Ruleset, rules_name: str | None = None) -> str:
    """The text of a facts file to fill in for `ruleset`, commented in the rule file's language."""
    zh = ruleset.model.chinese_keywords
    lang = lang_of(zh)
    name = rules_name or ruleset.display_name
    out = [phrases.TEMPLATE_TITLE.format(lang, ruleset=ruleset.name, rules=name), phrases.TEMPLATE_HOW.in_(lang),
           phrases.TEMPLATE_THEN.in_(lang), ""]
    out += ["[meta]", 'entity = ""    # ' + phrases.TEMPLATE_ENTITY.in_(lang),
            'period = ""    # ' + phrases.TEMPLATE_PERIOD.in_(lang), ""]
    out.append("[facts]")
    for spec in ruleset.inputs:
        if spec.kind != "rows":
            out += _input_lines(spec, zh)
    for spec in ruleset.inputs:  # tables of rows after the plain inputs, as TOML requires
        if spec.kind == "rows":
            head = phrases.LABEL_HEAD.format(lang, label=spec.label) if spec.label else ""
            out += ["", f"# {head}" + phrases.TEMPLATE_ROWS.in_(lang)]
            out.append(f"[[facts.{_key(spec.name)}]]")
            for column in spec.columns:
                out += _input_lines(column, zh)
    if ruleset.judged:
        out += ["", "[judged]"]
        for judged in ruleset.judged:
            out += _judged_lines(judged, zh)
    out += ["", phrases.TEMPLATE_OVERRIDE.in_(lang)]
    return "\n".join(out) + "\n"
