// SPDX-License-Identifier: MIT
// The residual of every family, y' - f or y'' - f, through the one max_abs_residual: the largest |r| over a
// set of points (over the components for a system), NaN when any residual is.
#include <catch2/catch.hpp>

#include <trialode/trialode.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include "support/solved_problems.hpp"

namespace {

trialode::SigmoidNetwork<double> seeded_network(std::uint64_t seed) {
  trialode::SigmoidNetwork<double> network(3);
  network.initialize(seed, 0.0, 2.0);
  return network;
}

}  // namespace

TEST_CASE("max_abs_residual is the largest |y' - f| or |y'' - f| for every family", "[costs][second_order][system]") {
  const Eigen::ArrayXd t = Eigen::ArrayXd::LinSpaced(9, 0.0, 2.0);

  // y' = -y: r = y' + y.
  const auto decay = trialode_test::decay_problem<double>();
  const trialode::Solution<double> first(trialode::trial_for(decay), seeded_network(1), 0.0, 2.0);
  double expected = 0;
  for (const double ti : t) expected = std::max(expected, std::abs(first.derivative(ti) + first(ti)));
  // Equally spaced points are evaluated together (exponentials by a recurrence): the same to rounding.
  CHECK(trialode::max_abs_residual(decay, first, t) == Approx(expected).epsilon(1e-12));
  CHECK(expected > 0.0);
  // Points that are not equally spaced are evaluated one by one, exactly as the solution's operator().
  const Eigen::ArrayXd uneven = (Eigen::ArrayXd(4) << 0.0, 0.3, 1.1, 2.0).finished();
  expected = 0;
  for (const double ti : uneven) expected = std::max(expected, std::abs(first.derivative(ti) + first(ti)));
  CHECK(trialode::max_abs_residual(decay, first, uneven) == expected);

  // y'' = -y: r = y'' + y.
  const auto oscillator = trialode_test::oscillator();
  const trialode::Solution<double, trialode::SecondOrderTrial<double>> second(trialode::trial_for(oscillator),
                                                                              seeded_network(2), 0.0, 2.0);
  expected = 0;
  for (const double ti : t) expected = std::max(expected, std::abs(second.second_derivative(ti) + second(ti)));
  CHECK(trialode::max_abs_residual(oscillator, second, t) == Approx(expected).epsilon(1e-12));

  // y1' = y2, y2' = -y1: the largest of |y1' - y2| and |y2' + y1|.
  const auto rotation = trialode_test::rotation();
  const trialode::SystemSolution<double, 2> system(trialode::trial_for(rotation), {seeded_network(3), seeded_network(4)},
                                                   0.0, 2.0);
  expected = 0;
  for (const double ti : t) {
    const Eigen::Vector2d y = system(ti);
    const Eigen::Vector2d dy = system.derivative(ti);
    expected = std::max({expected, std::abs(dy[0] - y[1]), std::abs(dy[1] + y[0])});
  }
  CHECK(trialode::max_abs_residual(rotation, system, t) == expected);
  CHECK(trialode::max_abs_residual(rotation, system, t.head(1)) ==
        (system.derivative(0.0) - Eigen::Vector2d(system(0.0)[1], -system(0.0)[0])).cwiseAbs().maxCoeff());
}

TEST_CASE("max_abs_residual is NaN when a residual is", "[costs]") {
  const trialode_test::FunctionProblem late_nan{
      [](double t, double y) { return t > 1.0 ? std::numeric_limits<double>::quiet_NaN() : -y; },
      [](double, double) { return -1.0; }, 0.0, 2.0, 1.0};
  const trialode::Solution<double> solution(trialode::trial_for(late_nan), seeded_network(1), 0.0, 2.0);
  CHECK(std::isnan(trialode::max_abs_residual(late_nan, solution, Eigen::ArrayXd::LinSpaced(9, 0.0, 2.0))));
  CHECK(std::isfinite(trialode::max_abs_residual(late_nan, solution, Eigen::ArrayXd::LinSpaced(5, 0.0, 1.0))));
}
