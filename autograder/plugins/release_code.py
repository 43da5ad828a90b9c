"""nbgrader's ClearSolutions, plus code that the release shows in place of a solution region.

Stock nbgrader replaces every `### BEGIN SOLUTION` ... `### END SOLUTION` region
with the one code stub (`raise NotImplementedError()`). An exercise that starts
from given code, such as a backward pass with planted bugs that the student must
fix, needs that code in the release instead. In a solution region, lines

    ### RELEASE: <code>

are what the release shows there (the code at the marker's indentation), in
place of the stub. In the source they are comments, so the solution runs as
written. Regions without such lines get the usual stub.

    dZ2 = dA2 * (A2 > 0)
    ### BEGIN SOLUTION
    dW2 = 1. / m * np.dot(dZ2, A1.T)
    ### RELEASE: dW2 = 2. / m * np.dot(dZ2, A1.T)
    ### END SOLUTION

releases as `dW2 = 2. / m * np.dot(dZ2, A1.T)`. nbgrader_config.py puts this class
in GenerateAssignment's preprocessors where ClearSolutions was; its options
(`c.ClearSolutions.code_stub`, ...) apply unchanged.
"""

import re

from nbgrader.preprocessors import ClearSolutions

MARK = "### RELEASE:"
_RELEASE_LINE = re.compile(r"^(\s*)### RELEASE: ?(.*)$")


def release_source(source, stub, begin="BEGIN SOLUTION", end="END SOLUTION"):
    """A code cell's source as released: regions replaced by their RELEASE lines, or by the stub.

    Returns (new source, whether a region was replaced). Raises RuntimeError on a
    nested or unterminated region, as nbgrader does.
    """
    out, region, in_solution, replaced = [], None, False, False
    for line in source.split("\n"):
        if begin in line:
            if in_solution:
                raise RuntimeError("encountered nested begin solution statements")
            in_solution, replaced = True, True
            region = {"indent": re.match(r"\s*", line).group(0), "release": []}
        elif end in line:
            if in_solution:
                out.extend(region["release"] or [region["indent"] + s for s in stub.split("\n")])
            in_solution = False
        elif in_solution:
            match = _RELEASE_LINE.match(line)
            if match:
                region["release"].append(match.group(1) + match.group(2))
        else:
            out.append(line)
    if in_solution:
        raise RuntimeError("no end solution statement found")
    return "\n".join(out), replaced


class ClearSolutionsWithReleaseCode(ClearSolutions):
    """ClearSolutions where a region's `### RELEASE:` lines replace the stub (see the module docstring)."""

    def _replace_solution_region(self, cell, language):
        if cell.cell_type != "code" or MARK not in cell.source:
            return super()._replace_solution_region(cell, language)
        try:
            cell.source, replaced = release_source(cell.source, self.code_stub[language],
                                                   self.begin_solution_delimeter, self.end_solution_delimeter)
        except RuntimeError:
            self.log.error("Bad solution region. Cell contents are: \n%s", cell.source)
            raise
        return replaced
