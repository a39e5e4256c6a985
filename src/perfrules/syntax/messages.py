"""Syntax errors in plain language: Lark's UnexpectedInput -> a Diagnostic that says what was
found, what the grammar wanted, and, for the mistakes officials make for a reason the grammar
cannot see (a weight written as 「10分」, keywords run together, `满分为止` after `按比例`, a
keyword used as a column name), what to write instead."""

from __future__ import annotations

import re
import unicodedata

from lark import Token
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from perfrules.catalogue import Said
from perfrules.catalogue import diagnostics as say
from perfrules.diagnostics import Diagnostic
from perfrules.source import Source, Span
from perfrules.syntax.keywords import ALL_KEYWORDS, FUNCTIONS, keyword_prefix, spelled


def _start(tok: Token) -> int:
    return tok.start_pos or 0


def _end(tok: Token) -> int:
    return tok.end_pos or 0


_COUNT_TYPE = spelled("count")
_COUNT_FUNCTION = f"`count` (`{FUNCTIONS['count']}`)"


def syntax_diagnostic(source: Source, text: str, base: int, exc: UnexpectedInput,
                      words: dict[str, Said | str]) -> Diagnostic:
    """Lark's error at offset `base` of `source` as an official reads it; `words` names the
    grammar's terminals (`_RBRACE` is "`}`")."""
    if isinstance(exc, UnexpectedCharacters):
        pos = exc.pos_in_stream or 0
        return _bad_character(source, text, base, pos)
    assert isinstance(exc, (UnexpectedToken, UnexpectedEOF))
    token: Token | None = getattr(exc, "token", None)
    expected = sorted(set(getattr(exc, "expected", ()) or getattr(exc, "accepts", ()) or ()))
    # Chinese keywords (and some English ones) are anonymous terminals (`__ANON_3`): name them by word
    wanted = [words[t] if t in words else f"`{t}`" for t in expected if t in words or not t.startswith("__")]
    if "_LP" in expected:  # an expression goes here: `count` is the function, 行数 (spec §14), not the type 计数
        wanted = [_COUNT_FUNCTION if word == _COUNT_TYPE else word for word in wanted]
    wanted = sorted(set(wanted), key=str)  # in the order of their English words, whatever the language
    if token is None or token.type == "$END":
        end = base + _last_written(text)  # the line it shows is where to go on
        span = Span(source, end, end)
        if base != 0 or text != source.text:  # a `{…}` of a because text, parsed on its own: it is what ended
            return Diagnostic(say.E101_INSERTION_ENDS(), span, help=_expected_help(wanted))
        message = say.E101_FILE_ENDS_IN_BLOCK() if "_RBRACE" in expected else say.E101_FILE_ENDS()
        return Diagnostic(message, span, help=_expected_help(wanted))
    span = Span(source, base + _start(token), base + _end(token))
    shown: Said | str = say.A_NEW_LINE() if token.type == "_SEP" and token.value.strip() == "" else \
        f"`{token.value}`"  # fmt: skip
    if token.type == "_SEP" and token.value in (";", "；"):
        shown = "`;`"
    special = _dead_end(source, text, base, token, expected, span)
    if special is not None:
        return special
    if token.type == "NAME":
        glued = keyword_prefix(token.value)
        keyword_words = {words.get(t) for t in expected}
        if glued is not None:
            from perfrules.syntax.keywords import ENGLISH_OF_KEYWORD

            if spelled(ENGLISH_OF_KEYWORD[glued]) in keyword_words:
                statement = _statement_rest(text, _start(token))
                per_point = _PER_PERCENT_POINT.match(statement)
                if per_point is not None:
                    # 「每低1个百分点」 as the 评分标准 says it: `每 1%`, the shortfall being 未达(…)'s (a split
                    # into `每 低 1 个百分点` would lead to another error, never to the step)
                    way, step = per_point.group(1, 2)
                    spelled_as = f"`每 {step}%{statement[per_point.end():]}`"
                    above = way in _ABOVE
                    help_text = say.E103_PER_POINT_ABOVE(way=way, step=step, text=spelled_as) if above else \
                        say.E103_PER_POINT_BELOW(way=way or "低", step=step, text=spelled_as)  # fmt: skip
                    return Diagnostic(say.E103_RUN_TOGETHER(text=statement),
                                      Span(source, base + _start(token), base + _start(token) + len(statement)),
                                      help=help_text)
                rest = token.value[len(glued) :]
                split = f"`{glued} {rest}`"
                spaced = _split_run_together(text, _start(token))
                next_char = text[_end(token) : _end(token) + 1]
                glued_digits = any(c.isdigit() for c in token.value) or next_char in ("%", "％")
                if glued_digits and spaced is not None:
                    # `扣1每1%按未达(...)`: a name cannot start with a digit; split the whole run at once
                    run_end = _start(token) + len(_statement_rest(text, _start(token)))
                    return Diagnostic(
                        say.E103_RUN_TOGETHER(text=_statement_rest(text, _start(token))),
                        Span(source, base + _start(token), base + run_end),
                        help=say.E103_WITH_SPACES(text=f"`{spaced}`" if spaced else split),
                    )
                if re.search(rf"(?<![\w]){re.escape(rest)}(?![\w])", source.text):
                    # `当超支` where `超支` is a name elsewhere in the file: the space is missing
                    help_text = say.E103_SEPARATE(text=split)
                else:
                    # `扣除`: more likely a keyword with a character too many
                    help_text = say.E103_KEYWORD_ALONE(keyword=glued, rest=rest, text=split)
                return Diagnostic(say.E103_GLUED(word=token.value, keyword=glued), span, help=help_text)
        meant = _KEYWORD_WORDS.get(token.value if not token.value.isascii() else token.value.lower())
        if meant is not None and spelled(meant) in keyword_words:
            # `封顶 10`, `理由 "…"`: the 评分标准's own word for a keyword, where that keyword fits
            from perfrules.syntax.keywords import KEYWORDS

            keyword = KEYWORDS[meant] if not token.value.isascii() else meant
            return Diagnostic(say.E101_UNEXPECTED(token=shown), span,
                              help=say.E101_KEYWORD_MEANT(word=token.value, keyword=keyword))
        if all(word in wanted for word in _TYPE_PLACE):
            guess = _type_meant(token.value)
            if guess is not None:
                return Diagnostic(say.E101_UNEXPECTED(token=shown), span,
                                  help=say.E101_TYPE_MEANT(guess=guess, types=tuple(wanted)))
        if token.value in ("分", "points", "分值") and _follows_number(text, _start(token)):
            return Diagnostic(say.E101_POINTS_UNIT(word=token.value), span, help=say.E101_BARE_POINTS())
        if token.value.lower()[:1] == "e" and _follows_number(text, _start(token)):
            start = _start(token)
            while start > 0 and (text[start - 1].isdigit() or text[start - 1] == "."):
                start -= 1
            span = Span(source, base + start, base + _end(token))
            return Diagnostic(say.E102_EXPONENT(), span, help=say.E102_WRITE_IN_FULL())
    declaring = _after_declaring_word(text, _start(token))
    # a column of a rows input: `分值: number "分值"` inside `rows { … }`
    column = not declaring and text[_end(token):].lstrip(" \t").startswith((":", "："))
    if token.value in ALL_KEYWORDS and token.type != "STRING" and "NAME" in expected \
            and (declaring or column):  # fmt: skip
        from perfrules.syntax.keywords import ENGLISH_OF_KEYWORD, KEYWORDS, VERSION_2_KEYWORDS

        english = ENGLISH_OF_KEYWORD[token.value]
        # `out` is half of `out of`, whose Chinese spelling is 满分 (keywords.py)
        twin = KEYWORDS.get(english, "满分") if token.value == english else english
        reserved = say.E105_KEYWORD_AS_NAME_V2 if english in VERSION_2_KEYWORDS else say.E105_KEYWORD_AS_NAME
        suggestion = _RENAMES.get(token.value, f"{token.value}值" if not token.value.isascii() else
                                  f"{token.value}_value")  # fmt: skip
        if _ROWS_DECLARED.match(text, _end(token)):  # `input 指标: rows`: a table, not a value (指标值 is a column)
            suggestion = f"{token.value}表" if not token.value.isascii() else f"{token.value}_table"
        help_text = say.E105_RENAME_COLUMN(suggestion=suggestion, word=token.value) if column else \
            say.E105_RENAME(suggestion=suggestion)  # fmt: skip
        return Diagnostic(reserved(word=token.value, twin=twin), span, help=help_text)
    label = _DIRECTION_OF_SIGN.get(token.type)
    if label is not None and text[:_start(token)].rstrip(" \t").endswith(("(", ",", "（", "，")) \
            and _in_achievement(text[:_start(token)]):  # fmt: skip
        # `achievement(完成值, 指标值, ≤)`: no comparison to chain, but a facts file's sign (spec §10)
        return Diagnostic(say.E101_DIRECTION_SYMBOL(token=shown), span, help=say.E101_WRITE_DIRECTION(label=label))
    if token.type in ("GE", "GT", "LE", "LT", "EQ", "NE") and "NUMBER" in expected:
        # `max(x, >= 3)`, `score >= 3`: a value was expected, so there is no comparison before this one to chain
        return Diagnostic(say.E101_NO_LEFT_VALUE(token=shown), span, help=say.E101_COMPARE_A_VALUE())
    if token.type in ("GE", "GT", "LE", "LT", "EQ", "NE"):
        return Diagnostic(say.E101_CHAINED(token=shown), span, help=say.E101_TWO_COMPARISONS())
    if token.type == "_ASSIGN":
        return Diagnostic(say.E101_UNEXPECTED_ASSIGN(), span, help=say.E101_TO_COMPARE())
    return Diagnostic(say.E101_UNEXPECTED(token=shown), span, help=_expected_help(wanted))


