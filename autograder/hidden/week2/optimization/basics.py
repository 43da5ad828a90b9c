"""Hidden checks of gradient descent and of the mini-batches (optimization notebook, sections 1 and 2).

update_parameters_with_gd is compared with the reference on nets of several depths and
learning rates, and a wrong answer with the usual wrong updates. random_mini_batches is
checked by structure only, so any shuffle passes (np.random.permutation, a generator made
from the seed, shuffling an index array...): the batches have the right sizes (a smaller
last one only when m is not a multiple), together they hold every column of X exactly
once, each Y column travels with its X column, the order is shuffled, the same seed gives
the same batches whatever the global RNG's state, another seed other batches, and the
caller's X and Y are left as they were. Edge cases: m smaller than the batch size, m an
exact multiple of it, m equal to it, mini-batches of one example.
"""

import numpy as np

from autograder.hidden.check import Check, case
from autograder.hidden.common import as_float_array, fail, returned
from autograder.hidden.week2.optimization.shared import (DIMS, as_dict, copy, differs, first_mistake, layer_slips,
                                                         mixed_grads, net, ref, values_text, where)

# ---------------------------------------------------------------- update_parameters_with_gd

GD = "update_parameters_with_gd"


def _gd_cases():
    rng = np.random.RandomState(21)
    cases = []
    for dims, lr in zip(DIMS + ([2, 5, 2, 1],), (0.01, 0.5, 1.0, 0.07, 0.0007)):
        params = net(rng, dims)
        grads = mixed_grads(rng, params)
        cases.append(case(params, grads, lr, meta={"dims": dims, "lr": lr}))
    return cases


def _gd_mistakes(params, grads, lr, L):
    new = ref.update_parameters_with_gd(copy(params), grads, lr)
    g = {k: grads["d" + k] for k in params}
    return [
        ("gd.plus_instead_of_minus", "the parameters moved up the gradient (W + learning_rate * dW): gradient "
                                     "descent subtracts, W = W - learning_rate * dW",
         {k: params[k] + lr * g[k] for k in params}),
        ("gd.no_learning_rate", "the whole gradient was subtracted: multiply it by learning_rate",
         {k: params[k] - g[k] for k in params}),
        ("gd.divided_by_learning_rate", "the gradient was divided by learning_rate; multiply by it",
         {k: params[k] - g[k] / lr for k in params}),
        ("gd.returned_step", "you returned the step learning_rate * dW, not the updated parameters",
         {k: lr * g[k] for k in params}),
    ] + [("gd." + tag, msg, d) for tag, msg, d in layer_slips(params, new, L)]


def _gd_judge(cases, answers):
    for c, answer in zip(cases, answers):
        params, grads, lr = c["args"]
        dims = c["meta"]["dims"]
        where_ = where(dims, learning_rate=lr)
        got = as_dict(GD, "gd", returned(GD, "gd", c, answer), "the returned parameters", params, where_)
        expected = ref.update_parameters_with_gd(copy(params), grads, lr)
        key = differs(got, expected)
        if key is None:
            continue
        found = first_mistake(got, _gd_mistakes(params, grads, lr, len(dims) - 1))
        tag, msg = found or ("gd.wrong_value", f"{values_text(got, expected, key)}: for every layer, "
                                               f"W = W - learning_rate * dW and b = b - learning_rate * db")
        fail(GD, f"{msg} {where_}", tag)


check_update_parameters_with_gd = Check(GD, prefix="gd", cases=_gd_cases, judge=_gd_judge)


# ---------------------------------------------------------------- random_mini_batches

MB = "random_mini_batches"
# (n_x, m, mini_batch_size, distinct labels): the notebook's data, a partial last batch, m an exact multiple,
# m smaller than the batch size, m equal to it, stochastic (batches of one), a small odd case
_MB_SHAPES = [(2, 300, 64, False), (3, 148, 64, True), (4, 128, 32, True), (2, 20, 64, True), (2, 16, 16, True),
              (3, 12, 1, True), (5, 50, 7, False)]
