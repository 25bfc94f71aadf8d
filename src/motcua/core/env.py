"""Settings from the environment, each variable declared once with its help text.

`VARIABLES` is the single list the operator documentation is checked against
(see docs/configuration.md and tests/core/test_env.py).
"""

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Variable:
    name: str
    default: str
    help: str


VARIABLES: dict[str, Variable] = {}


def env(name: str, default: str, help: str) -> str:
    VARIABLES[name] = Variable(name, default, help)
    return os.environ.get(name, default)


def env_bool(name: str, default: bool, help: str) -> bool:
    raw = env(name, "true" if default else "false", help)
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int, help: str) -> int:
    return int(env(name, str(default), help))


def env_list(name: str, default: str, help: str) -> list[str]:
    return [item.strip() for item in env(name, default, help).split(",") if item.strip()]
