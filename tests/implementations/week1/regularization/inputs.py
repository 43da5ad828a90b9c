"""normalize_inputs and diagnose written as students write them: CORRECT variants and WRONG versions."""

import numpy as np

# ================================================================ normalize_inputs


def normalize_std(X_train, X_test):
    mu = X_train.mean(axis=1).reshape(-1, 1)
    sigma = X_train.std(axis=1, keepdims=True)
    return (X_train - mu) / sigma, (X_test - mu) / sigma, mu, sigma


def normalize_lecture_inplace(X_train, X_test):
    m = X_train.shape[1]
    mu = np.sum(X_train, axis=1, keepdims=True) / m
    X_train -= mu
    sigma2 = np.sum(X_train ** 2, axis=1, keepdims=True) / m
    sigma = np.sqrt(sigma2)
    X_train /= sigma
    return X_train, (X_test - mu) / sigma, mu, sigma


def normalize_loop(X_train, X_test):
    n = X_train.shape[0]
    mu = np.zeros((n, 1))
    sigma = np.zeros((n, 1))
    for i in range(n):
        mu[i, 0] = np.mean(X_train[i])
        sigma[i, 0] = np.sqrt(np.mean((X_train[i] - mu[i, 0]) ** 2))
    return (X_train - mu) / sigma, (X_test - mu) / sigma, mu, sigma


def normalize_sample_std(X_train, X_test):
    mu = np.mean(X_train, axis=1, keepdims=True)
    sigma = np.std(X_train, axis=1, ddof=1, keepdims=True)
    return (X_train - mu) / sigma, (X_test - mu) / sigma, mu, sigma


def normalize_test_own_stats(X_train, X_test):
    mu = np.mean(X_train, axis=1, keepdims=True)
    sigma = np.std(X_train, axis=1, keepdims=True)
    return ((X_train - mu) / sigma,
            (X_test - X_test.mean(axis=1, keepdims=True)) / X_test.std(axis=1, keepdims=True), mu, sigma)


def normalize_variance(X_train, X_test):
    mu = np.mean(X_train, axis=1, keepdims=True)
    sigma = np.var(X_train, axis=1, keepdims=True)
    return (X_train - mu) / sigma, (X_test - mu) / sigma, mu, sigma


def normalize_no_keepdims(X_train, X_test):
    mu = np.mean(X_train, axis=1)
    sigma = np.std(X_train, axis=1)
    return (X_train - mu[:, None]) / sigma[:, None], (X_test - mu[:, None]) / sigma[:, None], mu, sigma


def normalize_axis0(X_train, X_test):
    mu = np.mean(X_train, axis=0, keepdims=True)
    sigma = np.std(X_train, axis=0, keepdims=True)
    return (X_train - mu) / sigma, X_test, mu, sigma


def normalize_uncentered_sigma(X_train, X_test):
    mu = np.mean(X_train, axis=1, keepdims=True)
    sigma = np.sqrt(np.mean(X_train ** 2, axis=1, keepdims=True))
    return (X_train - mu) / sigma, (X_test - mu) / sigma, mu, sigma


def normalize_not_centered(X_train, X_test):
    mu = np.mean(X_train, axis=1, keepdims=True)
    sigma = np.std(X_train, axis=1, keepdims=True)
    return X_train / sigma, X_test / sigma, mu, sigma


# ================================================================ diagnose


def diagnose_numpy_bools(train_error, dev_error, bayes_error=0.0, tolerance=0.02):
    errors = np.array([train_error, dev_error, bayes_error])
    return (errors[0] - errors[2]) > tolerance, (errors[1] - errors[0]) > tolerance


def diagnose_if_else(train_error, dev_error, bayes_error=0.0, tolerance=0.02):
    avoidable_bias = train_error - bayes_error
    variance = dev_error - train_error
    if avoidable_bias > tolerance:
        high_bias = True
    else:
        high_bias = False
    if variance > tolerance:
        high_variance = True
    else:
        high_variance = False
    return [high_bias, high_variance]


def diagnose_ignores_bayes(train_error, dev_error, bayes_error=0.0, tolerance=0.02):
    return train_error > tolerance, dev_error - train_error > tolerance


def diagnose_variance_from_bayes(train_error, dev_error, bayes_error=0.0, tolerance=0.02):
    return train_error - bayes_error > tolerance, dev_error - bayes_error > tolerance


def diagnose_swapped(train_error, dev_error, bayes_error=0.0, tolerance=0.02):
    return dev_error - train_error > tolerance, train_error - bayes_error > tolerance


def diagnose_hardcoded_tolerance(train_error, dev_error, bayes_error=0.0, tolerance=0.02):
    return train_error - bayes_error > 0.02, dev_error - train_error > 0.02


def diagnose_returns_gaps(train_error, dev_error, bayes_error=0.0, tolerance=0.02):
    return train_error - bayes_error, dev_error - train_error


CORRECT = {
    "normalize_inputs": [normalize_std, normalize_lecture_inplace, normalize_loop],
    "diagnose": [diagnose_numpy_bools, diagnose_if_else],
}

WRONG = {
    "normalize_inputs": [
        (normalize_sample_std, "m - 1", "normalize.sigma_sample_std"),
        (normalize_test_own_stats, "test set's own mean and std", "normalize.test_own_stats"),
        (normalize_variance, "square root", "normalize.sigma_variance"),
        (normalize_no_keepdims, "keepdims=True", "normalize.no_keepdims"),
        (normalize_axis0, "axis=0", "normalize.axis0"),
        (normalize_uncentered_sigma, "before subtracting the mean", "normalize.sigma_uncentered"),
        (normalize_not_centered, "mu was not subtracted", "normalize.train_not_centered"),
    ],
    "diagnose": [
        (diagnose_ignores_bayes, "ignores bayes_error", "diagnose.bias_ignores_bayes"),
        (diagnose_variance_from_bayes, "dev_error - bayes_error", "diagnose.variance_from_bayes"),
        (diagnose_swapped, "swapped", "diagnose.swapped"),
        (diagnose_hardcoded_tolerance, "ignores the tolerance argument", "diagnose.bias_ignores_tolerance"),
        (diagnose_returns_gaps, "should be True or False", "diagnose.not_bool"),
    ],
}
