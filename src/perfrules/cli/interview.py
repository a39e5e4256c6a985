"""The short interview of `perfrules new rules` on a terminal: it asks only for what the flags
did not give, offers a default for each answer, and asks again when an answer cannot be used.
Prompts go to stderr, so the rule file printed on stdout is never mixed with them.

The interview is asked before the keywords' language is chosen, so it speaks both languages at
once: each prompt in Chinese and English, and each problem with an answer as the catalogue words
it in Chinese, then in English."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import IO

from perfrules.catalogue import LANGS, Lang, Said, phrases, usage
from perfrules.diagnostics import UsageError, WordedError
from perfrules.semantics import arithmetic
from perfrules.tools.new_rules import (
    Indicator,
    Plan,
    default_indicators,
    name_problem,
    parse_indicator,
    problems,
    title_problem,
)

_KIND_WORDS = {"execution": "执行率", "ratio": "比例", "tiers": "分档", "judged": "评定"}


class _Asker:
    def __init__(self, read: Callable[[], str], write: IO[str]):
        self._read, self._write = read, write

    def say(self, text: str) -> None:
        print(text, file=self._write)

    def problem(self, said: Said) -> None:
        self.say(f"  {said.zh} ({said.en})")

    def ask(self, prompt: str, default: str = "") -> str:
        self._write.write(prompt + (f" [{default}]" if default else "") + ": ")
        self._write.flush()
        line = self._read()
        if not line:  # end of input (Ctrl-D): no answer will come
            self.say("")
            raise UsageError(usage.INTERVIEW_ENDED())
        return line.strip() or default


def interview(title: str | None, keywords: str | None, total: str | None, indicators: list[str],
              read: Callable[[], str], write: IO[str]) -> Plan:
    """A plan from the flags given and the answers to the questions they leave open."""
    asker = _Asker(read, write)
    asker.say("perfrules new rules: 回车取方括号里的默认值 (press Enter for the default in brackets)")
    while keywords not in LANGS:
        if keywords is not None:
            asker.say(f"  `{keywords}`: 写 zh 或 en (write zh or en)")
        keywords = asker.ask("关键字 keywords, zh 或 en", "zh")
    lang: Lang = "zh" if keywords == "zh" else "en"
    while title is None or title_problem(title):
        if title is not None:
            asker.problem(title_problem(title) or usage.TITLE_EMPTY())
        title = asker.ask("规则集名称 title", phrases.STARTER_TITLE.in_(lang))
    points = _total(asker, total)
    chosen = [parse_indicator(text) for text in indicators]  # flags: wrong ones are usage errors
    while True:
        if not chosen:
            chosen = _indicators(asker, lang, points)
        plan = Plan(title, lang, points, tuple(chosen))
        found = problems(plan)
        if not found:
            return plan
        for problem in found:
            asker.problem(problem)
        chosen = []  # the indicators again, from the first


def _total(asker: _Asker, given: str | None) -> Decimal:
    answer = given
    while True:
        if answer is None:
            answer = asker.ask("总分 total", "100")
        try:
            points = Decimal(answer)
        except InvalidOperation:
            asker.problem(usage.TOTAL_NOT_A_NUMBER(total=answer))
        else:
            if points.is_finite() and points > 0:
                return points
            asker.problem(usage.TOTAL_NOT_POSITIVE(total=answer))
        answer = None


def _indicators(asker: _Asker, lang: Lang, total: Decimal) -> list[Indicator]:
    defaults = default_indicators(lang)
    listed = ", ".join(f"{i.name}={arithmetic.plain(i.weight)}:{_KIND_WORDS[i.kind]}" for i in defaults)
    asker.say(f"指标 indicators: 每行一个 名称=分值[:评分方法], 分值合计 {arithmetic.plain(total)}; 空行结束\n"
              f"  (one per line NAME=WEIGHT[:KIND], weights adding up to {arithmetic.plain(total)}; "
              "an empty line ends)\n"
              "  评分方法 kinds: 执行率 (execution) 比例 (ratio, the default) 分档 (tiers) 评定 (judged)\n"
              f"  回车 Enter alone: {listed}")
    chosen: list[Indicator] = []
    while True:
        answer = asker.ask(f"  指标 {len(chosen) + 1}")
        if not answer:
            return chosen or list(defaults)
        try:
            indicator = parse_indicator(answer)
        except WordedError as exc:
            asker.problem(exc.said)
            continue
        problem = name_problem(indicator.name)
        if problem:
            asker.problem(problem)
            continue
        chosen.append(indicator)
