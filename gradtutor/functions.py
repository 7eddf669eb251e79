"""SymPy functions of the language (sigmoid, relu, leaky_relu, softplus): name → Function."""

from __future__ import annotations

import sympy as sp

LEAKY_SLOPE = sp.Rational(1, 100)


class sigmoid(sp.Function):  # noqa: N801 - printed name is the class name
    """σ(a) = 1/(1 + e^(−a)); its derivative σ(1 − σ) is written in σ itself."""

    nargs = 1

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return self * (1 - self)

    def _eval_rewrite_as_exp(self, a, **kwargs):
        return 1 / (1 + sp.exp(-a))

    def _eval_evalf(self, prec):
        return self.rewrite(sp.exp)._eval_evalf(prec)

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

    def _eval_evalf(self, prec):  # not rewrite(exp): that turns tan, sin into complex exps
        return sp.log(1 + sp.exp(self.args[0]))._eval_evalf(prec)

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
