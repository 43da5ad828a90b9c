"""Student-style implementations of the initialization notebook's graded functions (tests/contract.py).

CORRECT = {name: [fn, ...]}: written differently from the reference, all correct; the checks must accept them.
WRONG = {name: [(fn, substring the diagnosis must contain, mistake tag), ...]}: mistakes students make.
"""

import numpy as np


# ---------------------------------------------------------------- correct variants

def zeros_explicit_L(layers_dims):
    parameters = {}
    L = len(layers_dims) - 1
    for l in range(1, L + 1):
        parameters[f"W{l}"] = np.zeros([layers_dims[l], layers_dims[l - 1]])
        parameters[f"b{l}"] = np.zeros([layers_dims[l], 1])
    return parameters


def zeros_comprehension(layers_dims):
    pairs = list(zip(layers_dims[1:], layers_dims[:-1]))
    parameters = {f"W{i + 1}": np.zeros((n, p)) for i, (n, p) in enumerate(pairs)}
    parameters.update({f"b{i + 1}": np.zeros((n, 1)) for i, (n, _) in enumerate(pairs)})
    return parameters


def zeros_int_dtype(layers_dims):
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = np.zeros((layers_dims[l], layers_dims[l - 1]), dtype=int)
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1), dtype=int)
    return parameters


def random_normal(layers_dims):
    np.random.seed(3)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = np.random.normal(0, 10, size=(layers_dims[l], layers_dims[l - 1]))
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters


def random_transposed_draw(layers_dims):
    np.random.seed(3)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = 10 * np.random.randn(layers_dims[l - 1], layers_dims[l]).T
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters


def random_draws_b_too(layers_dims):
    """Draws b as well and multiplies it by 0: odd, but b is zero."""
    np.random.seed(3)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = np.random.standard_normal((layers_dims[l], layers_dims[l - 1])) * 10
        parameters["b" + str(l)] = np.random.randn(layers_dims[l], 1) * 0
    return parameters


def random_reversed_layers(layers_dims):
    np.random.seed(3)
    parameters = {}
    for l in reversed(range(1, len(layers_dims))):
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
        parameters["W" + str(l)] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * 10.0
    return parameters


def he_normal(layers_dims):
    np.random.seed(3)
    parameters = {}
    for l in range(1, len(layers_dims)):
        std = np.sqrt(2 / layers_dims[l - 1])
        parameters[f"W{l}"] = np.random.normal(0.0, std, (layers_dims[l], layers_dims[l - 1]))
        parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
    return parameters


def he_divide(layers_dims):
    np.random.seed(3)
    parameters = {}
    L = len(layers_dims)
    for l in range(1, L):
        parameters["W" + str(l)] = np.random.randn(layers_dims[l], layers_dims[l - 1]) / np.sqrt(layers_dims[l - 1] / 2)
        parameters["b" + str(l)] = np.zeros(shape=(layers_dims[l], 1))
    return parameters


def he_transposed_draw(layers_dims):
    np.random.seed(3)
    parameters = {}
    for l, (n_prev, n) in enumerate(zip(layers_dims[:-1], layers_dims[1:]), start=1):
        parameters["W" + str(l)] = (np.random.randn(n_prev, n) * np.sqrt(2.0 / n_prev)).T
        parameters["b" + str(l)] = np.zeros((n, 1))
    return parameters


def he_sqrt_of_variance(layers_dims):
    np.random.seed(3)
    parameters = {}
    for l in range(1, len(layers_dims)):
        variance = 2.0 / layers_dims[l - 1]
        parameters["W" + str(l)] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * variance ** 0.5
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters


# ---------------------------------------------------------------- mistakes

def _init(layers_dims, W_fn, b_fn=None, seed=True, start=1, stop_early=False, seed_in_loop=False):
    """Build a (mistaken) initializer's output: W_fn(n, n_prev), b_fn(n, n_prev) per layer."""
    if b_fn is None:
        def b_fn(n, n_prev):
            return np.zeros((n, 1))
    if seed:
        np.random.seed(3)
    parameters = {}
    for l in range(start, len(layers_dims) - (1 if stop_early else 0)):
        if seed_in_loop:
            np.random.seed(3)
        parameters["W" + str(l)] = W_fn(layers_dims[l], layers_dims[l - 1])
        parameters["b" + str(l)] = b_fn(layers_dims[l], layers_dims[l - 1])
    return parameters


def zeros_transposed(d):
    return _init(d, lambda n, p: np.zeros((p, n)), seed=False)


def zeros_b_flat(d):
    return _init(d, lambda n, p: np.zeros((n, p)), lambda n, p: np.zeros(n), seed=False)


def zeros_b_prev_width(d):
    return _init(d, lambda n, p: np.zeros((n, p)), lambda n, p: np.zeros((p, 1)), seed=False)


def zeros_stops_early(d):
    return _init(d, lambda n, p: np.zeros((n, p)), seed=False, stop_early=True)