def refused_names(diagnostics: list[Diagnostic]) -> set[str]:
    """The keywords E105 refused as names: each of their uses is an error the same rename fixes."""
    return {d.span.text() for d in diagnostics if d.code == "E105" and d.span is not None}


# 「每低1个百分点」, 「每少0.5%」 run together after 扣: the step of a per-step deduction, in percentage points
_PER_PERCENT_POINT = re.compile(r"每(低于|低|少于|少|高于|高|超过|超出|超|下降|降低|减少|增加|提高)?"
                                r"(\d+(?:\.\d+)?)(?:个百分点|百分点|%|％)")
_ABOVE = ("高于", "高", "超过", "超出", "超", "增加", "提高")


# After `input NAME:` a type goes: a name there is a type misspelt, or called by another word
_TYPE_PLACE = {spelled("number"), spelled("percent"), spelled("bool")}
_TYPE_WORDS = {
    "数字": "number", "数": "number", "金额": "number", "小数": "number", "实数": "number", "数额": "number",
    "百分数": "percent", "百分率": "percent", "比例": "percent", "比率": "percent", "率": "percent",
    "整数": "count", "次数": "count", "个数": "count", "计次": "count", "布尔": "bool", "是非": "bool",
    "逻辑": "bool", "文字": "text", "字符": "text", "字符串": "text", "int": "count", "integer": "count",
    "float": "number", "decimal": "number", "numeric": "number", "str": "text", "string": "text",
    "boolean": "bool", "percentage": "percent", "pct": "percent", "ratio": "percent",
}  # fmt: skip
_TYPES = ("number", "percent", "count", "bool", "text", "grade", "measure", "rows", "direction")

