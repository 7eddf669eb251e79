"""Tensor rules table (feeds tensor graph and sweeps): op → shape, primal, VJP, teaching text.

One registration per operation, as lecture notes write backprop: the vector-Jacobian product
(VJP) that turns the node's adjoint ḡ into a contribution to each argument's adjoint, shaped
like that argument ("a gradient has the shape of its variable"). Scalar functions and + − · / ^
act entry by entry with the scalar rules table's own partials; ``unbroadcast`` (one place)
sums a contribution back to the shape of an argument that was broadcast.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .tensor import Shape, shape_text
from .tensor_backend import Backend

Array = np.ndarray


class ShapeMismatch(ValueError):
    """Arguments whose shapes the operation cannot take; the graph builder adds the caret."""


@dataclass(frozen=True)
class TensorRule:
    op: str
    arity: int
    shape: Callable[..., Shape]  # argument shapes (and the constant index) → output shape
    primal: Callable[..., Array]  # (backend, *args) → value
    vjps: tuple[Callable[..., Array], ...]  # (backend, ḡ, out, *args) → contribution per arg
    rule: str  # the name a textbook gives the rule
    text: str  # how a node is written: "{0} @ {1}"
    backward: tuple[str, ...]  # one VJP per argument: "{a̅} += {g} {1}ᵀ"


def unbroadcast(backend: Backend, contribution: Array, shape: Shape) -> Array:
    """Sum a contribution over the axes an argument of ``shape`` was broadcast along."""
    extra = contribution.ndim - len(shape)
    if extra > 0:
        contribution = contribution.sum(axis=tuple(range(extra)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and contribution.shape[i] != 1)
    if axes:
        contribution = contribution.sum(axis=axes, keepdims=True)
    return backend.wrap(contribution)


def minus(a: Array, b: Array) -> Array:
    """a − b entrywise; written a + (−b) because Fraction − mpf has no operator, + has."""
    return a + (-b)


# --- shapes ---------------------------------------------------------------------------------


def _matmul_shape(a: Shape, b: Shape) -> Shape:
    if not a or not b:
        raise ShapeMismatch(f"({shape_text(a)}) @ ({shape_text(b)}) — @ needs vectors or "
                            "matrices on both sides; use * to scale by a scalar")
    if a[-1] != b[0]:
        raise ShapeMismatch(f"({shape_text(a)}) @ ({shape_text(b)}) — the inner sizes "
                            f"{a[-1]} and {b[0]} differ")
    return a[:-1] + b[1:]


def _same_vectors(name: str) -> Callable[[Shape, Shape], Shape]:
    def shape(a: Shape, b: Shape) -> Shape:
        if len(a) != 1 or len(b) != 1:
            raise ShapeMismatch(f"{name}(({shape_text(a)}), ({shape_text(b)})) — {name} "
                                "takes two vectors")
        if name == "dot" and a != b:
            raise ShapeMismatch(f"dot(({shape_text(a)}), ({shape_text(b)})) — the vectors' "
                                f"sizes {a[0]} and {b[0]} differ")
        return () if name == "dot" else (a[0], b[0])
    return shape


def _needs_tensor(name: str, drop_last: bool = False) -> Callable[[Shape], Shape]:
    def shape(a: Shape) -> Shape:
        if not a:
            raise ShapeMismatch(f"{name}(scalar) — {name} takes a vector (or a matrix, "
                                "row by row)")
        return a[:-1] if drop_last else a
    return shape


def _index_shape(a: Shape, k: int) -> Shape:
    if not a:
        raise ShapeMismatch("scalar[k] — only a vector or a matrix can be indexed")
    if not -a[0] <= k < a[0]:
        raise ShapeMismatch(f"[{k}] on ({shape_text(a)}) — the index must be 0 … {a[0] - 1} "
                            f"(0-based, as in numpy), or −{a[0]} … −1 from the end")
    return a[1:]


def broadcast_shape(a: Shape, b: Shape) -> Shape:
    """numpy's broadcasting (a scalar goes with any shape); mismatches are errors."""
    try:
        return tuple(np.broadcast_shapes(a, b))
    except ValueError:
        raise ShapeMismatch(f"({shape_text(a)}) and ({shape_text(b)}) — elementwise "
                            "operations need equal shapes (or a scalar on one side)") from None


# --- primals --------------------------------------------------------------------------------


def _matmul(k: Backend, a: Array, b: Array) -> Array:
    return k.wrap(np.matmul(a, b))


def _logsumexp(k: Backend, z: Array) -> Array:
    shift = k.wrap(z.max(axis=-1, keepdims=True)) if k.name == "float" else k.const(0)
    total = k.elementwise("exp", [k.wrap(minus(z, shift))]).sum(axis=-1, keepdims=True)
    return k.wrap((k.elementwise("log", [k.wrap(total)]) + shift)[..., 0])


def _softmax(k: Backend, z: Array) -> Array:
    return k.elementwise("exp", [k.wrap(minus(z, _logsumexp(k, z)[..., None]))])


def _sum(k: Backend, a: Array) -> Array:
    return k.wrap(a.sum()) if a.size else k.const(0)


# --- VJPs: ḡ is the node's adjoint, out its primal ---------------------------------------------