def zeros_from_layer_0(d):
    return _init(d, lambda n, p: np.zeros((n, p)), seed=False, start=0)


def zeros_ones(d):
    return _init(d, lambda n, p: np.ones((n, p)), seed=False)


def zeros_two_arguments(d):
    return _init(d, lambda n, p: np.zeros(n, p), seed=False)


def random_no_factor(d):
    return _init(d, lambda n, p: np.random.randn(n, p))


def random_times_001(d):
    return _init(d, lambda n, p: np.random.randn(n, p) * 0.01)


def random_times_100(d):
    return _init(d, lambda n, p: np.random.randn(n, p) * 100)


def random_sqrt10(d):
    return _init(d, lambda n, p: np.random.normal(0, np.sqrt(10), (n, p)))


def random_he_scale(d):
    return _init(d, lambda n, p: np.random.randn(n, p) * np.sqrt(2 / p))


def random_b_random(d):
    return _init(d, lambda n, p: np.random.randn(n, p) * 10, lambda n, p: np.random.randn(n, 1) * 10)


def random_no_seed(d):
    return _init(d, lambda n, p: np.random.randn(n, p) * 10, seed=False)


def random_seed_in_loop(d):
    return _init(d, lambda n, p: np.random.randn(n, p) * 10, seed_in_loop=True)


def random_rand(d):
    return _init(d, lambda n, p: np.random.rand(n, p) * 10)


def random_uniform_centered(d):
    """Uniform with the right std (10): only the shape of the distribution is wrong."""
    return _init(d, lambda n, p: (np.random.rand(n, p) - 0.5) * np.sqrt(12) * 10)


def random_transposed(d):
    return _init(d, lambda n, p: np.random.randn(p, n) * 10)


def random_b_flat(d):
    return _init(d, lambda n, p: np.random.randn(n, p) * 10, lambda n, p: np.zeros(n))


def random_stops_early(d):
    return _init(d, lambda n, p: np.random.randn(n, p) * 10, stop_early=True)


def random_one_row(d):
    return _init(d, lambda n, p: np.random.randn(1, p) * 10 * np.ones((n, 1)))


def random_one_column(d):
    return _init(d, lambda n, p: np.random.randn(n, 1) * 10 * np.ones((1, p)))


def random_zeros(d):
    return _init(d, lambda n, p: np.zeros((n, p)))


def random_tuple_randn(d):
    return _init(d, lambda n, p: np.random.randn((n, p)) * 10)


def he_xavier(d):
    return _init(d, lambda n, p: np.random.randn(n, p) * np.sqrt(1 / p))


def he_current_width(d):
    return _init(d, lambda n, p: np.random.randn(n, p) * np.sqrt(2 / n))


def he_no_sqrt(d):
    return _init(d, lambda n, p: np.random.randn(n, p) * 2 / p)


def he_one_over_n(d):
    return _init(d, lambda n, p: np.random.randn(n, p) / p)


def he_sqrt2_over_n(d):
    return _init(d, lambda n, p: np.random.randn(n, p) * np.sqrt(2) / p)


def he_sqrt_2n(d):
    return _init(d, lambda n, p: np.random.randn(n, p) * np.sqrt(2 * p))


def he_glorot(d):
    return _init(d, lambda n, p: np.random.randn(n, p) * np.sqrt(2 / (n + p)))


def he_no_scale(d):
    return _init(d, lambda n, p: np.random.randn(n, p))


def he_times_001(d):
    return _init(d, lambda n, p: np.random.randn(n, p) * 0.01)


def he_kept_10(d):
    return _init(d, lambda n, p: np.random.randn(n, p) * 10 * np.sqrt(2 / p))


def he_input_width_everywhere(d):
    """Scales every layer by the input width layers_dims[0]: no candidate, the generic message."""
    return _init(d, lambda n, p: np.random.randn(n, p) * np.sqrt(2 / d[0]))


def he_rand(d):
    return _init(d, lambda n, p: np.random.rand(n, p) * np.sqrt(2 / p))


def he_uniform(d):
    return _init(d, lambda n, p: np.random.uniform(-1, 1, (n, p)) * np.sqrt(3) * np.sqrt(2 / p))


def he_no_seed(d):
    return _init(d, lambda n, p: np.random.randn(n, p) * np.sqrt(2 / p), seed=False)


def he_seed_in_loop(d):
    return _init(d, lambda n, p: np.random.randn(n, p) * np.sqrt(2 / p), seed_in_loop=True)


def he_b_random(d):
    return _init(d, lambda n, p: np.random.randn(n, p) * np.sqrt(2 / p),
                 lambda n, p: np.random.randn(n, 1) * np.sqrt(2 / p))


def he_transposed(d):
    return _init(d, lambda n, p: np.random.randn(p, n) * np.sqrt(2 / p))


def he_b_row(d):
    return _init(d, lambda n, p: np.random.randn(n, p) * np.sqrt(2 / p), lambda n, p: np.zeros((1, n)))


