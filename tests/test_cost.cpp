// SPDX-License-Identifier: MIT
// The collocation cost: its exact gradient against central differences, its value, its input checks.
#include <catch2/catch.hpp>

#include <trialode/cost.hpp>

#include "test_support.hpp"

using trialode_test::central_difference;
using trialode_test::difference_tolerance;

namespace {

// A nonlinear right-hand side, so that the f_y term of the gradient matters: y' = sin t - y^2 / 2.
template <typename Scalar>
auto nonlinear_problem() {
  return trialode::InitialValueProblem{[](Scalar t, Scalar y) { return std::sin(t) - y * y / Scalar(2); },
                                       [](Scalar, Scalar y) { return -y; }, Scalar(0.5), Scalar(3), Scalar(0.8)};
}

}  // namespace

TEMPLATE_TEST_CASE("the cost gradient matches central differences", "[gradient]", float, double, long double) {
  using Scalar = TestType;
  const auto problem = nonlinear_problem<Scalar>();
  const auto points = trialode::detail::collocation_points(problem.t0, problem.t1, 9);
  trialode::detail::FirstOrderCost<decltype(problem)> cost(problem, 6, points);
  for (std::uint64_t seed : {1u, 4u, 11u}) {
    CAPTURE(seed);
    trialode::SigmoidNetwork<Scalar> net(6);
    net.initialize(seed, problem.t0, problem.t1);
    Eigen::Matrix<Scalar, Eigen::Dynamic, 1> p = net.parameters(), grad;
    const Scalar value = cost(p, grad);
    CHECK(value == Approx(cost.value(p)).epsilon(difference_tolerance<Scalar>()));
    REQUIRE(grad.size() == 18);
    const Scalar scale = grad.cwiseAbs().maxCoeff();
    for (Eigen::Index j = 0; j < p.size(); ++j) {
      CAPTURE(j);
      const Scalar numeric = central_difference(
          [&](Scalar x) {
            auto q = p;
            q[j] = x;
            return cost.value(q);
          },
          p[j]);
      CHECK(std::abs(grad[j] - numeric) <= difference_tolerance<Scalar>() * (std::abs(numeric) + scale));
    }
  }
}

TEMPLATE_TEST_CASE("the residual Jacobian gives the same cost and gradient", "[gradient]", float, double) {
  using Scalar = TestType;
  const auto problem = nonlinear_problem<Scalar>();
  const auto points = trialode::detail::collocation_points(problem.t0, problem.t1, 9);
  trialode::detail::FirstOrderCost<decltype(problem)> cost(problem, 5, points);
  trialode::SigmoidNetwork<Scalar> net(5);
  net.initialize(8, problem.t0, problem.t1);
  const Eigen::Matrix<Scalar, Eigen::Dynamic, 1> p = net.parameters();
  Eigen::Matrix<Scalar, Eigen::Dynamic, 1> grad;
  typename decltype(cost)::Residuals r;
  typename decltype(cost)::Jacobian jacobian;
  const Scalar value = cost(p, grad);
  cost.residuals(p, r, jacobian);
  REQUIRE(r.size() == 9);
  REQUIRE(jacobian.rows() == 9);
  REQUIRE(jacobian.cols() == 15);
  const Scalar tol = std::is_same<Scalar, float>::value ? Scalar(1e-4) : Scalar(1e-12);
  CHECK(r.squaredNorm() == Approx(value).epsilon(tol));
  const Eigen::Matrix<Scalar, Eigen::Dynamic, 1> from_jacobian = Scalar(2) * jacobian.transpose() * r;
  CHECK((from_jacobian - grad).norm() <= tol * grad.norm());
  // One column against central differences of the residuals.
  for (Eigen::Index j : {0, 7, 13}) {
    CAPTURE(j);
    for (Eigen::Index i = 0; i < r.size(); ++i) {
      const Scalar numeric = central_difference(
          [&](Scalar x) {
            auto q = p;
            q[j] = x;
            typename decltype(cost)::Residuals rq;
            typename decltype(cost)::Jacobian jq;
            cost.residuals(q, rq, jq);
            return rq[i];
          },
          p[j]);
      CHECK(std::abs(jacobian(i, j) - numeric) <= difference_tolerance<Scalar>() * (std::abs(numeric) + Scalar(1)));
    }
  }
}

