"""Balance figures against hand-computed ones; the suggested slate against a brute-force search."""

import itertools
import random
from decimal import Decimal

import pytest

from forums.balance import Profile, SlateInfeasible, evaluate, satisfies, suggest_slate
from forums.models import BalanceRule


def rule(dimension, value, operator, threshold, description="rule"):
    return BalanceRule(
        dimension=dimension,
        value=value,
        operator=operator,
        threshold=Decimal(str(threshold)),
        description=description,
    )


EU_80 = rule("eu_eea", "eu_eea", "min_share", 80, "At least 80 % EU/EEA nationals")
GENDER_60 = rule("gender", "", "max_share", 60, "No gender above 60 %")
COMMERCIAL_MIN_40 = rule("commercial", "commercial", "min_share", 40, "Commercial at least 40 %")
COMMERCIAL_MAX_60 = rule("commercial", "commercial", "max_share", 60, "Commercial at most 60 %")
SME_THIRD = rule("sme_of_commercial", "sme", "min_share", "33.33", "SMEs a third of commercial")
ACADEMIA_2 = rule("stakeholder", "academia", "min_count", 2, "At least 2 academics")


def test_figures_match_hand_computed_ones():
    members = [
        Profile(1, "female", "BE", "sme"),
        Profile(2, "female", "FR", "industry"),
        Profile(3, "male", "US", "industry"),
        Profile(4, "female", "NO", "academia"),
        Profile(5, "male", "DE", "civil_society"),
    ]
    results = {
        (r.rule.description, r.constraint.group): r
        for r in evaluate(members, [EU_80, GENDER_60, COMMERCIAL_MAX_60, SME_THIRD, ACADEMIA_2])
    }
    eu = results[("At least 80 % EU/EEA nationals", "eu_eea")]
    assert (eu.count, eu.base, eu.share, eu.ok) == (4, 5, 80.0, True)  # NO is EEA-EFTA
    women = results[("No gender above 60 %", "female")]
    assert (women.count, women.share, women.ok) == (3, 60.0, True)
    commercial = results[("Commercial at most 60 %", "commercial")]
    assert (commercial.count, commercial.base, commercial.ok) == (3, 5, True)
    sme = results[("SMEs a third of commercial", "sme")]
    assert (sme.count, sme.base, sme.ok) == (1, 3, True)  # 33.3 % >= 33.33 % within rounding
    academics = results[("At least 2 academics", "academia")]
    assert (academics.count, academics.ok) == (1, False)


def _random_pool(seed, n):
    rng = random.Random(seed)
    return [
        Profile(
            i,
            rng.choice(["female", "male", "male"]),
            rng.choice(["BE", "FR", "DE", "US", "GB", "PL"]),
            rng.choice(["industry", "industry", "sme", "academia", "civil_society"]),
            float(rng.randint(1, 100)),
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("seed", range(6))
def test_the_slate_matches_a_brute_force_search(seed):
    pool = _random_pool(seed, 12)
    sitting = [Profile("s", "female", "BE", "academia")]
    rules = [EU_80, GENDER_60, COMMERCIAL_MIN_40, COMMERCIAL_MAX_60, SME_THIRD, ACADEMIA_2]
    seats = 5
    best = None
    for combo in itertools.combinations(pool, seats):
        if satisfies(list(combo) + sitting, rules):
            total = sum(p.score for p in combo)
            best = total if best is None else max(best, total)
    if best is None:
        with pytest.raises(SlateInfeasible):
            suggest_slate(candidates=pool, seats=seats, rules=rules, sitting=sitting)
        return
    slate = suggest_slate(candidates=pool, seats=seats, rules=rules, sitting=sitting)
    assert len(slate) == seats
    assert satisfies(slate + sitting, rules)
    assert sum(p.score for p in slate) == best


def test_an_infeasible_slate_names_the_rule_that_makes_it_so():
    pool = [Profile(i, "male", "BE", "industry", 10.0) for i in range(6)]
    pool += [Profile(10, "female", "BE", "academia", 1.0)]
    with pytest.raises(SlateInfeasible) as info:
        suggest_slate(candidates=pool, seats=4, rules=[EU_80, ACADEMIA_2, GENDER_60])
    assert info.value.rule is ACADEMIA_2
    assert "At least 2 academics" in info.value.message


def test_too_few_applicants_is_said_plainly():
    with pytest.raises(SlateInfeasible) as info:
        suggest_slate(candidates=[Profile(1, score=1.0)], seats=3, rules=[])
    assert "only 1 applicants for 3 seats" in info.value.message