# words scoring standards use for a keyword (「扣完为止，最多扣5分」「封顶」「理由」): offered where that keyword fits
_KEYWORD_WORDS = {
    "封顶": "cap", "最多": "cap", "最高": "cap", "至多": "cap", "不超过": "cap", "max": "cap", "limit": "cap",
    "理由": "because", "因为": "because", "原因是": "because", "reason": "because",
    "如": "when", "若": "when",
}  # fmt: skip


def _type_meant(word: str) -> str | None:
    """The type a misspelt or other word for one means, spelt as the word is (数字 → `数值`, numbr → `number`)."""
    from perfrules.diagnostics import did_you_mean
    from perfrules.syntax.keywords import KEYWORDS

    english = _TYPE_WORDS.get(word if not word.isascii() else word.lower())
    if english is None:
        spellings = {KEYWORDS.get(t, t) if not word.isascii() else t: t for t in _TYPES}
        found = did_you_mean(word, list(spellings))
        english = spellings[found] if found is not None else None
    if english is None:
        return None
    return KEYWORDS.get(english, english) if not word.isascii() else english


# The signs a facts file may write for a direction (spec §10), and the labels a rule file writes instead.
_DIRECTION_OF_SIGN = {"GE": "正向", "GT": "正向", "LE": "反向", "LT": "反向", "EQ": "等于", "_ASSIGN": "等于"}

