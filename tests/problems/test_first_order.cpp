// SPDX-License-Identifier: MIT
// First-order problems: f and df/dy through partials(), df/dy by automatic differentiation equal to the
// supplied one, with the same cost gradient, and the checks of the problem's fields, the interval's length in the
// scalar type included.
#include <catch2/catch.hpp>

#include <trialode/approximation/collocation.hpp>
#include <trialode/costs/first_order_cost.hpp>
#include <trialode/problems/first_order.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <type_traits>

#include "support/solved_problems.hpp"

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

TEST_CASE("a first-order problem refuses an interval whose length the scalar type cannot hold", "[problems]") {
  const auto f = [](double, double y) { return -y; };
  const auto dfdy = [](double, double) { return -1.0; };
  using Problem = trialode::InitialValueProblem<double, decltype(f), decltype(dfdy)>;
  // t1 - t0 = 2e308 overflows: the points would be computed from an infinite length.
  CHECK_THROWS_WITH(Problem(f, dfdy, -1e308, 1e308, 1.0).check(), Catch::Contains("t1 - t0") && Catch::Contains("not finite"));
  CHECK_NOTHROW(Problem(f, dfdy, -0.8e308, 0.8e308, 1.0).check());
  // A subnormal length, and one of a few spacings of doubles at 1.
  CHECK_THROWS_WITH(Problem(f, dfdy, 0.0, 1e-320, 1.0).check(), Catch::Contains("t1 - t0") && Catch::Contains("normal"));
  CHECK_THROWS_WITH(Problem(f, dfdy, 1.0, std::nextafter(1.0, 2.0), 1.0).check(),
                    Catch::Contains("t1 - t0") && Catch::Contains("spacing"));
  CHECK_NOTHROW(Problem(f, dfdy, 0.0, 1e-300, 1.0).check());
  CHECK_NOTHROW(Problem(f, dfdy, 1.0, 1.0 + 64 * std::numeric_limits<double>::epsilon(), 1.0).check());

  // Through solve(): refused before any work, and the repeated points named as the library's own.
  using trialode_test::DecayProblem;
  CHECK_THROWS_AS(trialode_test::solve(DecayProblem<double>{{}, {}, -1e308, 1e308, 1.0}), std::invalid_argument);
  CHECK_THROWS_WITH(trialode_test::solve(DecayProblem<double>{{}, {}, -1e308, 1e308, 1.0}), Catch::Contains("t1 - t0"));
  CHECK_THROWS_WITH(trialode_test::solve(DecayProblem<double>{{}, {}, 0.0, 1e-320, 1.0}), Catch::Contains("t1 - t0"));
  // In float, [1e6, 1e6 + 1] holds 17 numbers: the interval passes, the 41 default points do not fit.
  CHECK_THROWS_WITH(trialode_test::solve(DecayProblem<float>{{}, {}, 1e6f, 1e6f + 1, 1.0f}),
                    Catch::Contains("too short for 41") && Catch::Contains("float") && !Catch::Contains("repeated"));
  trialode::SolveOptions<float> eleven;
  eleven.points = 11;
  CHECK_NOTHROW(trialode_test::solve(DecayProblem<float>{{}, {}, 1e6f, 1e6f + 1, 1.0f}, eleven));
}
