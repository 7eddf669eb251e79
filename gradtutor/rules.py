"""Rules table (feeds graph and reverse): operation → formula, local partials, teaching text.

SymPy does the calculus: each operation's local partials are ``sympy.diff`` of its formula,
computed once per operation. The table adds what a textbook adds: the rule's name, a one-line
explanation, how to write the node, what happens at a kink, and how ``--expand`` splits a
composite function into elementary operations.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import sympy as sp

from .errors import InputError
from .functions import (
    elu,
    gelu,
    leaky_relu,
    relu,
    selu,
    sigmoid,
    sign,
    silu,
    softplus,
    softsign,
    step,
)

# Placeholders for a rule's arguments and its own output (the node's primal).
A, B, C, D, OUT = sp.symbols("a b c d out", real=True)
PLACEHOLDERS = (A, B, C, D)


@dataclass(frozen=True)
class Kink:
    """Where an operation is not differentiable and what gradtutor does there."""

    at: Callable[[object, object], bool]  # (a, b) values → is this the kink?
    text: str  # one-sided derivatives and the convention used


@dataclass(frozen=True)
class Rule:
    op: str
    arity: int
    build: Callable[..., sp.Expr]  # sympy arguments → the operation's formula
    rule: str  # the name a textbook gives the rule
    explain: str  # ∂ of the operation, in words a student reads
    text: str  # how a node is written, "{0}" "{1}" for the arguments
    latex: str
    in_out: bool = False  # write the partial in terms of the node's own primal (σ(1−σ))
    kink: Kink | None = None
    expand: str = ""  # the same operation as a program of elementary ones, over a (and b)


def _unary(op: str, build: Callable[..., sp.Expr], rule: str, explain: str,
           latex: str, text: str = "", **extra: object) -> Rule:
    text = text or f"{op}({{0}})"
    return Rule(op, 1, build, rule, explain, text, latex, **extra)  # type: ignore[arg-type]


_TABLE: list[Rule] = [
    # --- arithmetic ---------------------------------------------------------------
    Rule("add", 2, lambda a, b: a + b, "sum rule", "∂(a + b)/∂a = 1 and ∂(a + b)/∂b = 1",
         "{0} + {1}", "{0} + {1}"),
    Rule("sub", 2, lambda a, b: a - b, "difference rule",
         "∂(a − b)/∂a = 1 and ∂(a − b)/∂b = −1", "{0} − {1}", "{0} - {1}"),
    Rule("mul", 2, lambda a, b: a * b, "product rule",
         "∂(a·b)/∂a = b and ∂(a·b)/∂b = a", "{0}·{1}", r"{0} \cdot {1}"),
    Rule("div", 2, lambda a, b: a / b, "quotient rule",
         "∂(a/b)/∂a = 1/b and ∂(a/b)/∂b = −a/b²  (for 1/b: the reciprocal rule −1/b²)",
         "{0}/{1}", r"\frac{{{0}}}{{{1}}}"),
    Rule("neg", 1, lambda a: -a, "negation", "∂(−a)/∂a = −1", "−{0}", "-{0}"),
    Rule("pow", 2, lambda a, b: a**b, "power rule",
         "∂(aᵇ)/∂a = b·aᵇ⁻¹; for a variable exponent ∂(aᵇ)/∂b = aᵇ·ln a",
         "{0}^{1}", "{0}^{{{1}}}"),
    Rule("id", 1, lambda a: a, "identity", "∂a/∂a = 1", "{0}", "{0}"),
    # --- exponentials and logarithms ----------------------------------------------
    _unary("exp", sp.exp, "exponential rule", "∂eᵃ/∂a = eᵃ, the node's own value",
           r"e^{{{0}}}", in_out=True, text="exp({0})"),
    _unary("log", sp.log, "logarithm rule", "∂ln(a)/∂a = 1/a", r"\ln {0}", text="ln({0})"),
    _unary("sqrt", sp.sqrt, "square-root rule", "∂√a/∂a = 1/(2√a)", r"\sqrt{{{0}}}",
           in_out=True, text="√{0}"),
    _unary("log10", lambda a: sp.log(a) / sp.log(10), "logarithm rule (base 10)",
           "log₁₀(a) = ln(a)/ln(10), so ∂log₁₀(a)/∂a = 1/(a·ln 10)", r"\log_{{10}} {0}"),
    _unary("log2", lambda a: sp.log(a) / sp.log(2), "logarithm rule (base 2)",
           "log₂(a) = ln(a)/ln(2), so ∂log₂(a)/∂a = 1/(a·ln 2)", r"\log_{{2}} {0}"),
    Rule("logb", 2, lambda a, b: sp.log(a) / sp.log(b), "change of base",
         "log(a, b) = ln(a)/ln(b): ∂/∂a = 1/(a·ln b) and ∂/∂b = −ln(a)/(b·(ln b)²)",
         "log({0}, {1})", r"\log_{{{1}}} {0}"),
    # --- trigonometry -------------------------------------------------------------
    _unary("sin", sp.sin, "sine rule", "∂sin(a)/∂a = cos(a)", r"\sin {0}"),
    _unary("cos", sp.cos, "cosine rule", "∂cos(a)/∂a = −sin(a)", r"\cos {0}"),
    _unary("tan", sp.tan, "tangent rule", "∂tan(a)/∂a = 1 + tan²(a) = 1/cos²(a)", r"\tan {0}",
           in_out=True),
    _unary("asin", sp.asin, "arcsine rule", "∂asin(a)/∂a = 1/√(1 − a²)", r"\arcsin {0}"),
    _unary("acos", sp.acos, "arccosine rule", "∂acos(a)/∂a = −1/√(1 − a²)", r"\arccos {0}"),
    _unary("atan", sp.atan, "arctangent rule", "∂atan(a)/∂a = 1/(1 + a²)", r"\arctan {0}"),
    _unary("sinh", sp.sinh, "hyperbolic-sine rule", "∂sinh(a)/∂a = cosh(a)", r"\sinh {0}"),
    _unary("cosh", sp.cosh, "hyperbolic-cosine rule", "∂cosh(a)/∂a = sinh(a)", r"\cosh {0}"),
    # --- activations ----------------------------------------------------------------
    _unary("tanh", sp.tanh, "tanh rule", "∂tanh(a)/∂a = 1 − tanh²(a)", r"\tanh {0}",
           in_out=True, expand="t = exp(2*a); (t - 1)/(t + 1)"),
    _unary("sigmoid", sigmoid, "sigmoid rule", "∂σ(a)/∂a = σ(a)·(1 − σ(a))",
           r"\sigma({0})", in_out=True, text="σ({0})", expand="1/(1 + exp(-a))"),
    _unary("softplus", softplus, "softplus rule", "∂ln(1 + eᵃ)/∂a = σ(a)",
           r"\operatorname{{softplus}}({0})", expand="log(1 + exp(a))"),
    _unary("erf", sp.erf, "error-function rule", "∂erf(a)/∂a = (2/√π)·e^(−a²)",
           r"\operatorname{{erf}}({0})"),
    _unary("relu", relu, "ReLU step", "∂relu(a)/∂a = 1 for a > 0 and 0 for a < 0",
           r"\operatorname{{ReLU}}({0})",
           kink=Kink(lambda a, b: a == 0, "relu is not differentiable at 0: the derivative "
                     "is 0 from the left and 1 from the right; gradtutor uses 0 there "
                     "(as PyTorch and TensorFlow do)")),
    _unary("leaky_relu", leaky_relu, "leaky-ReLU step",
           "∂leaky_relu(a)/∂a = 1 for a > 0 and 0.01 for a < 0",
           r"\operatorname{{LeakyReLU}}({0})",
           kink=Kink(lambda a, b: a == 0, "leaky_relu is not differentiable at 0: the "
                     "derivative is 0.01 from the left and 1 from the right; gradtutor "
                     "uses 0.01 there (as PyTorch does)")),
    _unary("abs", sp.Abs, "absolute-value rule", "∂|a|/∂a = sign(a)", r"\left|{0}\right|",
           text="|{0}|",
           kink=Kink(lambda a, b: a == 0, "abs is not differentiable at 0: the derivative is "
                     "−1 from the left and 1 from the right; gradtutor uses 0 there "
                     "(sign(0) = 0, a subgradient)")),
    _unary("elu", elu, "ELU step", "∂elu(a)/∂a = 1 for a > 0 and eᵃ for a ≤ 0 (α = 1: the "
           "two sides meet with slope 1, so there is no kink)", r"\operatorname{{ELU}}({0})"),
    _unary("selu", selu, "SELU step", "∂selu(a)/∂a = λ for a > 0 and λα·eᵃ for a < 0, with "
           "λ ≈ 1.0507 and α ≈ 1.6733 (Klambauer et al. 2017)", r"\operatorname{{SELU}}({0})",
           kink=Kink(lambda a, b: a == 0, "selu is not differentiable at 0: the derivative is "
                     "λα ≈ 1.7581 from the left and λ ≈ 1.0507 from the right; gradtutor uses "
                     "λα there (as PyTorch does)")),
    _unary("gelu", gelu, "GELU rule", "gelu(a) = a·Φ(a), so ∂gelu(a)/∂a = Φ(a) + a·φ(a): "
           "(1 + erf(a/√2))/2 + a·e^(−a²/2)/√(2π)", r"\operatorname{{GELU}}({0})"),
    _unary("silu", silu, "SiLU (swish) rule", "silu(a) = a·σ(a), so by the product rule "
           "∂silu(a)/∂a = σ(a) + a·σ(a)(1 − σ(a))", r"\operatorname{{SiLU}}({0})"),
    _unary("softsign", softsign, "softsign rule", "∂(a/(1 + |a|))/∂a = 1/(1 + |a|)²",
           r"\operatorname{{softsign}}({0})"),
    _unary("step", step, "step rule", "step(a) is constant on each side of 0, so "
           "∂step(a)/∂a = 0 (step(0) = 0 here)", r"H({0})",
           kink=Kink(lambda a, b: a == 0, "step jumps from 0 to 1 at 0, so it has no "
                     "derivative there; gradtutor uses step(0) = 0 and the derivative 0 there, "
                     "as on both sides")),
    _unary("sign", sign, "sign rule", "sign(a) is constant on each side of 0, so "
           "∂sign(a)/∂a = 0", r"\operatorname{{sign}}({0})",
           kink=Kink(lambda a, b: a == 0, "sign jumps from −1 to 1 at 0, so it has no "
                     "derivative there; gradtutor uses sign(0) = 0 and the derivative 0 there, "
                     "as on both sides")),
    Rule("max", 2, sp.Max, "max rule", "∂max(a, b)/∂a = 1 where a > b, else 0 (and so for b)",
         "max({0}, {1})", r"\max({0}, {1})",
         kink=Kink(lambda a, b: a == b, "max is not differentiable where its arguments tie: "
                   "one-sided derivatives are 0 and 1 for each; gradtutor gives each 1/2")),
    Rule("min", 2, sp.Min, "min rule", "∂min(a, b)/∂a = 1 where a < b, else 0 (and so for b)",
         "min({0}, {1})", r"\min({0}, {1})",
         kink=Kink(lambda a, b: a == b, "min is not differentiable where its arguments tie: "
                   "one-sided derivatives are 0 and 1 for each; gradtutor gives each 1/2")),
]


def _where(op: str, relation: type[sp.Rel], sign: str, tex: str) -> Rule:
    return Rule(f"where_{op}", 4, lambda p, q, a, b: sp.Piecewise((a, relation(p, q)),
                                                                  (b, True)),
                "selection", f"where(p {sign} q, a, b) passes on the branch it selects: "
                "∂/∂a = 1 where the condition holds, ∂/∂b = 1 where it does not, and 0 for the "
                "compared values", f"where({{0}} {sign} {{1}}, {{2}}, {{3}})",
                rf"\begin{{{{cases}}}} {{2}} & {{0}} {tex} {{1}} \\ {{3}} & \text{{{{otherwise}}}}"
                rf"\end{{{{cases}}}}",
                kink=Kink(lambda p, q: p == q, "where switches branches where the two sides of "
                          "its comparison are equal: the one-sided derivatives there are those "
                          "of the two branches; gradtutor differentiates the branch the "
                          "condition selects (as torch.where does)"))


_TABLE += [_where("lt", sp.StrictLessThan, "<", "<"),
           _where("gt", sp.StrictGreaterThan, ">", ">"),
           _where("le", sp.LessThan, "≤", r"\le"), _where("ge", sp.GreaterThan, "≥", r"\ge"),
           _where("eq", sp.Eq, "==", "=")]

RULES: dict[str, Rule] = {rule.op: rule for rule in _TABLE}


def rule_for(op: str) -> Rule:
    """The rule of ``op``; an operation without one is a clear input error, never a KeyError."""
    if op in RULES:
        return RULES[op]
    from .vocab import TENSOR_OPS

    if op in TENSOR_OPS:  # reached only where numbers are expected (plot, a scalar formula)
        raise InputError(f"{op!r} is an operation on vectors and matrices, which this command "
                         "does not take", hint='trace, graph and check take tensor programs '
                         'with their values, e.g. gradtutor trace "sum(x^2)" --at x=[1,2,3]')
    raise InputError(f"{op!r} is an operation that cannot be traced yet",
                     hint="write the model with scalar operations and functions")


def _placeholders(arity: int) -> tuple[sp.Symbol, ...]:
    return PLACEHOLDERS[:arity]


@cache
def local_partials(op: str) -> tuple[sp.Expr, ...]:
    """∂out/∂(each argument) in the placeholders a, b (and out where the rule says so)."""
    rule = RULES[op]
    args = _placeholders(rule.arity)
    formula = rule.build(*args)
    partials = []
    for arg in args:
        # powsimp: b·a^(b−1) rather than a^b·b/a, which is undefined at a = 0
        partial = sp.powsimp(sp.diff(formula, arg))
        if rule.in_out:
            partial = partial.subs(formula, OUT)
        partials.append(partial)
    return tuple(partials)


@cache
def formula(op: str) -> sp.Expr:
    """The operation's formula in the placeholders a, b."""
    rule = RULES[op]
    return rule.build(*_placeholders(rule.arity))
