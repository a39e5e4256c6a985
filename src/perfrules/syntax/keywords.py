"""The reserved words of the language in both spellings (spec section 9)."""

from __future__ import annotations

KEYWORDS: dict[str, str] = {
    "ruleset": "规则集", "version": "版本", "total": "总分", "precision": "精度",
    "cite": "依据", "rating": "评级", "input": "输入", "param": "参数", "let": "设",
    "indicator": "指标", "weight": "分值", "full": "满分", "ratio": "按比例",
    "score": "得分", "tiers": "分档", "grade": "等级", "checklist": "清单",
    "item": "项", "note": "说明", "judged": "评定", "bands": "区间",
    "deduct": "扣", "bonus": "加", "per": "每", "of": "按", "whole": "去尾",
    "started": "进一", "cap": "上限", "when": "当", "because": "原因",
    "applies": "适用", "rescale": "折算", "veto": "否决", "and": "且", "or": "或",
    "not": "非", "if": "如果", "then": "则", "else": "否则", "true": "是",
    "false": "否", "in": "范围", "number": "数值", "percent": "百分比",
    "count": "计数", "bool": "是否", "text": "文本",
    # version 2 (spec section 14)
    "rows": "行表", "measure": "度量", "direction": "方向", "optional": "可缺",
    "evenly": "平均", "band": "档", "share": "分摊", "each": "逐行", "where": "筛选",
    "group": "分组", "key": "键", "from": "取",
}  # fmt: skip

VERSION_2_KEYWORDS = frozenset({"rows", "measure", "direction", "optional", "evenly", "band", "share", "each",
                                "where", "group", "key", "from", "out"})  # fmt: skip

# `out of` is two English words; its Chinese spelling is `满分` (right after `分值 N`).
# `out` alone has no twin, but is reserved like every keyword.
ENGLISH_ONLY_KEYWORDS = frozenset({"out"})

FUNCTIONS: dict[str, str] = {
    "min": "最小", "max": "最大", "abs": "绝对值", "floor": "向下取整",
    "ceil": "向上取整", "round": "四舍五入", "clamp": "限定",
    "shortfall": "未达", "excess": "超出",
    # version 2: functions of rows (spec sections 10 and 13)
    "achievement": "达成度", "qualitative": "属定性", "given": "有值",
    "sum": "合计", "count": "行数", "mean": "平均值", "weighted_mean": "加权平均",
}  # fmt: skip

CHINESE_KEYWORDS = frozenset(KEYWORDS.values())
ALL_KEYWORDS = frozenset(KEYWORDS) | CHINESE_KEYWORDS | ENGLISH_ONLY_KEYWORDS
ENGLISH_OF_KEYWORD = {**{k: k for k in KEYWORDS}, **{v: k for k, v in KEYWORDS.items()}, "out": "out"}

# Chinese twin -> English function name; English names map to themselves.
FUNCTION_OF = {**{k: k for k in FUNCTIONS}, **{v: k for k, v in FUNCTIONS.items()}}

# A line that starts with one of these continues the statement above (spec section 2).
CONTINUATION_WORDS = frozenset({"when", "当", "cap", "上限", "because", "原因"})


def keyword_prefix(word: str, *, chinese_only: bool = False) -> str | None:
    """The longest keyword that `word` starts with (but is not), for the glued-keyword hint."""
    # the word's own prefixes, longest first, looked up: a few set lookups per word, not a scan of
    # every keyword (6,000 unknown names took a second that way; issue 16)
    keywords = CHINESE_KEYWORDS if chinese_only else ALL_KEYWORDS
    for end in range(min(len(word) - 1, _LONGEST_KEYWORD), 0, -1):
        if word[:end] in keywords:
            return word[:end]
    return None


_LONGEST_KEYWORD = max(len(kw) for kw in ALL_KEYWORDS)


def spelled(keyword: str) -> str:
    """`when` (`当`): both spellings of an English keyword, for messages."""
    zh = KEYWORDS.get(keyword)
    return f"`{keyword}` (`{zh}`)" if zh else f"`{keyword}`"
