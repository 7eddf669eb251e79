"""Practice, generate: level + seed → an exercise's expression and point (nice numbers).

``random.Random(seed)`` with only integer-returning calls (``randrange``), so a seed gives the
same exercise on every machine and Python version. Candidates whose values are not short exact
decimals or simple fractions are drawn again from the same generator.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction

LEVELS = {1: "three or four operations (+, −, ·) on small integers",
          2: "four or five operations with division and squares; decimals and fractions",
          3: "a sigmoid neuron with a squared-error loss; a value used twice (fan-out)",
          4: "a two-layer net: tanh hidden unit, sigmoid output, squared-error loss",
          5: "a small program: tanh units into a two-way softmax with a cross-entropy loss"}
MAX_TRIES = 500


@dataclass(frozen=True)
class Generated:
    source: str
    at: tuple[tuple[str, str], ...]  # name → value as written


def pick(rng: random.Random, items: list | tuple) -> object:
    return items[rng.randrange(len(items))]


def _num(value: Fraction) -> str:
    """A value as a student writes it: 3, -2, 0.5, -0.25."""
    if value.denominator == 1:
        return str(value.numerator)
    text = f"{float(value):.6f}".rstrip("0")
    return text


def _tree(rng: random.Random, ops: int, names: list[str], kinds: tuple[str, ...]) -> str:
    """A random expression with ``ops`` operations over ``names``; parenthesised as needed."""
    if ops == 0:
        return str(pick(rng, names))
    op = str(pick(rng, kinds))
    if op == "sq":
        inner = _tree(rng, ops - 1, names, kinds)
        return f"{inner}^2" if inner.isidentifier() else f"({inner})^2"
    left_ops = rng.randrange(ops)
    left = _tree(rng, left_ops, names, kinds)
    right = _tree(rng, ops - 1 - left_ops, names, kinds)
    loose = ("+" in left or "-" in left)
    if op in ("*", "/"):
        left = f"({left})" if loose else left
        right = right if right.isidentifier() or right.endswith("^2") and "(" not in right \
            else f"({right})"
    elif op == "-":
        right = f"({right})" if ("+" in right or "-" in right) else right
    return f"{left} {op} {right}"


def _arith(rng: random.Random, level: int) -> Generated:
    names = ["x", "y", "z"][: 2 + rng.randrange(2)]
    if level == 1:
        ops, kinds = 3 + rng.randrange(2), ("+", "-", "*", "*")
        pool = [Fraction(n) for n in (-3, -2, -1, 1, 2, 3, 4, 5)]
    else:
        ops, kinds = 4 + rng.randrange(2), ("+", "-", "*", "/", "sq")
        pool = [Fraction(n, d) for n, d in ((1, 2), (-1, 2), (1, 4), (3, 2), (2, 1), (-2, 1),
                                             (3, 1), (1, 5), (5, 2), (-3, 4), (4, 1))]
    source = _tree(rng, ops, names, kinds)
    used = [n for n in names if n in source]
    return Generated(source, tuple((n, _num(pool[rng.randrange(len(pool))])) for n in used))


def _zero_pair(rng: random.Random) -> tuple[Fraction, Fraction, Fraction]:
    """x, w, b with w·x + b = 0, so that σ and tanh of it are exact (1/2 and 0)."""
    x = Fraction(pick(rng, (1, 2, 3, -1, -2, 4)), pick(rng, (1, 2)))
    w = Fraction(pick(rng, (1, 2, 3, -1, -2, -3)), pick(rng, (1, 2, 4)))
    return x, w, -w * x


def _neuron(rng: random.Random) -> Generated:
    x, w, b = _zero_pair(rng)
    y = Fraction(rng.randrange(2))
    source = str(pick(rng, (
        "z = w*x + b; p = sigmoid(z); r = p - y; L = r*r",
        "z = w*x + b; p = sigmoid(z); L = (p - y)^2 + w*w",
        "z = x*w + b; p = sigmoid(z); d = y - p; L = d*d/2")))
    return Generated(source, tuple((n, _num(v)) for n, v in
                                   (("x", x), ("w", w), ("b", b), ("y", y))))


def _two_layer(rng: random.Random) -> Generated:
    x, w1, b1 = _zero_pair(rng)
    w2 = Fraction(pick(rng, (1, 2, -1, 3, -2)), pick(rng, (1, 2)))
    t = Fraction(rng.randrange(2))
    source = str(pick(rng, (
        "a = w1*x + b1; h = tanh(a); z = w2*h + a; p = sigmoid(z); L = (p - t)^2",
        "a = w1*x + b1; h = tanh(a); z = w2*h; p = sigmoid(z); L = (p - t)^2 + h*h")))
    values = (("x", x), ("w1", w1), ("b1", b1), ("w2", w2), ("t", t))
    return Generated(source, tuple((n, _num(v)) for n, v in values))


def _softmax(rng: random.Random) -> Generated:
    x, w1, b1 = _zero_pair(rng)
    w2 = Fraction(pick(rng, (1, 2, -1, 3)), pick(rng, (1, 2)))
    b2 = -w2 * x
    target = pick(rng, ("e1", "e2"))
    second = str(pick(rng, ("tanh(w2*x + b2)", "w2*x + b2")))
    source = (f"z1 = tanh(w1*x + b1); z2 = {second}; e1 = exp(z1); e2 = exp(z2); "
              f"s = e1 + e2; p = {target}/s; L = -log(p)")
    values = (("x", x), ("w1", w1), ("b1", b1), ("w2", w2), ("b2", b2))
    return Generated(source, tuple((n, _num(v)) for n, v in values))


def candidate(level: int, rng: random.Random) -> Generated:
    if level <= 2:
        return _arith(rng, level)
    return {3: _neuron, 4: _two_layer, 5: _softmax}[level](rng)
