"""SymPy functions of the language (sigmoid, relu, leaky_relu, softplus): name → Function."""

from __future__ import annotations

import mpmath
import sympy as sp

LEAKY_SLOPE = sp.Rational(1, 100)


def _numeric_first(fn: sp.Function, prec: int, formula) -> sp.Expr | None:
    """evalf with the argument made a real Float first (no spurious 0.e-31·I parts)."""
    arg = fn.args[0]._eval_evalf(prec + 10)
    if arg is None or not arg.is_Number:
        return None
    return formula(arg)._eval_evalf(prec)


class sigmoid(sp.Function):  # noqa: N801 - printed name is the class name
    """σ(a) = 1/(1 + e^(−a)); its derivative σ(1 − σ) is written in σ itself."""

    nargs = 1

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return self * (1 - self)

    def _eval_rewrite_as_exp(self, a, **kwargs):
        return 1 / (1 + sp.exp(-a))

    def _eval_evalf(self, prec):
        return _numeric_first(self, prec, lambda a: 1 / (1 + sp.exp(-a)))

    def _eval_is_real(self):
        return self.args[0].is_real

    def _eval_is_positive(self):
        return True if self.args[0].is_real else None


class softplus(sp.Function):  # noqa: N801
    """softplus(a) = log(1 + e^a); its derivative is σ(a)."""

    nargs = 1

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return sigmoid(self.args[0])

    def _eval_rewrite_as_exp(self, a, **kwargs):
        return sp.log(1 + sp.exp(a))

    _eval_rewrite_as_log = _eval_rewrite_as_exp

    def _eval_evalf(self, prec):
        return _numeric_first(self, prec, lambda a: sp.log(1 + sp.exp(a)))

    def _eval_is_real(self):
        return self.args[0].is_real


class relu(sp.Function):  # noqa: N801
    """relu(a) = max(0, a); derivative: the step Heaviside(a) (0 at the kink, by convention)."""

    nargs = 1

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return sp.Heaviside(self.args[0], 0)

    def _eval_rewrite_as_Max(self, a, **kwargs):
        return sp.Max(0, a)

    def _eval_rewrite_as_Piecewise(self, a, **kwargs):
        return sp.Piecewise((a, a > 0), (0, True))

    _eval_rewrite_as_exp = _eval_rewrite_as_Max

    def _eval_evalf(self, prec):
        return sp.Max(0, self.args[0])._eval_evalf(prec)

    def _eval_is_real(self):
        return self.args[0].is_real


class leaky_relu(sp.Function):  # noqa: N801
    """leaky_relu(a) = a for a > 0, a/100 otherwise (slope 0.01)."""

    nargs = 1

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        a = self.args[0]
        return sp.Piecewise((1, a > 0), (LEAKY_SLOPE, True))

    def _eval_rewrite_as_Piecewise(self, a, **kwargs):
        return sp.Piecewise((a, a > 0), (LEAKY_SLOPE * a, True))

    def _eval_rewrite_as_Max(self, a, **kwargs):
        return sp.Max(a, LEAKY_SLOPE * a)

    _eval_rewrite_as_exp = _eval_rewrite_as_Max

    def _eval_evalf(self, prec):
        return sp.Max(self.args[0], LEAKY_SLOPE * self.args[0])._eval_evalf(prec)

    def _eval_is_real(self):
        return self.args[0].is_real


# --- functions added for issue 11: step, sign, ELU family, GELU, SiLU, softsign -------------


class _Real(sp.Function):
    """A real function of one real argument, evaluated through its explicit ``formula``."""

    nargs = 1

    @staticmethod
    def formula(a: sp.Expr) -> sp.Expr:
        raise NotImplementedError

    def _eval_evalf(self, prec):
        return _numeric_first(self, prec, self.formula)

    def _eval_is_real(self):
        return self.args[0].is_real


class step(_Real):  # noqa: N801
    """Heaviside step with step(0) = 0 (the convention relu′(0) = 0 uses); derivative 0."""

    @staticmethod
    def formula(a: sp.Expr) -> sp.Expr:
        return sp.Heaviside(a, 0)

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return sp.Integer(0)