def he_stops_early(d):
    return _init(d, lambda n, p: np.random.randn(n, p) * np.sqrt(2 / p), stop_early=True)


CORRECT = {
    "initialize_parameters_zeros": [zeros_explicit_L, zeros_comprehension, zeros_int_dtype],
    "initialize_parameters_random": [random_normal, random_transposed_draw, random_draws_b_too, random_reversed_layers],
    "initialize_parameters_he": [he_normal, he_divide, he_transposed_draw, he_sqrt_of_variance],
}

WRONG = {
    "initialize_parameters_zeros": [
        (zeros_transposed, "transposed", "zeros.w_transposed"),  # W transposed
        (zeros_b_flat, "not np.zeros(layers_dims[l])", "zeros.b_flat"),  # b of shape (n,)
        (zeros_b_prev_width, "not layers_dims[l-1]", "zeros.b_previous_width"),  # b sized by the previous layer
        (zeros_stops_early, "stop one layer early", "zeros.stops_early"),  # loop stops one layer early
        (zeros_from_layer_0, "numbered from 1", "zeros.from_layer_0"),  # loop starts at layer 0
        (zeros_ones, "is not all zeros", "zeros.w_not_zero"),  # ones instead of zeros
        (zeros_two_arguments, "takes the shape as one tuple", "zeros.zeros_shape_not_tuple"),  # np.zeros(n, p)
    ],
    "initialize_parameters_random": [
        (random_no_factor, "forget to multiply", "random.no_factor"),  # forgot * 10
        (random_times_001, "multiplied by 0.01", "random.times_0_01"),  # * 0.01
        (random_times_100, "multiplied by 100", "random.times_100"),  # * 100
        (random_sqrt10, "not by sqrt(10)", "random.sqrt_10"),  # std sqrt(10)
        (random_he_scale, "He scaling", "random.he_scale"),  # He scale
        (random_b_random, "only the weights are random", "random.b_not_zero"),  # b random
        (random_no_seed, "np.random.seed(3) at the top", "random.no_seed"),  # no seed
        (random_seed_in_loop, "inside the loop", "random.seed_in_loop"),  # seed inside the loop
        (random_rand, "np.random.rand (uniform", "random.not_centered"),  # np.random.rand
        (random_uniform_centered, "not look normally distributed", "random.not_normal"),  # uniform with the right std
        (random_transposed, "transposed", "random.w_transposed"),  # W transposed
        (random_b_flat, "must be a column", "random.b_flat"),  # b of shape (n,)
        (random_stops_early, "stop one layer early", "random.stops_early"),  # loop stops one layer early
        (random_one_row, "identical rows", "random.identical_rows"),  # one row broadcast
        (random_one_column, "identical columns", "random.identical_columns"),  # one column broadcast
        (random_zeros, "is all zeros", "random.w_zeros"),  # zeros
        (random_tuple_randn, "separate numbers", "random.randn_shape_tuple"),  # np.random.randn((n, p))
    ],
    "initialize_parameters_he": [
        (he_xavier, "sqrt(1/n) (Xavier)", "he.scale_sqrt_1_over_n"),  # sqrt(1/n) (Xavier)
        (he_current_width, "wrong layer index", "he.current_layer_width"),  # width of the current layer
        (he_no_sqrt, "forget the square root", "he.no_sqrt"),  # no square root
        (he_one_over_n, "multiplied by 1/n_prev", "he.scale_1_over_n"),  # 1/n
        (he_sqrt2_over_n, "cover the whole fraction", "he.sqrt_of_numerator_only"),  # sqrt(2)/n
        (he_sqrt_2n, "np.sqrt(2 * n_prev)", "he.scale_sqrt_2n"),  # sqrt(2n)
        (he_glorot, "Glorot", "he.glorot"),  # Glorot
        (he_no_scale, "forget the scaling", "he.no_scale"),  # no scaling
        (he_times_001, "multiplied by 0.01", "he.times_0_01"),  # * 0.01
        (he_kept_10, "kept the * 10", "he.kept_times_10"),  # kept * 10
        (he_input_width_everywhere, "expected about", "he.std"),  # input width everywhere
        (he_rand, "np.random.rand (uniform", "he.not_centered"),  # np.random.rand
        (he_uniform, "not look normally distributed", "he.not_normal"),  # uniform with the right std
        (he_no_seed, "np.random.seed(3) at the top", "he.no_seed"),  # no seed
        (he_seed_in_loop, "inside the loop", "he.seed_in_loop"),  # seed inside the loop
        (he_b_random, "only the weights are random", "he.b_not_zero"),  # b random
        (he_transposed, "transposed", "he.w_transposed"),  # W transposed
        (he_b_row, "is a row", "he.b_row"),  # b of shape (1, n)
        (he_stops_early, "stop one layer early", "he.stops_early"),  # loop stops one layer early
    ],
}
