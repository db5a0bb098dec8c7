// SPDX-License-Identifier: MIT
// The collocation cost of a first-order problem: its exact gradient and residual Jacobian against central
// differences, its value against the trial solution's residuals, the recurrence of equally spaced points.
#include <catch2/catch.hpp>

#include <trialode/approximation/collocation.hpp>
#include <trialode/costs/first_order_cost.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "support/gradient_checks.hpp"

namespace {

// A nonlinear right-hand side, so that the f_y term of the gradient matters: y' = sin t - y^2 / 2.
template <typename Scalar>
auto nonlinear_problem() {
  return trialode::InitialValueProblem{[](Scalar t, Scalar y) { return std::sin(t) - y * y / Scalar(2); },
                                       [](Scalar, Scalar y) { return -y; }, Scalar(0.5), Scalar(3), Scalar(0.8)};
}

using TrialSolution = trialode::detail::TrialSolution<trialode::FirstOrderTrial<double>, trialode::SigmoidNetwork<double>>;

}  // namespace

TEMPLATE_TEST_CASE("the cost gradient matches central differences", "[costs][gradient]", float, double, long double) {
  using Scalar = TestType;
  const auto problem = nonlinear_problem<Scalar>();
  const auto points = trialode::detail::collocation_points(problem.t0, problem.t1, 9);
  trialode::detail::FirstOrderCost<decltype(problem)> cost(problem, 6, points);
  CHECK(cost.parameter_count() == 18);
  for (std::uint64_t seed : {1u, 4u, 11u}) {
    CAPTURE(seed);
    trialode::SigmoidNetwork<Scalar> net(6);
    net.initialize(seed, problem.t0, problem.t1);
    trialode_test::check_gradient(cost, net.parameters());
  }
}

TEMPLATE_TEST_CASE("the residual Jacobian gives the same cost and gradient", "[costs][gradient]", float, double) {
  using Scalar = TestType;
  const auto problem = nonlinear_problem<Scalar>();
  const auto points = trialode::detail::collocation_points(problem.t0, problem.t1, 9);
  trialode::detail::FirstOrderCost<decltype(problem)> cost(problem, 5, points);
  CHECK(cost.residual_count() == 9);
  CHECK(cost.parameter_count() == 15);
  trialode::SigmoidNetwork<Scalar> net(5);
  net.initialize(8, problem.t0, problem.t1);
  // Three columns against central differences of the residuals.
  trialode_test::check_jacobian(cost, net.parameters(), {0, 7, 13});
}

TEST_CASE("the cost is the sum of squared residuals of the trial solution", "[costs]") {
  const auto problem = nonlinear_problem<double>();
  const Eigen::ArrayXd points = (Eigen::ArrayXd(3) << 0.5, 1.25, 2.0).finished();
  trialode::detail::FirstOrderCost<decltype(problem)> cost(problem, 4, points);
  trialode::SigmoidNetwork<double> net(4);
  net.initialize(3, 0.5, 3.0);
  const TrialSolution trial({0.5, 0.8}, net);
  double expected = 0;
  for (double t : points) {
    const auto values = trial.evaluate(t);
    const double r = values.dy - problem.f(t, values.y);
    expected += r * r;
  }
  CHECK(cost.value(net.parameters()) == Approx(expected).epsilon(1e-13));
  CHECK(trial.evaluate(0.5).y == 0.8);  // the initial condition holds for any weights
}

TEST_CASE("residuals at equally spaced points match the trial solution's, steep units included", "[costs]") {
  // Equally spaced points take most exponentials from a recurrence (detail::SigmoidBlock); units steep
  // enough to leave the safe exponent range at a block's end take every exponential afresh. Both must
  // give the residuals of the trial solution to within a few units in the last place.
  const auto problem = nonlinear_problem<double>();
  const Eigen::Index hidden = 5;
  trialode::SigmoidNetwork<double> net(hidden);
  net.initialize(7, 0.5, 3.0);
  Eigen::VectorXd p = net.parameters();
  p[hidden + 1] = 400.0;       // w_1: |w t + u| passes the safe range inside [0.5, 3]
  p[2 * hidden + 1] = -700.0;  // u_1: the sigmoid switches at t = 1.75
  p[hidden + 2] = -40.0;       // w_2: steep but inside the safe range
  net = trialode::SigmoidNetwork<double>(hidden, p);
  const TrialSolution trial({0.5, 0.8}, net);
  for (const Eigen::Index count : {3, 11, 41, 1000}) {
    INFO("points: " << count);
    const Eigen::ArrayXd points = trialode::detail::collocation_points(0.5, 3.0, count);
    trialode::detail::FirstOrderCost<decltype(problem)> cost(problem, hidden, points);
    Eigen::VectorXd r;
    decltype(cost)::Jacobian jacobian;
    cost.residuals(p, r, jacobian);
    double scale = 0;
    for (Eigen::Index i = 0; i < count; ++i) {
      const auto values = trial.evaluate(points[i]);
      scale = std::max(scale, std::abs(values.dy) + std::abs(problem.f(points[i], values.y)));
    }
    for (Eigen::Index i = 0; i < count; ++i) {
      const auto values = trial.evaluate(points[i]);
      INFO("t = " << points[i]);
      CHECK(std::abs(r[i] - (values.dy - problem.f(points[i], values.y))) <= 1e-13 * scale);
    }
  }
}

TEST_CASE("the cost rejects a network without units", "[costs]") {
  // The problem and the points are checked once by solve() (see the [solve] tests); the cost itself only
  // builds its network.
  const auto problem = nonlinear_problem<double>();
  using Cost = trialode::detail::FirstOrderCost<decltype(problem)>;
  const Eigen::ArrayXd good = (Eigen::ArrayXd(2) << 1.0, 2.0).finished();
  CHECK_THROWS_WITH(Cost(problem, 0, good), Catch::Contains("hidden units"));
  CHECK_NOTHROW(Cost(problem, 4, good));
  CHECK_THROWS_WITH((trialode::detail::FirstOrderCost<decltype(problem), 4>(problem, 5, good)),
                    Catch::Contains("compile-time size"));
}
