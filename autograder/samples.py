"""Bundled sample submissions: what a class really hands in.

Each sample maps a student id to how its notebooks are made from the release:
``{"answers": {grade_id: code}}`` answers with the reference except where named,
``None`` hands in the release untouched.
"""

HE_WITH_1_OVER_N = '''# GRADED FUNCTION: initialize_parameters_he
def initialize_parameters_he(layers_dims):
    np.random.seed(3)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * np.sqrt(1 / layers_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters
'''

SAMPLES = {
    "week1": {
        "perfect": {"answers": {}},
        "one-mistake": {"answers": {"initialize_parameters_he": HE_WITH_1_OVER_N}},
        "untouched": None,
    },
}