def _in_achievement(before: str) -> bool:
    """Whether the innermost parenthesis still open at the end of `before` is an `achievement(` call."""
    depth = 0
    for k in range(len(before) - 1, -1, -1):
        if before[k] in ")）":
            depth += 1
        elif before[k] in "(（":
            if depth == 0:
                return before[:k].rstrip(" \t").endswith(("achievement", "达成度"))
            depth -= 1
    return False


# Form wordings that are keywords, and the names the docs suggest for them (spec section 14).
_RENAMES = {"分值": "权重", "得分": "自评分", "计数": "数量", "方向": "指标方向", "平均": "均值", "weight": "points",
            "score": "self_score", "count": "number_of", "direction": "sense", "key": "name"}  # fmt: skip

_ROWS_DECLARED = re.compile(r"[ \t]*[:：][ \t]*(?:rows|行表)(?![\w])")
_DECLARING = ("input", "param", "let", "indicator", "输入", "参数", "设", "指标")
_CLAMP_WORDS = ("满分为止", "为止", "封顶", "满分封顶", "最高满分", "不超过满分", "capped", "clamped", "max")


def _dead_end(source: Source, text: str, base: int, token: Token, expected: list[str],
              span: Span) -> Diagnostic | None:  # fmt: skip
    """Syntax errors that officials make for a reason the grammar cannot see, and what to write instead."""
    line_start = text.rfind("\n", 0, _start(token)) + 1
    before = text[line_start : _start(token)]
    words = re.split(r"[{;；]", before)[-1].split()  # the statement's words so far
    after = text[_end(token) :].lstrip(" \t")
    scale = re.search(r"(?:分值|weight)\s+(\d+(?:\.\d+)?)\s+(满分|out\s+of)\s*$", before)
    if scale is not None and token.value == "{":
        # `分值 10 满分 {`: 满分 after a weight is `out of` (spec 11), whose scale is missing; full marks is a rule
        out_of, full = ("满分", "满分") if scale.group(2) == "满分" else ("out of", "full")
        weight_word = "分值" if out_of == "满分" else "weight"
        return Diagnostic(say.E101_OUT_OF_SCALE(out_of=out_of), span,
                          help=say.E101_WRITE_SCALE(weight=f"{weight_word} {scale.group(1)}", out_of=out_of, full=full))
    if token.type == "_LBRACK" and not before.strip() and re.match(r"\s*(meta|facts|judged|override)\s*\]", after):
        return Diagnostic(say.E101_LOOKS_LIKE_FACTS(), span, help=say.E101_RULES_FIRST())
    if token.value in ("if", "如果") and re.search(r"[-+*/<>=≥≤]\s*$", before) and "_LP" in expected:
        # `1 + if a then 1 else 2`: an `if` reaches as far right as it can (spec §5), so after an
        # operator it is written in parentheses (after `(` or `,` it needs none)
        rest = re.split(r"\s+(?:because|原因|when|当|cap|上限)\s", _statement_rest(text, _start(token)))[0]
        return Diagnostic(say.E101_UNEXPECTED(token=f"`{token.value}`"), span,
                          help=say.E101_IF_IN_PARENS(text=f"`({rest})`"))
    if token.type == "NAME" and words and words[0] in ("按比例", "ratio") and (
            token.value.startswith("满分") or token.value in _CLAMP_WORDS):  # fmt: skip
        keyword = words[0]
        return Diagnostic(say.E101_CLAMP_NOT_NEEDED(word=token.value, keyword=keyword), span,
                          help=say.E101_DELETE_CLAMP(word=token.value, keyword=keyword))
    if token.type == "NUMBER" and len(words) == 2 and words[0] in ("指标", "indicator"):
        weight = "分值" if words[0] == "指标" else "weight"
        return Diagnostic(say.E101_WEIGHT_KEYWORD(keyword=weight), span,
                          help=say.E101_WRITE(text=f"{words[0]} {words[1]} {weight} {token.value}"))
    if token.type in ("NUMBER", "PERCENT") and after.startswith(".."):
        high = re.match(r"\.\.\s*(-?\d+(?:\.\d+)?[%％]?)", after)
        arms = say.E101_ARMS_RANGE(high=high.group(1), low=token.value) if high else say.E101_ARM(low=token.value)
        return Diagnostic(say.E101_RANGE_NOT_ARM(value=token.value), span,
                          help=say.E101_ARMS_FROM_TOP(arms=arms, otherwise=_keyword("else", _chinese(text))))
    if token.value in ("是", "否", "true", "false") and token.type != "STRING" \
            and re.search(r"(等级|grade)\s+\S+\s*\{[^{}]*$", text[:_start(token)]):
        m = re.search(r"(等级|grade)\s+(\S+)\s*\{[^{}]*$", text[:_start(token)])
        assert m is not None
        name = m.group(2)
        weights = re.findall(r"(?:分值|weight)\s+(\d+(?:\.\d+)?)", text[: _start(token)])
        points = weights[-1] if weights else ("分值" if m.group(1) == "等级" else "WEIGHT")
        if m.group(1) == "等级":
            example = say.E101_BOOL_EXAMPLE(first=f"得分 如果 {name} 则 {points} 否则 0", full="满分",
                                            deduct=f"扣 {points} 当 非 {name}")
        else:
            example = say.E101_BOOL_EXAMPLE(first=f"score if {name} then {points} else 0", full="full",
                                            deduct=f"deduct {points} when not {name}")
        return Diagnostic(say.E101_BOOL_IN_GRADE(word=token.value, grade=m.group(1)), span,
                          help=say.E101_FOR_BOOL(example=example))
    return None


