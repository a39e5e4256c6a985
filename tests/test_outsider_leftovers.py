"""Small correctness and message fixes reported by a spec rehearsal and a newcomer."""

from __future__ import annotations

import pytest

import perfrules


def only_problem(text: str) -> perfrules.Diagnostic:
    with pytest.raises(perfrules.PerfrulesError) as info:
        perfrules.loads(text)
    [problem] = info.value.diagnostics
    return problem


@pytest.mark.parametrize(("body", "sign"), [("score max(x, >= 3)", ">="), ("score min(x, 1, < 3)", "<"),
                                           ("score >= 3", ">="), ("score (== 3)", "==")])
def test_a_comparison_where_a_value_goes_is_not_called_chained(body: str, sign: str) -> None:
    # `max(x, >= 3)`: the parser wants a value after `,` (or after `score`, or `(`), so there is no
    # comparison before the sign to chain; it was told 「comparisons are not chained」 with the help
    # to join two comparisons by `and`. Now: a value goes here, with the value written before the sign.
    problem = only_problem(f'ruleset "t" {{ total 10 }}\ninput x: number\nindicator A weight 10 {{ {body} }}\n')
    assert problem.code == "E101"
    assert problem.message == f"unexpected `{sign}`: a value goes here, and a comparison has nothing on its left"
    assert problem.help is not None and problem.help.startswith("write the value it compares before the sign")


def test_a_chained_comparison_is_still_said_as_one() -> None:
    # `1 < x < 3`: after `1 < x` a value has been read, the second `<` chains
    problem = only_problem('ruleset "t" { total 10 }\ninput x: number\n'
                           "indicator A weight 10 { ratio if 1 < x < 3 then 1 else 0 }\n")
    assert problem.message == "unexpected `<`: comparisons are not chained"
