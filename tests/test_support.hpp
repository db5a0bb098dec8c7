// SPDX-License-Identifier: MIT
// Helpers shared by the tests: per-type tolerances, central differences and the decay problem.
#pragma once

#include <trialode/cost.hpp>
#include <trialode/problem.hpp>

#include <cmath>
#include <cstdint>
#include <limits>

namespace trialode_test {

/// Relative accuracy a central difference can reach in Scalar: about eps^(2/3), with room to spare.
template <typename Scalar>
Scalar difference_tolerance() {
  return std::is_same<Scalar, float>::value ? Scalar(2e-2) : Scalar(1e-6);
}

/// Central difference of `f` at `x` with the relative step cbrt(eps) * max(1, |x|).
template <typename Scalar, typename F>
Scalar central_difference(F&& f, Scalar x) {
  using std::abs;
  using std::cbrt;
  const Scalar h = cbrt(std::numeric_limits<Scalar>::epsilon()) * std::max(Scalar(1), abs(x));
  const Scalar up = x + h;
  const Scalar down = x - h;
  return (f(up) - f(down)) / (up - down);
}

/// dy/dt = -y, y(0) = 1 on [0, 5]: the tutorial's problem, exact solution exp(-t).
template <typename Scalar>
auto decay_problem() {
  return trialode::InitialValueProblem{[](Scalar, Scalar y) { return -y; }, [](Scalar, Scalar) { return Scalar(-1); },
                                       Scalar(0), Scalar(5), Scalar(1)};
}

/// max |y(t) - exp(-t)| on `n` equally spaced points of [0, 5].
template <typename Solution>
double decay_error(const Solution& solution, int n = 501) {
  double worst = 0;
  for (int i = 0; i < n; ++i) {
    const double t = 5.0 * i / (n - 1);
    worst = std::max(worst, std::abs(static_cast<double>(solution(static_cast<decltype(solution.t0())>(t))) - std::exp(-t)));
  }
  return worst;
}

/// Starting weights of a system's n networks of `hidden` units, network k seeded with `seed + k`, in the
/// order of `SystemCost`'s parameters.
template <typename Parameters, typename Problem>
Parameters system_weights(const Problem& problem, Eigen::Index hidden, std::uint64_t seed) {
  using Scalar = typename Problem::scalar_type;
  const Eigen::Index m = 3 * hidden;
  Parameters p(m * problem.size());
  for (Eigen::Index k = 0; k < problem.size(); ++k) {
    trialode::SigmoidNetwork<Scalar> net(hidden);
    net.initialize(seed + static_cast<std::uint64_t>(k), problem.t0, problem.t1);
    p.segment(k * m, m) = net.parameters();
  }
  return p;
}

}  // namespace trialode_test
