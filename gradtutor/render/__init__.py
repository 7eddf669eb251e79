"""Stage 4, render: results → rich renderables, JSON, markdown and LaTeX (never computes)."""
