"""Phone numbers as people write them: the same number whatever its spacing or prefix.

The device, the API, the grader and the pipeline's send guard all compare numbers this way:
``+1 503 555 0133``, ``(503) 555-0133`` and ``5035550133`` are one number.
"""

from __future__ import annotations

import re

SAME_NUMBER_DIGITS = 10  # +1 503 555 0133 and 503-555-0133 are the same number


def digits(number: str) -> str:
    """The digits of ``number``, nothing else."""
    return re.sub(r"\D", "", number)


def number_key(number: str) -> str:
    """What two ways of writing one number share: its last ten digits ("" for none)."""
    return digits(number)[-SAME_NUMBER_DIGITS:]