def _keyword(english: str, chinese: bool) -> str:
    from perfrules.syntax.keywords import KEYWORDS

    return KEYWORDS[english] if chinese else english


def _chinese(text: str) -> bool:
    """Does the file write its keywords in Chinese? (the `规则集` header, or any Chinese keyword line)"""
    return bool(re.search(r"^\s*(规则集|指标|输入|参数|设)\s", text, re.M))


def _last_written(text: str) -> int:
    """The offset after the last thing written: trailing blank lines and lines of comment left out."""
    written = text.rstrip()
    while written and written[written.rfind("\n") + 1:].lstrip().startswith("#"):
        written = written[:max(written.rfind("\n"), 0)].rstrip()
    return len(written)


def _statement_rest(text: str, pos: int) -> str:
    """The rest of the statement from `pos`: to the end of its line, a `;`, a `#`, or a brace (`weight10 {`
    runs no further than its `{`)."""
    end = pos
    while end < len(text) and text[end] not in "\n;；#{}":
        end += 1
    return text[pos:end].rstrip()


def _split_run_together(text: str, pos: int) -> str | None:
    """`扣1每1%按未达(合格率,95%)` -> `扣 1 每 1% 按 未达(合格率,95%)`, or None if nothing is run together.

    Names declared in the file and function names are kept whole, then the longest keyword
    wins; whatever is left between them is a name, which never starts with a digit.
    """
    from perfrules.syntax.keywords import FUNCTION_OF

    run = _statement_rest(text, pos)
    declared = set(re.findall(r"(?:input|param|let|indicator|输入|参数|设|指标)\s+([^\W\d]\w*)", text))
    known = sorted(declared | set(FUNCTION_OF), key=len, reverse=True)
    keywords = sorted(ALL_KEYWORDS, key=len, reverse=True)
    pieces: list[tuple[str, bool, bool]] = []  # (text, is a word or number, a space before it)
    i = 0
    pending = ""
    spaced_before = False

    def add(piece: str, wordlike: bool) -> None:
        nonlocal spaced_before
        pieces.append((piece, wordlike, spaced_before))
        spaced_before = False

    def flush() -> None:
        nonlocal pending
        if pending:
            add(pending, True)
            pending = ""

    while i < len(run):
        ch = run[i]
        number = re.match(r"\d+(?:\.\d+)?[%％]?", run[i:])
        if number and not pending:
            add(number.group(0), True)
            i += len(number.group(0))
            continue
        if not (ch.isalnum() or ch == "_"):
            flush()
            if ch.isspace():
                spaced_before = True
            else:
                add(ch, False)
            i += 1
            continue
        word = next((w for w in known if run.startswith(w, i)), None)
        if word is None:
            word = next((k for k in keywords if run.startswith(k, i) and (not k.isascii() or not run[i + len(k) :
                         i + len(k) + 1].isalpha())), None)  # fmt: skip
        if word is not None and not (pending and pending.isascii() and word.isascii()):
            flush()
            add(word, True)
            i += len(word)
            continue
        if number:
            flush()
            continue
        pending += ch
        i += 1
    flush()
    out = ""
    for k, (piece, wordlike, space) in enumerate(pieces):
        if k and (space or (wordlike and pieces[k - 1][1])):
            out += " "
        out += piece
    if out.replace(" ", "") != run.replace(" ", "") or out == run or not any(c.isdigit() for c in run):
        return None
    return out


