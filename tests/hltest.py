"""Helpers shared by test modules (fixtures live in conftest.py)."""

MIRACLE_MSG = '"miracle cure" is an absolute claim; describe what the evidence shows instead'


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
