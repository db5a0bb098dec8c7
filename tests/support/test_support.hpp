// SPDX-License-Identifier: MIT
// Helpers shared by the tests: per-type tolerances, central differences, the decay problem and its error,
// and the seeded weights of several networks.
#pragma once

#include <trialode/approximation/network.hpp>
#include <trialode/approximation/weights.hpp>
#include <trialode/problems/first_order.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

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

/// The right-hand side -y of the decay problem and its derivative -1, as named types: every test that
/// solves the decay problem in a scalar type shares one instantiation of `solve()`.
struct DecayRate {
  template <typename Scalar>
  Scalar operator()(Scalar, Scalar y) const {
    return -y;
  }
};
struct DecayRateDerivative {
  template <typename Scalar>
  Scalar operator()(Scalar, Scalar) const {
    return Scalar(-1);
  }
};

template <typename Scalar>
using DecayProblem = trialode::InitialValueProblem<Scalar, DecayRate, DecayRateDerivative>;

/// dy/dt = -y, y(0) = 1 on [0, 5]: the tutorial's problem, exact solution exp(-t).
template <typename Scalar>
DecayProblem<Scalar> decay_problem() {
  return {DecayRate{}, DecayRateDerivative{}, Scalar(0), Scalar(5), Scalar(1)};
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

/// max |y(t) - exact(t)| of a scalar solution on `n` equally spaced points of its interval.
template <typename Solution, typename Exact>
double max_error(const Solution& solution, Exact exact, int n = 501) {
  double worst = 0;
  for (int i = 0; i < n; ++i) {
    const double t = solution.t0() + (solution.t1() - solution.t0()) * i / (n - 1);
    worst = std::max(worst, std::abs(solution(t) - exact(t)));
  }
  return worst;
}

/// Starting weights of a system's n networks of `hidden` units, network k seeded with `seed + k` on the
/// problem's interval, laid out as `WeightLayout` says.
template <typename Parameters, typename Problem>
Parameters system_weights(const Problem& problem, Eigen::Index hidden, std::uint64_t seed) {
  using Scalar = typename Problem::scalar_type;
  const trialode::WeightLayout layout(hidden, problem.size());
  Parameters p(layout.size());
  for (Eigen::Index k = 0; k < layout.networks(); ++k) {
    trialode::SigmoidNetwork<Scalar> net(hidden);
    net.initialize(seed + static_cast<std::uint64_t>(k), problem.t0, problem.t1);
    layout.network(p, k) = net.parameters();
  }
  return p;
}

}  // namespace trialode_test