def _after_declaring_word(text: str, pos: int) -> bool:
    """Is the token at `pos` where a declaration puts its name (`input total: …`)?"""
    before = text[:pos].rstrip().rsplit(None, 1)
    return bool(before) and before[-1] in _DECLARING


def _follows_number(text: str, pos: int) -> bool:
    return pos > 0 and text[pos - 1].isdigit()


def _expected_help(wanted: list[Said | str]) -> Said | None:
    if not wanted:
        return None
    if len(wanted) > 8:
        return say.EXPECTED_MANY(some=tuple(wanted[:8]))
    if len(wanted) == 1:
        return say.EXPECTED(what=wanted[0])
    return say.EXPECTED_EITHER(some=tuple(wanted[:-1]), last=wanted[-1])


def _bad_character(source: Source, text: str, base: int, pos: int) -> Diagnostic:
    ch = text[pos] if pos < len(text) else ""
    span = Span(source, base + pos, base + pos + 1)
    if ch == '"':
        return Diagnostic(say.E102_NO_CLOSING_QUOTE(), span, help=say.E102_CLOSE_QUOTE())
    if ch in ("%", "％"):
        # the number written just before the sign, spaces apart: `85 %` → write `85%`
        number = re.search(r"(\d+(?:\.\d+)?)\s*$", text[:pos])
        return Diagnostic(say.E102_PERCENT_APART(), span,
                          help=say.E102_NO_SPACE(number=number.group(1) if number else "90"))
    if ch in "“”‘’「」":
        return Diagnostic(say.E102_WRONG_QUOTE(char=ch), span, help=say.E102_PLAIN_QUOTES())
    category = unicodedata.category(ch) if ch else ""
    if category in ("Cf", "Cc", "Zs", "Zl", "Zp", "Co", "Cn"):
        name = unicodedata.name(ch, "an unnamed character")
        return Diagnostic(say.E102_INVISIBLE(point=ord(ch), name=name), span, help=say.E102_DELETE_INVISIBLE())
    if ch == "=":
        return Diagnostic(say.E102_UNEXPECTED_ASSIGN(), span, help=say.E102_COMPARE())
    return Diagnostic(say.E102_UNEXPECTED_CHAR(char=ch), span, help=say.E102_REMOVE_CHAR())
