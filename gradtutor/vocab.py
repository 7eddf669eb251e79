"""Stage 1 data: the language's words (functions, constants, comparisons) → operations.

Also the did-you-mean table for the names students bring from other tools (``arctan``,
``Heaviside``, ``sigma``), so an unknown function is answered by meaning as well as spelling.
"""

from __future__ import annotations

# The language's functions: surface name → (operation, number of arguments).
FUNCTIONS: dict[str, tuple[str, int]] = {
    "sin": ("sin", 1), "cos": ("cos", 1), "tan": ("tan", 1),
    "asin": ("asin", 1), "acos": ("acos", 1), "atan": ("atan", 1),
    "sinh": ("sinh", 1), "cosh": ("cosh", 1),
    "exp": ("exp", 1), "log": ("log", 1), "ln": ("log", 1), "sqrt": ("sqrt", 1),
    "log10": ("log10", 1), "log2": ("log2", 1),
    "tanh": ("tanh", 1), "sigmoid": ("sigmoid", 1), "relu": ("relu", 1),
    "softplus": ("softplus", 1), "abs": ("abs", 1), "erf": ("erf", 1),
    "leaky_relu": ("leaky_relu", 1), "max": ("max", 2), "min": ("min", 2),
    "sign": ("sign", 1), "step": ("step", 1), "elu": ("elu", 1), "selu": ("selu", 1),
    "gelu": ("gelu", 1), "silu": ("silu", 1), "swish": ("silu", 1),
    "softsign": ("softsign", 1), "where": ("where", 3),
    # tensor functions (their values and rules come with tensor nodes)
    "transpose": ("transpose", 1), "sum": ("sum", 1), "mean": ("mean", 1),
    "dot": ("dot", 2), "outer": ("outer", 2), "softmax": ("softmax", 1),
    "log_softmax": ("log_softmax", 1), "logsumexp": ("logsumexp", 1),
}
# A second arity of the same name: log(x, base).
OVERLOADS: dict[tuple[str, int], str] = {("log", 2): "logb", ("ln", 2): "logb"}
TENSOR_OPS = frozenset({"transpose", "sum", "mean", "dot", "outer", "softmax", "log_softmax",
                        "logsumexp", "matmul", "index"})
CONSTANTS = ("pi", "e")
OPERATORS = {"+": "add", "-": "sub", "*": "mul", "/": "div", "@": "matmul"}
COMPARISONS = {"<": "lt", ">": "gt", "<=": "le", ">=": "ge", "==": "eq"}
COMPARISON_OPS = frozenset(COMPARISONS.values())
AUGMENTED = {"+=": "add", "-=": "sub", "*=": "mul", "/=": "div"}

# Names from other tools and textbooks → what to write here.
MEANING: dict[str, str] = {
    "arctan": "atan", "arcsin": "asin", "arccos": "acos", "heaviside": "step",
    "unit_step": "step", "sgn": "sign", "signum": "sign", "sigma": "sigmoid",
    "logistic": "sigmoid", "sigm": "sigmoid", "expit": "sigmoid", "lg": "log10",
    "lb": "log2", "ld": "log2", "fabs": "abs", "absolute": "abs", "maximum": "max",
    "minimum": "min", "amax": "max", "amin": "min", "leakyrelu": "leaky_relu",
    "lrelu": "leaky_relu", "logaddexp": "logsumexp", "matmul": "A @ B", "t": "transpose",
    "log1p": "log(1 + x)", "expm1": "exp(x) - 1", "exp2": "2^x", "pow": "x^y",
    "power": "x^y", "sqr": "x^2", "square": "x^2", "cbrt": "x^(1/3)", "cot": "1/tan(x)",
    "sec": "1/cos(x)", "csc": "1/sin(x)", "atanh": "(log(1 + x) - log(1 - x))/2",
    "arctanh": "(log(1 + x) - log(1 - x))/2", "asinh": "log(x + sqrt(x^2 + 1))",
    "arcsinh": "log(x + sqrt(x^2 + 1))", "acosh": "log(x + sqrt(x^2 - 1))",
    "arccosh": "log(x + sqrt(x^2 - 1))", "logit": "log(p/(1 - p))", "mish": "x*tanh(softplus(x))",
    "hardtanh": "max(-1, min(x, 1))", "relu6": "min(relu(x), 6)", "ifelse": "where",
    "if_else": "where", "select": "where",
}


def usage(name: str) -> str:
    """How a call of ``name`` is written, e.g. "max(a, b)"."""
    arity = FUNCTIONS[name][1]
    if name == "where":
        return "where(x > 0, a, b)"
    return f"{name}(a, b)" if arity == 2 else f"{name}(x)"


def suggestion(name: str) -> str:
    """The function meant by an unknown ``name``: by meaning first, then by spelling; or ""."""
    import difflib  # only on this error path

    key = name.lower()
    if key in MEANING:
        return MEANING[key]
    if key in FUNCTIONS:
        return key
    close = difflib.get_close_matches(key, list(FUNCTIONS), n=1)
    return close[0] if close else ""


def unknown_function(name: str, kind: str = "") -> tuple[str, str]:
    """The message and hint for a call of ``name`` (``kind``: "constant", "variable" or "")."""
    supported = ", ".join(sorted(FUNCTIONS))
    if kind:
        return f"{name!r} is a {kind}, not a function", f"multiply explicitly: {name}*(...)"
    meant = suggestion(name)
    if meant:
        shown = f"did you mean {meant!r}?" if meant in FUNCTIONS else f"write {meant}"
        return f"unknown function {name!r}", f"{shown} Supported functions: {supported}"
    if len(name) <= 2 or name[0].islower():
        return (f"unknown function {name!r} (a variable cannot be called)",
                f"if {name} is a variable, multiply explicitly: {name}*(...). "
                f"Supported functions: {supported}")
    return f"unknown function {name!r}", f"supported: {supported}"
