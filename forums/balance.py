"""The composition of an expert body against its balance rules, and "Suggest a balanced slate".

A `Profile` says, for one member or applicant, what the rules count: gender, EU/EEA
nationality, country, stakeholder category, commercial or not, SME or not. `evaluate()` gives
the figures of a composition against each rule; `suggest_slate()` picks the N applicants with the
highest total score whose appointment, together with the sitting members, satisfies every rule.
It is an integer program solved with HiGHS through `scipy.optimize.milp`: one binary variable
per applicant, the seat count as an equality, and each share rule made linear by multiplying
out its denominator (100·in_group − threshold summed over the base population).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from crm.countries import EEA_COUNTRIES

from .models import BalanceRule

D = BalanceRule.Dimension
OP = BalanceRule.Operator

COMMERCIAL_CATEGORIES = {"industry", "startup", "sme"}
SME_CATEGORIES = {"startup", "sme"}
GENDERS = ("female", "male", "non_binary")

# Organisation type (crm.Organisation.Type) -> stakeholder category; companies by their size.
CATEGORY_OF_TYPE = {
    "startup": "startup",
    "sme_association": "sme",
    "industry_association": "industry",
    "ngo": "civil_society",
    "trade_union": "trade_union",
    "academia": "academia",
    "public_authority": "public_body",
    "eu_agency": "public_body",
    "standardisation_body": "standardisation",
}


@dataclass(frozen=True)
class Profile:
    key: object
    gender: str = ""
    country: str = ""
    category: str = "other"
    score: float = 0.0

    @property
    def eu_eea(self) -> bool:
        return self.country.upper() in EEA_COUNTRIES

    @property
    def commercial(self) -> bool:
        return self.category in COMMERCIAL_CATEGORIES

    @property
    def sme(self) -> bool:
        return self.category in SME_CATEGORIES


def category_of(organisation) -> str:
    """The stakeholder category of an organisation (or "other" for a person on their own)."""
    if organisation is None:
        return "other"
    if organisation.type == "company":
        return "sme" if organisation.size in ("micro", "small", "medium") else "industry"
    return CATEGORY_OF_TYPE.get(organisation.type, "other")


def group_label(dimension: str, group: str) -> str:
    """A group of a balance rule in words: "women", "EU/EEA nationals", "Academia and research"."""
    if not group:
        return {
            D.GENDER: _("every gender"),
            D.COUNTRY: _("every country"),
        }.get(dimension, _("every group"))
    labels = {
        D.GENDER: {
            "female": _("women"),
            "male": _("men"),
            "non_binary": _("non-binary people"),
        },
        D.EU_EEA: {
            "eu_eea": _("EU/EEA nationals"),
            "non_eu_eea": _("nationals of other countries"),
        },
        D.COMMERCIAL: {
            "commercial": _("members with commercial interests"),
            "non_commercial": _("members with non-commercial interests"),
        },
        D.SME_OF_COMMERCIAL: {
            "sme": _("SMEs and start-ups among commercial members"),
            "other": _("other undertakings among commercial members"),
        },
        D.STAKEHOLDER: {k: str(v) for k, v in BalanceRule.Stakeholder.choices},
    }
    if dimension == D.COUNTRY:
        from django_countries import countries

        return str(countries.name(group.upper()) or group.upper())
    return str(labels.get(dimension, {}).get(group, group))


def rule_in_words(rule: BalanceRule) -> str:
    """A rule as a sentence, from its figures."""
    threshold = (
        f"{rule.threshold.normalize():f}"
        if hasattr(rule.threshold, "normalize")
        else rule.threshold
    )
    group = group_label(rule.dimension, rule.value)
    if rule.operator == OP.MIN_COUNT:
        if rule.value:
            return _("At least %(n)s members: %(group)s") % {"n": threshold, "group": group}
        return _("At least %(n)s members from %(group)s") % {"n": threshold, "group": group}
    if rule.value:
        if rule.operator == OP.MIN_SHARE:
            return _("At least %(t)s %% %(group)s") % {"t": threshold, "group": group}
        return _("At most %(t)s %% %(group)s") % {"t": threshold, "group": group}
    dimension = BalanceRule.Dimension(rule.dimension).label
    if rule.operator == OP.MIN_SHARE:
        return _("%(dimension)s: each group at least %(t)s %%") % {
            "dimension": dimension,
            "t": threshold,
        }
    return _("%(dimension)s: no group above %(t)s %%") % {"dimension": dimension, "t": threshold}


@dataclass(frozen=True)
class Constraint:
    """One (rule, group) pair: a rule with an empty value applies to every group it names."""

    rule: BalanceRule
    group: str

    def in_base(self, profile: Profile) -> bool:
        if self.rule.dimension == D.SME_OF_COMMERCIAL:
            return profile.commercial
        return True

    def in_group(self, profile: Profile) -> bool:
        dimension, group = self.rule.dimension, self.group
        if dimension == D.GENDER:
            return profile.gender == group
        if dimension == D.COUNTRY:
            return profile.country.upper() == group.upper()
        if dimension == D.EU_EEA:
            return profile.eu_eea == (group == "eu_eea")
        if dimension == D.STAKEHOLDER:
            return profile.category == group
        if dimension == D.COMMERCIAL:
            return profile.commercial == (group == "commercial")
        if dimension == D.SME_OF_COMMERCIAL:
            return profile.commercial and profile.sme == (group == "sme")
        return False

    @property
    def threshold(self) -> float:
        return float(self.rule.threshold)

    @property
    def group_label(self) -> str:
        return group_label(self.rule.dimension, self.group)


def constraints_for(rules: Iterable[BalanceRule], profiles: Iterable[Profile]) -> list[Constraint]:
    profiles = list(profiles)
    result = []
    for rule in rules:
        if rule.value:
            result.append(Constraint(rule, rule.value))
        elif rule.dimension == D.GENDER:
            result += [Constraint(rule, gender) for gender in GENDERS]
        elif rule.dimension == D.COUNTRY:
            countries = sorted({p.country.upper() for p in profiles if p.country})
            result += [Constraint(rule, country) for country in countries]
        else:
            groups = sorted(BalanceRule.VALUES.get(rule.dimension, ()))
            result += [Constraint(rule, group) for group in groups]
    return result


@dataclass
class RuleResult:
    constraint: Constraint
    count: int
    base: int
    ok: bool

    @property
    def share(self) -> float:
        return 100.0 * self.count / self.base if self.base else 0.0

    @property
    def rule(self) -> BalanceRule:
        return self.constraint.rule


def _holds(constraint: Constraint, count: int, base: int) -> bool:
    operator, threshold = constraint.rule.operator, constraint.threshold
    if operator == OP.MIN_COUNT:
        return count >= threshold
    if base == 0:
        return True
    if operator == OP.MIN_SHARE:
        return 100.0 * count >= threshold * base - 1e-9
    return 100.0 * count <= threshold * base + 1e-9


def evaluate(profiles: Sequence[Profile], rules: Iterable[BalanceRule]) -> list[RuleResult]:
    """Each rule (and, for a rule on every group, each group) against the composition."""
    results = []
    for constraint in constraints_for(rules, profiles):
        base = [p for p in profiles if constraint.in_base(p)]
        count = sum(1 for p in base if constraint.in_group(p))
        results.append(
            RuleResult(constraint, count, len(base), _holds(constraint, count, len(base)))
        )
    return results


def satisfies(profiles: Sequence[Profile], rules: Iterable[BalanceRule]) -> bool:
    return all(result.ok for result in evaluate(profiles, rules))


@dataclass
class Distribution:
    """Counts per group of one dimension, for the panel's bar charts."""

    title: str
    rows: list[tuple[str, int]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(count for _label, count in self.rows)

    ROW = 22  # pixels per bar in the SVG chart
    BAR_WIDTH = 180  # pixels for 100 %

    @property
    def height(self) -> int:
        return max(1, len(self.rows)) * self.ROW

    def bars(self) -> list[dict]:
        total = self.total or 1
        bars = []
        for index, (label, count) in enumerate(self.rows):
            share = 100.0 * count / total
            bars.append(
                {
                    "label": str(label),
                    "count": count,
                    "share": round(share, 1),
                    "y": index * self.ROW,
                    "width": round(share * self.BAR_WIDTH / 100),
                }
            )
        return bars


def distributions(profiles: Sequence[Profile]) -> list[Distribution]:
    from collections import Counter

    gender_names = {"female": _("Women"), "male": _("Men"), "non_binary": _("Non-binary")}
    genders = Counter(gender_names.get(p.gender, _("Not given")) for p in profiles)
    countries = Counter(p.country.upper() or _("Not given") for p in profiles)
    categories = Counter(p.category for p in profiles)
    commercial = [p for p in profiles if p.commercial]
    return [
        Distribution(_("Gender"), sorted(genders.items(), key=lambda kv: -kv[1])),
        Distribution(
            _("Nationality"),
            [
                (_("EU/EEA"), sum(1 for p in profiles if p.eu_eea)),
                (_("Other"), sum(1 for p in profiles if not p.eu_eea)),
            ],
        ),
        Distribution(
            _("Interests"),
            [
                (_("Commercial"), len(commercial)),
                (_("Non-commercial"), len(profiles) - len(commercial)),
            ],
        ),
        Distribution(
            _("Commercial members"),
            [
                (_("SMEs and start-ups"), sum(1 for p in commercial if p.sme)),
                (_("Other undertakings"), sum(1 for p in commercial if not p.sme)),
            ],
        ),
        Distribution(
            _("Stakeholder categories"),
            [(str(BalanceRule.Stakeholder(k).label), v) for k, v in categories.most_common()],
        ),
        Distribution(_("Countries"), countries.most_common(12)),
    ]


class SlateInfeasible(Exception):
    def __init__(self, message: str, rule: BalanceRule | None = None):
        super().__init__(message)
        self.message = message
        self.rule = rule


def _solve(candidates, sitting, constraints, seats):
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    n = len(candidates)
    rows, lower, upper = [np.ones(n)], [seats], [seats]
    for constraint in constraints:
        threshold = constraint.threshold
        in_base = np.array([constraint.in_base(p) for p in candidates], dtype=float)
        in_group = np.array([constraint.in_group(p) for p in candidates], dtype=float) * in_base
        base_fixed = sum(1 for p in sitting if constraint.in_base(p))
        group_fixed = sum(1 for p in sitting if constraint.in_base(p) and constraint.in_group(p))
        operator = constraint.rule.operator
        if operator == OP.MIN_COUNT:
            rows.append(in_group)
            lower.append(threshold - group_fixed)
            upper.append(np.inf)
            continue
        # 100·(group) − t·(base) over sitting members and chosen applicants, ≥ 0 or ≤ 0.
        row = 100.0 * in_group - threshold * in_base
        constant = 100.0 * group_fixed - threshold * base_fixed
        rows.append(row)
        if operator == OP.MIN_SHARE:
            lower.append(-constant - 1e-7)
            upper.append(np.inf)
        else:
            lower.append(-np.inf)
            upper.append(-constant + 1e-7)
    scores = np.array([p.score for p in candidates], dtype=float)
    result = milp(
        c=-scores,
        constraints=LinearConstraint(np.vstack(rows), np.array(lower), np.array(upper)),
        integrality=np.ones(n),
        bounds=Bounds(0, 1),
        options={"time_limit": 10},
    )
    if result.status != 0 or result.x is None:
        return None
    return [candidates[i] for i in range(n) if result.x[i] > 0.5]


def suggest_slate(
    *,
    candidates: Sequence[Profile],
    seats: int,
    rules: Sequence[BalanceRule],
    sitting: Sequence[Profile] = (),
) -> list[Profile]:
    """The `seats` candidates with the highest total score such that, with the sitting members,
    every rule holds. Raises SlateInfeasible naming the rule that makes it impossible."""
    candidates = list(candidates)
    if seats > len(candidates):
        raise SlateInfeasible(
            _("There are only %(count)d applicants for %(seats)d seats.")
            % {"count": len(candidates), "seats": seats}
        )
    constraints = constraints_for(rules, list(candidates) + list(sitting))
    chosen = _solve(candidates, sitting, constraints, seats)
    if chosen is not None:
        return sorted(chosen, key=lambda p: -p.score)
    # Add the rules one at a time: the first that makes the problem infeasible is the one named.
    for index, rule in enumerate(rules):
        subset = [c for c in constraints if any(c.rule is r for r in rules[: index + 1])]
        if _solve(candidates, sitting, subset, seats) is None:
            raise SlateInfeasible(
                _(
                    "No choice of %(seats)d applicants satisfies the rule “%(rule)s”"
                    "%(with_earlier)s. Change the rule, the number of seats or the applicants "
                    "considered."
                )
                % {
                    "seats": seats,
                    "rule": rule.description,
                    "with_earlier": _(" together with the rules listed before it") if index else "",
                },
                rule=rule,
            )
    raise SlateInfeasible(_("No choice of applicants satisfies the rules."))
