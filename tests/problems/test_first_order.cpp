// SPDX-License-Identifier: MIT
// First-order problems: f and df/dy through partials(), df/dy by automatic differentiation equal to the
// supplied one, with the same cost gradient, and the checks of the problem's fields.
#include <catch2/catch.hpp>

#include <trialode/approximation/collocation.hpp>
#include <trialode/costs/first_order_cost.hpp>
#include <trialode/problems/first_order.hpp>

#include <cmath>
#include <limits>
#include <type_traits>

TEMPLATE_TEST_CASE("df/dy by automatic differentiation equals the supplied derivative", "[problems][autodiff]", float,
                   double) {
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
  static_assert(std::is_same<std::decay_t<decltype(automatic.dfdy)>, trialode::AutoDerivative>::value,
                "without df/dy the problem differentiates f itself");
  const Scalar tol = std::is_same<Scalar, float>::value ? Scalar(1e-5) : Scalar(1e-13);
  for (Scalar t : {Scalar(0.5), Scalar(1.3), Scalar(3)}) {
    for (Scalar y : {Scalar(-1.5), Scalar(0), Scalar(2.25)}) {
      CAPTURE(t, y);
      const auto exact = supplied.partials(t, y);
      const auto differentiated = automatic.partials(t, y);
      CHECK(exact.f == supplied.value(t, y));
      CHECK(exact.df[0] == supplied.dfdy(t, y));
      CHECK(differentiated.f == Approx(exact.f).epsilon(tol).margin(tol));
      CHECK(differentiated.df[0] == Approx(supplied.dfdy(t, y)).epsilon(tol).margin(tol));
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

TEST_CASE("a first-order problem names its first bad field", "[problems]") {
  const auto f = [](double, double y) { return -y; };
  const auto dfdy = [](double, double) { return -1.0; };
  const double nan = std::numeric_limits<double>::quiet_NaN();
  using Problem = trialode::InitialValueProblem<double, decltype(f), decltype(dfdy)>;
  CHECK_NOTHROW(Problem(f, dfdy, 0.0, 1.0, 1.0).check());
  CHECK_THROWS_WITH(Problem(f, dfdy, nan, 1.0, 1.0).check(), Catch::Contains("t0 is not finite"));
  CHECK_THROWS_WITH(Problem(f, dfdy, 0.0, nan, 1.0).check(), Catch::Contains("t1 is not finite"));
  CHECK_THROWS_WITH(Problem(f, dfdy, 0.0, 1.0, nan).check(), Catch::Contains("y0 is not finite"));
  CHECK_THROWS_WITH(Problem(f, dfdy, 1.0, 1.0, 1.0).check(), Catch::Contains("t1 must be greater than t0"));
}
