"""Logic of the donation calculator: how a small share of card spending becomes a donation.

The learner enters how much one card user spends with the card in a month
and how many people use the card (both hypothetical: the pamphlet gives
neither), and may first guess the monthly donation. :func:`estimate`
works out the donation at the case's rate (CASE2: 0.1% of the amount
spent), :func:`parse_amount` reads what the learner typed, forgivingly
but safely, and :func:`judge_guess` says how a guess compares, naming
the usual slips (1% instead of 0.1%, a month instead of a year, one
person instead of everyone).

Money is counted in whole yen. How the real donation is rounded is not
stated in the pamphlet; the course assumes that fractions of a yen are
cut off (切り捨て) and says so on screen. All arithmetic is exact
(:class:`decimal.Decimal`), so 0.1% of 1,000円 is exactly 1円.

The registry entry of the exercise (``kind: donation``, ``case2-ex3`` in
``data/exercises/case2.yml``) names the case whose ``donation_rate`` is
used and the hypothetical starting numbers (:class:`DonationParams`);
:func:`answer_table` works out the model answer for those numbers, and
:func:`board_tallier` counts the room's guesses and numbers for the room board.

No widgets here: :mod:`kyodo.widgets.donation` puts a face on this module.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from enum import Enum
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from ..data import Course, DataError, Problem
from ..models import Id, Strict
from ..text import clean_text, msg

if TYPE_CHECKING:
    from ..board.tally import Given, Tally
    from ..registry import BuiltSpec
    from ..solutions import Table

MONTHS_PER_YEAR = 12
MAX_INPUT_CHARS = 30
"""Longer input is not a number anyone means to type; it is refused before parsing."""

MAX_SPENDING = 1_000_000
"""Monthly card spending of one person above this is not a sensible example (円)."""

MAX_USERS = 10_000_000
"""More card users than this is not a sensible example (人)."""

MAX_GUESS = 10**13
"""A guess above this cannot be meant (円)."""


class Quantity(str, Enum):
    """What a number entered by the learner stands for: sets its unit, limit and wording."""

    SPENDING = "spending"
    USERS = "users"
    GUESS = "guess"


_LIMITS = {Quantity.SPENDING: MAX_SPENDING, Quantity.USERS: MAX_USERS, Quantity.GUESS: MAX_GUESS}
_UNITS = {Quantity.SPENDING: ("円",), Quantity.USERS: ("人", "名"), Quantity.GUESS: ("円",)}


@dataclass(frozen=True)
class Parsed:
    """A parsed input: ``value`` is set when it can be used, else ``message`` says why not."""

    value: int | None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.value is not None


_NUMBER = re.compile(r"^(\d+(?:\.\d+)?)(?:(万)(\d{1,4})?|(千))?$")
"""``20000``, ``2万``, ``1.5万``, ``1万2345``, ``5千``."""
_MINUS = ("-", "−", "‐", "－", "▲", "△", "ー")


def parse_amount(raw: object, quantity: Quantity) -> Parsed:
    """Read a whole number the learner typed, e.g. ``20000``, ``２万円``, ``20,000 円``, ``1.5万``, ``1万2345``.

    Full-width digits, thousands separators, spaces, the unit (円・人・名)
    and the multipliers 万 and 千 are accepted. Empty, negative, fractional
    (of a yen or a person), non-numeric, too long and too large input is
    refused with a short message saying what to type instead.
    """
    name = msg(f"donation.name_{quantity.value}")
    if raw is None:
        return Parsed(None, msg("donation.empty", name=name))
    text, cut = clean_text(str(raw), MAX_INPUT_CHARS + 1)
    if cut or len(text) > MAX_INPUT_CHARS:
        return Parsed(None, msg("donation.too_long", name=name))
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if not ch.isspace()).replace(",", "").replace("、", "")
    if not text:
        return Parsed(None, msg("donation.empty", name=name))
    if text.startswith(_MINUS):
        return Parsed(None, msg("donation.negative", name=name))
    for unit in _UNITS[quantity]:
        if text.endswith(unit):
            text = text[: -len(unit)]
            break
    match = _NUMBER.match(text)
    if match is None:
        return Parsed(None, msg("donation.not_a_number", name=name, example=msg(f"donation.example_{quantity.value}")))
    try:
        number = Decimal(match.group(1))
    except InvalidOperation:  # pragma: no cover - the pattern only lets digits through
        return Parsed(None, msg("donation.not_a_number", name=name, example=msg(f"donation.example_{quantity.value}")))
    if match.group(2):
        number = number * 10_000 + int(match.group(3) or 0)
    elif match.group(4):
        number *= 1_000
    if number != number.to_integral_value():
        return Parsed(None, msg(f"donation.fraction_{quantity.value}", name=name))
    value = int(number)
    limit = _LIMITS[quantity]
    if value > limit:
        return Parsed(None, msg(f"donation.too_large_{quantity.value}", name=name, limit=f"{limit:,}"))
    return Parsed(value)


def yen(amount: Decimal) -> int:
    """Whole yen, fractions cut off (the course's assumption; see the module docstring)."""
    return int(amount.to_integral_value(rounding=ROUND_DOWN))


def rate_text(rate: Decimal) -> str:
    """``Decimal("0.001")`` → ``"0.1%"``."""
    percent = (rate * 100).normalize()
    return f"{percent:f}%"


@dataclass(frozen=True)
class Estimate:
    """The donation that a given (hypothetical) spending would bring."""

    spending: int
    """What one card user spends with the card in a month (円)."""
    users: int
    rate: Decimal

    @property
    def total_spending(self) -> int:
        """What all card users spend with the card in a month (円)."""
        return self.spending * self.users

    @property
    def per_user_month_exact(self) -> Decimal:
        return self.spending * self.rate

    @property
    def per_user_month(self) -> int:
        return yen(self.per_user_month_exact)

    @property
    def per_user_year(self) -> int:
        return yen(self.per_user_month_exact * MONTHS_PER_YEAR)

    @property
    def all_month(self) -> int:
        return yen(self.total_spending * self.rate)

    @property
    def all_year(self) -> int:
        return yen(self.total_spending * self.rate * MONTHS_PER_YEAR)

    @property
    def cut_off(self) -> bool:
        """Whether any shown amount lost a fraction of a yen."""
        exact = (self.per_user_month_exact, self.per_user_month_exact * MONTHS_PER_YEAR,
                 self.total_spending * self.rate, self.total_spending * self.rate * MONTHS_PER_YEAR)
        return any(x != x.to_integral_value() for x in exact)

    def rows(self) -> list[tuple[str, int]]:
        """(label, 円) for the chart and the table, smallest to largest."""
        return [
            (msg("donation.row_user_month"), self.per_user_month),
            (msg("donation.row_user_year"), self.per_user_year),
            (msg("donation.row_all_month", users=f"{self.users:,}"), self.all_month),
            (msg("donation.row_all_year", users=f"{self.users:,}"), self.all_year),
        ]

    def explanation(self) -> list[str]:
        """The calculation step by step, in words (every number is hypothetical)."""
        rate = rate_text(self.rate)
        lines = [
            msg("donation.explain_total", spending=f"{self.spending:,}", users=f"{self.users:,}",
                total=f"{self.total_spending:,}"),
            msg("donation.explain_month", total=f"{self.total_spending:,}", rate=rate, amount=f"{self.all_month:,}"),
            msg("donation.explain_year", total=f"{self.total_spending:,}", rate=rate, amount=f"{self.all_year:,}",
                months=MONTHS_PER_YEAR),
            msg("donation.explain_user", spending=f"{self.spending:,}", rate=rate,
                exact=_plain(self.per_user_month_exact), month=f"{self.per_user_month:,}",
                year=f"{self.per_user_year:,}"),
        ]
        if self.cut_off:
            lines.append(msg("donation.explain_cut_off"))
        return lines


def _plain(value: Decimal) -> str:
    """A decimal amount without trailing zeros or exponent: ``12.3450`` → ``12.345``."""
    text = f"{value.normalize():f}"
    whole, _, fraction = text.partition(".")
    whole_text = f"{int(whole):,}"
    return f"{whole_text}.{fraction}" if fraction else whole_text


def estimate(spending: int, users: int, rate: Decimal | float | str) -> Estimate:
    """The donation from ``users`` people each spending ``spending`` 円 a month with the card.

    ``rate`` is the share donated (0.001 for 0.1%); a float is read through
    its shortest text form, so ``0.001`` is exactly one thousandth.
    """
    exact_rate = rate if isinstance(rate, Decimal) else Decimal(str(rate))
    if not Decimal(0) < exact_rate < Decimal(1):
        raise ValueError(msg("donation.bad_rate", rate=rate))
    if spending < 0 or users < 0:
        raise ValueError(msg("donation.bad_numbers"))
    return Estimate(spending, users, exact_rate)


class GuessVerdict(str, Enum):
    RIGHT = "right"
    RATE_1_PERCENT = "rate_1_percent"
    RATE_10_PERCENT = "rate_10_percent"
    NO_RATE = "no_rate"
    TOO_SMALL_10 = "too_small_10"
    YEAR = "year"
    ONE_USER = "one_user"
    OTHER = "other"


@dataclass(frozen=True)
class GuessResult:
    verdict: GuessVerdict
    message: str

    @property
    def right(self) -> bool:
        return self.verdict is GuessVerdict.RIGHT


def judge_guess(guess: int, est: Estimate) -> GuessResult:
    """Compare a guess of the monthly donation of all users with the real figure.

    A guess within 1円 counts as right (rounding). Otherwise the usual slips
    are recognised by the factor between the guess and the answer.
    """
    right = est.all_month
    answer = f"{right:,}"
    if abs(guess - right) <= 1:
        return GuessResult(GuessVerdict.RIGHT, msg("donation.guess_right", amount=answer))
    exact = est.total_spending * est.rate
    candidates = [
        (GuessVerdict.RATE_1_PERCENT, exact * 10),
        (GuessVerdict.RATE_10_PERCENT, exact * 100),
        (GuessVerdict.NO_RATE, Decimal(est.total_spending)),
        (GuessVerdict.TOO_SMALL_10, exact / 10),
        (GuessVerdict.YEAR, exact * MONTHS_PER_YEAR),
        (GuessVerdict.ONE_USER, est.per_user_month_exact),
    ]
    for verdict, value in candidates:
        if right != yen(value) and abs(guess - yen(value)) <= 1:
            return GuessResult(verdict, msg(f"donation.guess_{verdict.value}", amount=answer,
                                            rate=rate_text(est.rate)))
    direction = "more" if guess > right else "less"
    return GuessResult(GuessVerdict.OTHER, msg(f"donation.guess_other_{direction}", amount=answer,
                                               rate=rate_text(est.rate)))


# --- the exercise's parameters in the registry ------------------------------------------------


class DonationParams(Strict):
    """``params`` of a ``kind: donation`` entry."""

    case: Id
    """The case whose ``donation_rate`` is used (a fact of the pamphlet)."""
    hypothetical: Literal[True]
    """The starting numbers are the course's invention (the pamphlet gives neither): must be true."""
    default_spending: int = Field(ge=0, le=MAX_SPENDING)
    default_users: int = Field(ge=0, le=MAX_USERS)


def settings_of(spec: BuiltSpec, course: Course) -> tuple[Decimal, DonationParams]:
    """The case's donation rate and the entry's starting numbers (raises :class:`DataError`)."""
    params = spec.parsed(DonationParams)
    file, where = f"data/exercises/{spec.lesson}.yml", f"exercises (id: {spec.id}).params"
    try:
        rate = course.case(params.case).donation_rate
    except KeyError as err:
        raise DataError([Problem(file, f"{where}.case", str(err.args[0]))]) from None
    if rate is None:
        raise DataError([Problem(f"data/cases/{params.case}.yml", "donation_rate", msg("donation.no_rate"))])
    return Decimal(str(rate)), params


def answer_table(spec: BuiltSpec, course: Course) -> Table:
    """The donation for the starting (hypothetical) numbers, step by step: who, the calculation, the amount."""
    from ..solutions import Table

    rate, params = settings_of(spec, course)
    est = estimate(params.default_spending, params.default_users, rate)
    r = rate_text(rate)
    calcs = (
        msg("donation.answer_user_month", spending=f"{est.spending:,}", rate=r),
        msg("donation.answer_user_year", month=f"{est.per_user_month:,}", months=MONTHS_PER_YEAR),
        msg("donation.answer_all_month", spending=f"{est.spending:,}", users=f"{est.users:,}", rate=r,
            total=f"{est.total_spending:,}"),
        msg("donation.answer_all_year", month=f"{est.all_month:,}", months=MONTHS_PER_YEAR),
    )
    rows = tuple((label, calc, msg("donation.answer_amount", amount=f"{amount:,}"))
                 for (label, amount), calc in zip(est.rows(), calcs))
    headers = (msg("donation.answer_col_who"), msg("donation.answer_col_calc"), msg("donation.answer_col_amount"))
    return Table(headers, rows)


# --- the room board ------------------------------------------------------------------------

BOXES = ("spending", "users", "guess")
"""The widget's boxes: it saves ``{box: the text typed}`` (see :class:`kyodo.widgets.donation.DonationWidget`)."""

BOARD_MARKS = (*(v.value for v in GuessVerdict), "no_guess", "default", "tried")
"""Every mark :func:`board_tallier` gives (``board_mark.<mark>`` names each)."""


def saved_boxes(state: Any) -> dict[str, str]:
    """The boxes a saved state brings back, as the widget restores them (text only, cleaned and cut)."""
    if not isinstance(state, Mapping):
        return {}
    return {name: clean_text(value, MAX_INPUT_CHARS)[0] for name in BOXES
            if isinstance(value := state.get(name), str)}


@dataclass(frozen=True)
class DonationTallier:
    """The board's tallier of the donation calculator (a Tallier; see :func:`board_tallier`)."""

    rate: Decimal
    defaults: Mapping[str, int]
    """The entry's starting numbers, by box (``spending``, ``users``)."""
    items: tuple[tuple[str, str], ...]
    expected: tuple[Given, ...]

    def __call__(self, state: Any) -> Tally:
        from ..board.tally import EMPTY, Given, Tally

        boxes = saved_boxes(state)
        if not boxes:
            return EMPTY
        labels = dict(self.items)
        found: list[Given] = []
        numbers: dict[str, int] = {}
        for name, quantity in (("spending", Quantity.SPENDING), ("users", Quantity.USERS)):
            value = parse_amount(boxes[name], quantity).value if name in boxes else None
            if value is not None:
                numbers[name] = value
                found.append(self._number(name, labels[name], value))
        finished = False
        guess_text = boxes.get("guess", "").strip()
        if not guess_text:
            found.append(Given("guess", labels["guess"], "no_guess", msg("board_mark.no_guess"), "no_guess", "open"))
        else:
            guess = parse_amount(guess_text, Quantity.GUESS).value
            if guess is not None and len(numbers) == 2:
                result = judge_guess(guess, estimate(numbers["spending"], numbers["users"], self.rate))
                mark = result.verdict.value
                found.append(Given("guess", labels["guess"], mark, msg(f"board_mark.{mark}"), mark,
                                   "accepted" if result.right else "wrong"))
                finished = result.right
        return Tally(tuple(found), True, finished)

    def _number(self, name: str, label: str, value: int) -> Given:
        """A number tried, by order of magnitude (1〜9, 10〜99 ...); the starting number has a row of its own."""
        from ..board.tally import Given

        if value == self.defaults.get(name):
            return Given(name, label, "default", msg(f"board_mark.default_{name}", value=f"{value:,}"), "default",
                         "open")
        if value == 0:
            return Given(name, label, "0", msg(f"board_mark.zero_{name}"), "tried", "open")
        low = 10 ** (len(str(value)) - 1)
        return Given(name, label, str(low), msg(f"board_mark.range_{name}", low=f"{low:,}", high=f"{low * 10:,}"),
                     "tried", "open")


def board_tallier(spec: BuiltSpec, course: Course) -> DonationTallier:
    """The board's tallier of a donation entry: the guess, judged, and the numbers the learners tried.

    The calculator has no task: its saved state is its three boxes (:func:`saved_boxes`). Items:

    * ``guess``: the guess of the monthly donation of all users, judged with :func:`judge_guess` for the
      learner's own numbers: its verdict is the mark (``right`` accepted; ``rate_1_percent``, ``year``,
      ``one_user`` ... wrong), so the board tells how many took 0.1% for 1%; ``no_guess`` (open) when the
      box was left empty (the guess is optional);
    * ``spending`` and ``users``: the numbers tried, by order of magnitude (``tried``), the entry's starting
      number counted apart (``default``); both open, as they are made-up examples.

    ``answered``: the state brings back at least one box (the widget saves only after a calculation).
    ``finished``: the guess is right, which is when the widget shows its success: the calculator has no
    other notion of done, and without a guess there is nothing to check. ``expected``: the right guess.
    """
    from ..board.tally import Given

    rate, params = settings_of(spec, course)
    items = (("guess", msg("donation.name_guess")), ("spending", msg("donation.name_spending")),
             ("users", msg("donation.name_users")))
    right = GuessVerdict.RIGHT.value
    expected = (Given("guess", items[0][1], right, msg(f"board_mark.{right}"), right, "accepted"),)
    return DonationTallier(rate, {"spending": params.default_spending, "users": params.default_users}, items,
                           expected)