class sign(_Real):  # noqa: N801
    """sign(a) ∈ {−1, 0, 1}; derivative 0 away from the jump at 0 (and 0 there, by convention)."""

    @staticmethod
    def formula(a: sp.Expr) -> sp.Expr:
        return sp.sign(a)

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return sp.Integer(0)


class elu(_Real):  # noqa: N801
    """ELU with α = 1: a for a > 0, eᵃ − 1 otherwise (smooth at 0: both slopes are 1)."""

    @staticmethod
    def formula(a: sp.Expr) -> sp.Expr:
        return sp.Piecewise((a, a > 0), (sp.exp(a) - 1, True))

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        a = self.args[0]
        return sp.Piecewise((1, a > 0), (sp.exp(a), True))


class _SeluConstant(sp.NumberSymbol):
    """λ or α of SELU, exact as in Klambauer et al. (2017), eq. 14 (PyTorch's decimals)."""

    is_real = True
    is_positive = True
    is_irrational = True
    __slots__ = ()

    def _value(self) -> sp.Expr:
        raise NotImplementedError

    def _as_mpf_val(self, prec):
        return self._value().evalf(mpmath.libmp.prec_to_dps(prec) + 10)._as_mpf_val(prec)

    def _eval_evalf(self, prec):
        return sp.Float._new(self._as_mpf_val(prec), prec)

    def approximation_interval(self, number_cls):
        return None


class SeluAlpha(_SeluConstant):
    def _value(self) -> sp.Expr:
        c = sp.erfc(1 / sp.sqrt(2))
        return -sp.sqrt(2 / sp.pi) / (c * sp.exp(sp.Rational(1, 2)) - 1)

    def _sympystr(self, printer) -> str:
        return "α"

    def _latex(self, printer) -> str:
        return r"\alpha"


class SeluLambda(_SeluConstant):
    def _value(self) -> sp.Expr:
        c, e = sp.erfc(1 / sp.sqrt(2)), sp.E
        inner = (2 * sp.erfc(sp.sqrt(2)) * e**2 + sp.pi * c**2 * e
                 - 2 * (2 + sp.pi) * c * sp.sqrt(e) + sp.pi + 2)
        return (1 - c * sp.sqrt(e)) * sp.sqrt(2 * sp.pi) / sp.sqrt(inner)

    def _sympystr(self, printer) -> str:
        return "λ"

    def _latex(self, printer) -> str:
        return r"\lambda"


SELU_ALPHA, SELU_LAMBDA = SeluAlpha(), SeluLambda()


class selu(_Real):  # noqa: N801
    """SELU: λ·a for a > 0, λα(eᵃ − 1) otherwise (λ ≈ 1.0507, α ≈ 1.6733)."""

    @staticmethod
    def formula(a: sp.Expr) -> sp.Expr:
        return SELU_LAMBDA * sp.Piecewise((a, a > 0), (SELU_ALPHA * (sp.exp(a) - 1), True))

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        a = self.args[0]
        return sp.Piecewise((SELU_LAMBDA, a > 0), (SELU_LAMBDA * SELU_ALPHA * sp.exp(a), True))


class gelu(_Real):  # noqa: N801
    """GELU, exact form: a·Φ(a) = a/2·(1 + erf(a/√2))."""

    @staticmethod
    def formula(a: sp.Expr) -> sp.Expr:
        return a * (1 + sp.erf(a / sp.sqrt(2))) / 2

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        a = self.args[0]
        return (1 + sp.erf(a / sp.sqrt(2))) / 2 + a * sp.exp(-a**2 / 2) / sp.sqrt(2 * sp.pi)


class silu(_Real):  # noqa: N801
    """SiLU (swish): a·σ(a)."""

    @staticmethod
    def formula(a: sp.Expr) -> sp.Expr:
        return a / (1 + sp.exp(-a))

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        a = self.args[0]
        return sigmoid(a) * (1 + a * (1 - sigmoid(a)))


class softsign(_Real):  # noqa: N801
    """softsign(a) = a/(1 + |a|)."""

    @staticmethod
    def formula(a: sp.Expr) -> sp.Expr:
        return a / (1 + sp.Abs(a))

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return 1 / (1 + sp.Abs(self.args[0]))**2
