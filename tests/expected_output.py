"""Compare an "Expected output" block of a notebook with what its example cell printed.

Numbers are compared as printed, character for character, except a number the
text marks with a leading "~" (rounding noise, such as a gradient check's 1e-9):
there any printed number within a factor of 10 matches. A float in an Expected
output with more than MAX_DIGITS significant digits is refused: its last digits
depend on the CPU (OpenBLAS picks its kernels per machine).
"""

import re

MAX_DIGITS = 10
NUMBER = r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?"
_TOKEN = re.compile(rf"(~?)({NUMBER})")


def significant_digits(text):
    mantissa = re.split(r"[eE]", text.lstrip("+-"))[0]
    if "." not in mantissa:
        return 0  # an integer is exact
    return len(mantissa.replace(".", "").lstrip("0"))


def too_precise(expected):
    """Floats in the expected text printed with more than MAX_DIGITS significant digits."""
    return [m.group(2) for m in _TOKEN.finditer(expected) if significant_digits(m.group(2)) > MAX_DIGITS]


def _pattern(expected):
    """A regex for the printed text: literal text, '~x' as any number."""
    parts, last = [], 0
    for m in _TOKEN.finditer(expected):
        parts.append(re.escape(expected[last:m.start()]))
        parts.append(f"({NUMBER})" if m.group(1) else re.escape(m.group(2)))
        last = m.end()
    parts.append(re.escape(expected[last:]))
    return re.compile("".join(parts), re.DOTALL)


def mismatch(expected, printed):
    """None when printed matches expected, else a short reason."""
    if "~" not in expected:
        return None if printed == expected else "the text differs"
    match = _pattern(expected).fullmatch(printed)
    if not match:
        return "the text differs"
    approx = [float(m.group(2)) for m in _TOKEN.finditer(expected) if m.group(1)]
    for want, got in zip(approx, (float(g) for g in match.groups())):
        if want == 0 or got == 0 or not (0.1 <= abs(got / want) <= 10):
            return f"{got:g} is not within a factor of 10 of ~{want:g}"
    return None
