// SPDX-License-Identifier: MIT
// What the benchmarks share: the decay problem dy/dt = -y on [0, 5] and its error against exp(-t).
#pragma once

#include <trialode/problems/first_order.hpp>

#include <algorithm>
#include <cmath>

namespace trialode_bench {

/// dy/dt = -y, y(0) = 1 on [0, 5]; the exact solution is exp(-t).
template <typename Scalar>
auto decay_problem() {
  return trialode::InitialValueProblem{[](Scalar, Scalar y) { return -y; }, [](Scalar, Scalar) { return Scalar(-1); },
                                       Scalar(0), Scalar(5), Scalar(1)};
}

/// max |y(t) - exp(-t)| on 501 equally spaced points of [0, 5].
template <typename Solution>
double decay_error(const Solution& y) {
  double worst = 0;
  for (int i = 0; i <= 500; ++i) {
    const double t = 5.0 * i / 500;
    worst = std::max(worst, std::abs(static_cast<double>(y(static_cast<decltype(y.t0())>(t))) - std::exp(-t)));
  }
  return worst;
}

}  // namespace trialode_bench
