"""Student-style hyperparameter samplers (tests/contract.py tables)."""

import math

import numpy as np


# ---------------------------------------------------------------- sample_learning_rates

def lr_natural_log(n, low=1e-4, high=1.0):
    """exp of a uniform natural log: the same distribution."""
    return np.exp(np.random.uniform(np.log(low), np.log(high), n))


def lr_rand_scaled(n, low=1e-4, high=1.0):
    a, b = math.log10(low), math.log10(high)
    r = a + (b - a) * np.random.rand(n)
    return np.power(10.0, r)


def lr_list_comprehension(n, low=1e-4, high=1.0):
    return np.array([10 ** np.random.uniform(np.log10(low), np.log10(high)) for _ in range(n)])


def lr_linear(n, low=1e-4, high=1.0):
    return np.random.uniform(low, high, n)


def lr_ln_bounds_power_10(n, low=1e-4, high=1.0):
    return 10 ** np.random.uniform(np.log(low), np.log(high), n)


def lr_log10_bounds_exp(n, low=1e-4, high=1.0):
    return np.exp(np.random.uniform(np.log10(low), np.log10(high), n))


def lr_fixed_range(n, low=1e-4, high=1.0):
    return 10 ** np.random.uniform(-4, 0, n)


def lr_integer_exponents(n, low=1e-4, high=1.0):
    return 10.0 ** np.random.randint(int(np.log10(low)), int(np.log10(high)) + 1, n)


def lr_column(n, low=1e-4, high=1.0):
    return 10 ** np.random.uniform(np.log10(low), np.log10(high), (n, 1))


def lr_own_generator(n, low=1e-4, high=1.0):
    return 10 ** np.random.default_rng().uniform(np.log10(low), np.log10(high), n)


def lr_reseeds(n, low=1e-4, high=1.0):
    np.random.seed(0)
    return 10 ** np.random.uniform(np.log10(low), np.log10(high), n)


def lr_exponents_only(n, low=1e-4, high=1.0):
    return np.random.uniform(np.log10(low), np.log10(high), n)


# ---------------------------------------------------------------- sample_betas

def betas_swapped_bounds(n, low=0.9, high=0.999):
    """r drawn from the larger bound to the smaller: np.random.uniform accepts that."""
    r = np.random.uniform(np.log10(1 - low), np.log10(1 - high), n)
    return 1 - 10 ** r


def betas_natural_log(n, low=0.9, high=0.999):
    return 1 - np.exp(np.random.uniform(np.log(1 - high), np.log(1 - low), size=n))


def betas_loop(n, low=0.9, high=0.999):
    out = np.zeros(n)
    for i in range(n):
        r = np.random.rand() * (np.log10(1 - low) - np.log10(1 - high)) + np.log10(1 - high)
        out[i] = 1 - 10 ** r
    return out


def betas_linear(n, low=0.9, high=0.999):
    return np.random.uniform(low, high, n)


def betas_log_of_beta(n, low=0.9, high=0.999):
    return 10 ** np.random.uniform(np.log10(low), np.log10(high), n)


def betas_one_minus_beta(n, low=0.9, high=0.999):
    return 10 ** np.random.uniform(np.log10(1 - high), np.log10(1 - low), n)


def betas_fixed_range(n, low=0.9, high=0.999):
    return 1 - 10 ** np.random.uniform(-3, -1, n)


def betas_exp_of_log10(n, low=0.9, high=0.999):
    return 1 - np.exp(np.random.uniform(np.log10(1 - high), np.log10(1 - low), n))


CORRECT = {
    "sample_learning_rates": [lr_natural_log, lr_rand_scaled, lr_list_comprehension],
    "sample_betas": [betas_swapped_bounds, betas_natural_log, betas_loop],
}

WRONG = {
    "sample_learning_rates": [
        (lr_linear, "linear scale", "hp.lr_linear_scale"),
        (lr_ln_bounds_power_10, "natural logs of the bounds", "hp.lr_natural_log_bounds"),
        (lr_log10_bounds_exp, "np.exp", "hp.lr_natural_log_bounds"),
        (lr_fixed_range, "use the arguments low and high", "hp.lr_ignores_bounds"),
        (lr_integer_exponents, "not an integer", "hp.integer_exponents"),
        (lr_column, "expected (10000,)", "hp.shape"),
        (lr_own_generator, "global generator", "hp.not_global_rng"),
        (lr_reseeds, "np.random.seed itself", "hp.reseeds"),
        (lr_exponents_only, "10**r is missing", "hp.lr_log_of_rate"),
    ],
    "sample_betas": [
        (betas_linear, "linear scale", "hp.beta_linear_scale"),
        (betas_log_of_beta, "not log10 of 1 - beta", "hp.beta_log_of_beta"),
        (betas_one_minus_beta, "returned 1 - beta", "hp.beta_returns_one_minus_beta"),
        (betas_fixed_range, "use the arguments low and high", "hp.beta_ignores_bounds"),
        (betas_exp_of_log10, "not np.exp", "hp.beta_natural_log_bounds"),
    ],
}
