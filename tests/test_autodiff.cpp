// SPDX-License-Identifier: MIT
// First-order problems without df/dy: the derivative by automatic differentiation equals the supplied one,
// the cost gradients agree, and solve() accepts such a problem.
#include <catch2/catch.hpp>

#include <trialode/trialode.hpp>

#include <cmath>

#include "test_support.hpp"

TEMPLATE_TEST_CASE("df/dy by automatic differentiation equals the supplied derivative", "[autodiff]", float, double) {
  using Scalar = TestType;
  // y' = sin t - y^2 / 2 + exp(-y t), df/dy = -y - t exp(-y t)
  const auto f = [](auto t, auto y) {
    using std::exp;
    using std::sin;
    return sin(t) - y * y / Scalar(2) + exp(-y * t);
  };
  const auto dfdy = [](Scalar t, Scalar y) { return -y - t * std::exp(-y * t); };
  const trialode::InitialValueProblem supplied{f, dfdy, Scalar(0.5), Scalar(3), Scalar(0.8)};
  const trialode::InitialValueProblem automatic{f, Scalar(0.5), Scalar(3), Scalar(0.8)};
  const Scalar tol = std::is_same<Scalar, float>::value ? Scalar(1e-5) : Scalar(1e-13);
  for (Scalar t : {Scalar(0.5), Scalar(1.3), Scalar(3)}) {
    for (Scalar y : {Scalar(-1.5), Scalar(0), Scalar(2.25)}) {
      CAPTURE(t, y);
      CHECK(automatic.dfdy(t, y) == Approx(supplied.dfdy(t, y)).epsilon(tol).margin(tol));
    }
  }
  const auto points = trialode::detail::collocation_points(supplied.t0, supplied.t1, 13);
  trialode::detail::FirstOrderCost<decltype(supplied)> a(supplied, 5, points);
  trialode::detail::FirstOrderCost<decltype(automatic)> b(automatic, 5, points);
  trialode::SigmoidNetwork<Scalar> net(5);
  net.initialize(6, supplied.t0, supplied.t1);
  Eigen::Matrix<Scalar, Eigen::Dynamic, 1> ga, gb;
  CHECK(a(net.parameters(), ga) == Approx(b(net.parameters(), gb)).epsilon(tol));
  CHECK((ga - gb).norm() <= tol * ga.norm());
}

TEST_CASE("solve() fits a first-order problem given without df/dy", "[autodiff]") {
  const trialode::InitialValueProblem decay{[](auto, auto y) { return -y; }, 0.0, 5.0, 1.0};
  const auto solution = trialode::solve(decay);
  CHECK(solution.converged());
  CHECK(trialode_test::decay_error(solution) <= 1e-4);
  CHECK(solution.max_residual_check <= 1e-3);
}