def _matmul_vjp_a(k: Backend, g: Array, out: Array, a: Array, b: Array) -> Array:
    if b.ndim == 1:
        return k.wrap(np.outer(g, b) if a.ndim == 2 else g * b)  # W̄ += h̄ xᵀ ; ū += ḡ v
    return k.wrap(np.matmul(g, b.T))  # Ā += Ḡ Bᵀ  (and ū += B ḡ for a vector u)


def _matmul_vjp_b(k: Backend, g: Array, out: Array, a: Array, b: Array) -> Array:
    if a.ndim == 1:
        return k.wrap(np.outer(a, g) if b.ndim == 2 else g * a)  # B̄ += u ḡᵀ ; v̄ += ḡ u
    return k.wrap(np.matmul(a.T, g))  # x̄ += Wᵀ h̄ ; B̄ += Aᵀ Ḡ


def _index_vjp(k: Backend, g: Array, out: Array, a: Array, index: int) -> Array:
    result = k.full(a.shape, 0)
    result[index] = g[()] if g.ndim == 0 else g  # an entry, not a 0-d array inside one
    return result


def _softmax_vjp(k: Backend, g: Array, out: Array, z: Array) -> Array:
    return k.wrap(out * minus(g, (g * out).sum(axis=-1, keepdims=True)))


def _log_softmax_vjp(k: Backend, g: Array, out: Array, z: Array) -> Array:
    softmax = k.elementwise("exp", [out])
    return k.wrap(minus(g, softmax * g.sum(axis=-1, keepdims=True)))


def _logsumexp_vjp(k: Backend, g: Array, out: Array, z: Array) -> Array:
    return k.wrap(g[..., None] * k.elementwise("exp", [k.wrap(minus(z, out[..., None]))]))


def _mean(k: Backend, a: Array) -> Array:
    return k.wrap(_sum(k, a) * k.const(_fraction(1, a.size)))


def _fraction(p: int, q: int) -> Any:
    from fractions import Fraction

    return Fraction(p, q)


_G, _A, _B = "{g}", "{abar}", "{bbar}"

_TABLE: list[TensorRule] = [
    TensorRule("matmul", 2, _matmul_shape, _matmul, (_matmul_vjp_a, _matmul_vjp_b),
               "matrix product", "{0} @ {1}",
               (f"{_A} += {_G} {{1}}ᵀ", f"{_B} += {{0}}ᵀ {_G}")),
    TensorRule("dot", 2, _same_vectors("dot"), _matmul, (_matmul_vjp_a, _matmul_vjp_b),
               "dot product", "{0}·{1}", (f"{_A} += {_G}·{{1}}", f"{_B} += {_G}·{{0}}")),
    TensorRule("outer", 2, _same_vectors("outer"), lambda k, a, b: k.wrap(np.outer(a, b)),
               (lambda k, g, o, a, b: k.wrap(np.matmul(g, b)),
                lambda k, g, o, a, b: k.wrap(np.matmul(g.T, a))),
               "outer product", "{0} {1}ᵀ", (f"{_A} += {_G} {{1}}", f"{_B} += {_G}ᵀ {{0}}")),
    TensorRule("transpose", 1, lambda a: a[::-1], lambda k, a: k.wrap(a.T),
               (lambda k, g, o, a: k.wrap(g.T),), "transpose", "{0}ᵀ", (f"{_A} += {_G}ᵀ",)),
    TensorRule("sum", 1, lambda a: (), _sum,
               (lambda k, g, o, a: k.wrap(g * k.full(a.shape, 1)),), "sum (broadcast back)",
               "Σ {0}", (f"{_A} += {_G}·𝟏  (broadcast: every entry gets {_G})",)),
    TensorRule("mean", 1, lambda a: (), _mean,
               (lambda k, g, o, a: k.wrap(g * k.full(a.shape, _fraction(1, a.size))),),
               "mean (broadcast back)", "mean {0}",
               (f"{_A} += ({_G}/n)·𝟏  (broadcast, n entries)",)),
    TensorRule("softmax", 1, _needs_tensor("softmax"), _softmax, (_softmax_vjp,),
               "softmax", "softmax({0})", (f"{_A} += s ⊙ ({_G} − {_G}·s),  s = {{out}}",)),
    TensorRule("log_softmax", 1, _needs_tensor("log_softmax"),
               lambda k, z: k.wrap(minus(z, _logsumexp(k, z)[..., None])), (_log_softmax_vjp,),
               "log-softmax", "log_softmax({0})",
               (f"{_A} += {_G} − softmax({{0}})·Σ{_G}",)),
    TensorRule("logsumexp", 1, _needs_tensor("logsumexp", drop_last=True), _logsumexp,
               (_logsumexp_vjp,), "log-sum-exp", "logsumexp({0})",
               (f"{_A} += {_G}·softmax({{0}})",)),
    TensorRule("index", 2, _index_shape, lambda k, a, i: k.wrap(a[i]), (_index_vjp,),
               "indexing (scatter back)", "{0}[{1}]",
               (f"{_A}[{{1}}] += {_G}  (the other entries get 0)",)),
]

TENSOR_RULES: dict[str, TensorRule] = {rule.op: rule for rule in _TABLE}