# before the two calls with the same seed, the global RNG is seeded differently
_GLOBAL = (111, 222)


def _mb_cases():
    rng = np.random.RandomState(22)
    cases = []
    for i, (n_x, m, size, distinct) in enumerate(_MB_SHAPES):
        X = rng.randn(n_x, m)
        Y = (rng.permutation(m) + 1.0).reshape(1, m) if distinct else (rng.rand(1, m) > 0.5).astype(float)
        seed = 10 + i
        meta = {"i": i, "where": f"(X {n_x}x{m}, mini_batch_size={size}"}
        cases += [case(X, Y, size, seed, seed=_GLOBAL[0], keep_args=True, meta={**meta, "call": "first"}),
                  case(X, Y, size, seed, seed=_GLOBAL[1], keep_args=True, meta={**meta, "call": "same seed"}),
                  case(X, Y, size, seed + 1, seed=_GLOBAL[0], keep_args=True, meta={**meta, "call": "other seed"})]
    return cases


def _batches(value, n_x, where_):
    """The returned mini-batches as [(X_batch, Y_batch)] of float arrays, shapes checked."""
    if not isinstance(value, (list, tuple)):
        fail(MB, f"should return a list of (mini_batch_X, mini_batch_Y) tuples, got {type(value).__name__} "
                 f"{where_}", "minibatch.not_list")
    out = []
    for i, b in enumerate(value):
        if not isinstance(b, (list, tuple)) or len(b) != 2:
            fail(MB, f"mini-batch {i} should be a tuple (mini_batch_X, mini_batch_Y), got {type(b).__name__} "
                     f"{where_}", "minibatch.not_pairs")
        bx = as_float_array(MB, f"mini_batch_X of batch {i}", b[0], "minibatch.not_numbers")
        by = as_float_array(MB, f"mini_batch_Y of batch {i}", b[1], "minibatch.not_numbers")
        if bx.ndim != 2 or bx.shape[0] != n_x:
            fail(MB, f"mini_batch_X of batch {i} has shape {bx.shape}; it should be ({n_x}, k), the columns "
                     f"(examples) of X in the batch {where_}", "minibatch.x_shape")
        k = bx.shape[1]
        if by.shape != (1, k):
            hint = " Keep Y a row: Y[:, permutation] (or .reshape((1, m))) and slice its columns." \
                if by.shape in ((k,), (k, 1)) else ""
            fail(MB, f"mini_batch_Y of batch {i} has shape {by.shape}, expected (1, {k}) {where_}.{hint}",
                 "minibatch.y_shape")
        out.append((bx, by))
    return out