TEST_CASE("the cost is the sum of squared residuals of the trial solution", "[gradient]") {
  const auto problem = nonlinear_problem<double>();
  const Eigen::ArrayXd points = (Eigen::ArrayXd(3) << 0.5, 1.25, 2.0).finished();
  trialode::detail::FirstOrderCost<decltype(problem)> cost(problem, 4, points);
  trialode::SigmoidNetwork<double> net(4);
  net.initialize(3, 0.5, 3.0);
  const trialode::detail::TrialSolution<trialode::FirstOrderTrial<double>, trialode::SigmoidNetwork<double>> trial(
      {0.5, 0.8}, net);
  double expected = 0;
  for (double t : points) {
    const auto values = trial.evaluate(t);
    const double r = values.dy - problem.f(t, values.y);
    expected += r * r;
  }
  CHECK(cost.value(net.parameters()) == Approx(expected).epsilon(1e-13));
  CHECK(trial(0.5) == 0.8);  // the initial condition holds for any weights
}

TEST_CASE("residuals at equally spaced points match the trial solution's, steep units included", "[gradient]") {
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
  const trialode::detail::TrialSolution<trialode::FirstOrderTrial<double>, trialode::SigmoidNetwork<double>> trial(
      {0.5, 0.8}, net);
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

TEST_CASE("the cost rejects bad input before any work", "[gradient]") {
  const auto problem = nonlinear_problem<double>();
  using Cost = trialode::detail::FirstOrderCost<decltype(problem)>;
  const Eigen::ArrayXd none;
  const Eigen::ArrayXd outside = (Eigen::ArrayXd(2) << 1.0, 3.5).finished();
  const Eigen::ArrayXd not_finite = (Eigen::ArrayXd(2) << 1.0, std::nan("")).finished();
  const Eigen::ArrayXd good = (Eigen::ArrayXd(2) << 1.0, 2.0).finished();
  CHECK_THROWS_WITH(Cost(problem, 4, none), Catch::Contains("none given"));
  CHECK_THROWS_WITH(Cost(problem, 4, outside), Catch::Contains("point 1 = 3.5") && Catch::Contains("outside [t0, t1]"));
  CHECK_THROWS_WITH(Cost(problem, 4, not_finite), Catch::Contains("point 1 is not finite"));
  CHECK_THROWS_WITH(Cost(problem, 0, good), Catch::Contains("hidden units"));
  CHECK_NOTHROW(Cost(problem, 4, good));
}

TEST_CASE("collocation points and the check grid", "[gradient]") {
  const Eigen::ArrayXd even = trialode::detail::collocation_points(0.0, 5.0, 11);
  CHECK(even[0] == 0.0);
  CHECK(even[1] == Approx(0.5));
  CHECK(even[10] == 5.0);
  const Eigen::ArrayXd cheb = trialode::detail::collocation_points(0.0, 2.0, 5, trialode::CollocationRule::chebyshev_lobatto);
  CHECK(cheb[0] == 0.0);
  CHECK(cheb[1] == Approx(1.0 - std::sqrt(0.5)));
  CHECK(cheb[2] == Approx(1.0));
  CHECK(cheb[4] == 2.0);
  CHECK_THROWS_AS(trialode::detail::collocation_points(0.0, 1.0, 1), std::invalid_argument);
  // Two interior points split [0, 1] into three pieces of four steps each.
  const Eigen::ArrayXd grid = trialode::detail::check_grid(Eigen::ArrayXd::LinSpaced(2, 0.25, 0.5), 0.0, 1.0, 4);
  REQUIRE(grid.size() == 13);
  CHECK(grid[4] == 0.25);
  CHECK(grid[8] == 0.5);
  CHECK(grid[12] == 1.0);
}