def _check_sizes(batches, m, size, where_):
    sizes = [bx.shape[1] for bx, _ in batches]
    expected = [size] * (m // size) + ([m % size] if m % size else [])
    if sizes == expected:
        return
    if sizes == expected[:-1] and m % size:
        fail(MB, f"the last, smaller mini-batch is missing: with m = {m} and mini_batch_size = {size} there are "
                 f"{m // size} full batches and a last one of the remaining {m % size} examples {where_}",
             "minibatch.last_batch_dropped")
    if sizes == expected + [0]:
        fail(MB, f"the last mini-batch is empty: when m = {m} is a multiple of mini_batch_size = {size} there is no "
                 f"partial batch (add it only if m % mini_batch_size != 0) {where_}", "minibatch.empty_batch")
    shown = sizes if len(sizes) <= 12 else sizes[:12] + ["..."]
    fail(MB, f"the mini-batches have {shown} columns, expected {expected if len(expected) <= 12 else '...'}: "
             f"{m // size} of mini_batch_size columns, then the remaining m % mini_batch_size "
             f"if it is not 0 {where_}", "minibatch.sizes")


def _permutation(batches, X, where_):
    """perm such that the concatenated mini_batch_X is X[:, perm]; fails unless it is a permutation."""
    Xcat = np.hstack([bx for bx, _ in batches])
    column = {float(x): j for j, x in enumerate(X[0])}
    perm = []
    for i in range(Xcat.shape[1]):
        j = column.get(float(Xcat[0, i]))
        if j is None or not np.array_equal(Xcat[:, i], X[:, j]):
            fail(MB, f"the columns of the mini-batches are not columns of X: shuffle the examples, which are the "
                     f"columns, X[:, permutation], without changing them (not the rows, X[permutation, :]) {where_}",
                 "minibatch.x_changed")
        perm.append(j)
    if len(set(perm)) < len(perm):
        fail(MB, f"some examples are in two mini-batches (or twice in one), so others are missing: batch k holds "
                 f"columns k * mini_batch_size up to (k + 1) * mini_batch_size (excluded) {where_}",
             "minibatch.overlap")
    return np.array(perm)


def _check_labels(batches, Y, perm, where_):
    Ycat = np.hstack([by for _, by in batches])[0]
    if np.array_equal(Ycat, Y[0, perm]):
        return
    if np.array_equal(Ycat, Y[0]):
        fail(MB, f"Y was not shuffled with X: mini_batch_Y must hold the labels of the examples in mini_batch_X, "
                 f"so shuffle Y with the same permutation, Y[:, permutation] {where_}",
             "minibatch.y_not_shuffled_with_x")
    if np.array_equal(np.sort(Ycat), np.sort(Y[0])):
        fail(MB, f"Y was shuffled with another permutation than X, so the labels no longer belong to their "
                 f"examples: draw one permutation and use it for both, X[:, permutation] and Y[:, permutation] "
                 f"{where_}", "minibatch.y_different_permutation")
    fail(MB, f"the labels in mini_batch_Y are not those of Y: take Y[:, permutation] and slice it like X {where_}",
         "minibatch.y_values")


def _mb_judge(cases, answers):
    perms = {}
    for c, answer in zip(cases, answers):
        X, Y, size, seed = c["args"]
        meta = c["meta"]
        where_ = f"{meta['where']}, seed={seed})"
        n_x, m = X.shape
        batches = _batches(returned(MB, "minibatch", c, answer), n_x, where_)
        _check_sizes(batches, m, size, where_)
        perm = _permutation(batches, X, where_)
        _check_labels(batches, Y, perm, where_)
        X_after, Y_after = answer.get("args_after", [X, Y])[:2]
        if not (np.array_equal(np.asarray(X_after), X) and np.array_equal(np.asarray(Y_after), Y)):
            fail(MB, f"the X or Y passed in was shuffled in place, so the caller's data changed: shuffle copies, "
                     f"X[:, permutation] and Y[:, permutation] {where_}", "minibatch.shuffled_in_place")
        if meta["call"] == "first":
            if m >= 10 and np.array_equal(perm, np.arange(m)):
                fail(MB, f"the examples are in their original order: shuffle them first, with one random "
                         f"permutation of the m columns (np.random.permutation(m)) {where_}", "minibatch.not_shuffled")
            perms[meta['i']] = perm
        elif meta["call"] == "same seed":
            if not np.array_equal(perm, perms[meta['i']]):
                fail(MB, f"two calls with the same seed gave different mini-batches: seed the shuffle with the "
                         f"seed argument, np.random.seed(seed) before np.random.permutation(m) {where_}",
                     "minibatch.no_seed")
        elif m >= 10 and np.array_equal(perm, perms[meta['i']]):
            fail(MB, f"seeds {seed - 1} and {seed} gave the same mini-batches: the shuffle must depend on the seed "
                     f"argument (np.random.seed(seed)), so that every epoch gets new batches {where_}",
                 "minibatch.seed_ignored")


check_random_mini_batches = Check(MB, prefix="minibatch", cases=_mb_cases, judge=_mb_judge)
