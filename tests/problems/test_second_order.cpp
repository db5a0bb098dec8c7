// SPDX-License-Identifier: MIT
// Second-order problems, initial and boundary value: automatic against supplied partial derivatives of f,
// with the same cost gradient, and bad input rejected by solve() before any work.
#include <catch2/catch.hpp>

#include <trialode/trialode.hpp>

#include <cmath>
#include <limits>
#include <type_traits>

#include "support/second_order_problems.hpp"
#include "support/solved_problems.hpp"

TEMPLATE_TEST_CASE("automatic and supplied derivatives of f give the same second-order gradient",
                   "[problems][second_order][autodiff]", float, double) {
  using Scalar = TestType;
  using trialode_test::Nonlinear;
  const auto supplied_ivp = trialode_test::nonlinear_ivp<Scalar>();
  const trialode::SecondOrderProblem automatic_ivp{Nonlinear<Scalar>{}, supplied_ivp.t0, supplied_ivp.t1, supplied_ivp.y0,
                                                   supplied_ivp.dy0};
  const auto supplied_bvp = trialode_test::nonlinear_bvp<Scalar>();
  const trialode::BoundaryValueProblem automatic_bvp{Nonlinear<Scalar>{}, supplied_bvp.t0, supplied_bvp.t1,
                                                     supplied_bvp.y0, supplied_bvp.y1};
  const Scalar tol = std::is_same<Scalar, float>::value ? Scalar(1e-5) : Scalar(1e-13);
  const auto compare = [&](const auto& supplied, const auto& automatic) {
    const auto points = trialode::detail::collocation_points(supplied.t0, supplied.t1, 11);
    trialode::detail::SecondOrderCost<std::decay_t<decltype(supplied)>> a(supplied, 4, points);
    trialode::detail::SecondOrderCost<std::decay_t<decltype(automatic)>> b(automatic, 4, points);
    const auto p = trialode_test::seeded_weights(supplied, 4, 3);
    Eigen::Matrix<Scalar, Eigen::Dynamic, 1> ga, gb;
    CHECK(a(p, ga) == Approx(b(p, gb)).epsilon(tol));
    CHECK((ga - gb).norm() <= tol * ga.norm());
    for (Scalar t : {supplied.t0, Scalar(0.7), supplied.t1}) {
      const auto pa = supplied.partials(t, Scalar(0.3), Scalar(-1.2));
      const auto pb = automatic.partials(t, Scalar(0.3), Scalar(-1.2));
      CHECK(pa.f == pb.f);
      CHECK(pa.df[0] == Approx(pb.df[0]).epsilon(tol));
      CHECK(pa.df[1] == Approx(pb.df[1]).epsilon(tol));
    }
  };
  compare(supplied_ivp, automatic_ivp);
  compare(supplied_bvp, automatic_bvp);
}

TEST_CASE("second-order problems reject bad input before any work", "[problems][second_order]") {
  using trialode_test::OscillatorBvp;
  using trialode_test::OscillatorIvp;
  int calls = 0;
  const trialode_test::MinusY counted{&calls};
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH(trialode_test::solve(OscillatorBvp{counted, 1.0, 1.0, 0.0, 1.0}),
                    Catch::Contains("b = t1 must be greater than a = t0"));
  CHECK_THROWS_WITH(trialode_test::solve(OscillatorBvp{counted, 2.0, 1.0, 0.0, 1.0}),
                    Catch::Contains("b = t1 must be greater"));
  CHECK_THROWS_WITH(trialode_test::solve(OscillatorBvp{counted, 0.0, 1.0, 0.0, nan}),
                    Catch::Contains("y1 = y(b) is not finite"));
  CHECK_THROWS_WITH(trialode_test::solve(OscillatorIvp{counted, 0.0, -1.0, 0.0, 1.0}),
                    Catch::Contains("t1 must be greater than t0"));
  CHECK_THROWS_WITH(trialode_test::solve(OscillatorIvp{counted, 0.0, 1.0, 0.0, nan}),
                    Catch::Contains("dy0 is not finite"));
  trialode::SolveOptions<double> options;
  options.collocation = (Eigen::ArrayXd(2) << 0.5, 1.5).finished();
  CHECK_THROWS_WITH(trialode_test::solve(OscillatorIvp{counted, 0.0, 1.0, 0.0, 1.0}, options),
                    Catch::Contains("outside [t0, t1]"));
  options = {};
  options.hidden_units = -1;
  CHECK_THROWS_WITH(trialode_test::solve(OscillatorBvp{counted, 0.0, 1.0, 0.0, 1.0}, options),
                    Catch::Contains("hidden_units"));
  // An interval whose length overflows, or is subnormal.
  CHECK_THROWS_WITH(trialode_test::solve(OscillatorIvp{counted, -1e308, 1e308, 0.0, 1.0}),
                    Catch::Contains("SecondOrderProblem: t1 - t0") && Catch::Contains("not finite"));
  CHECK_THROWS_WITH(trialode_test::solve(OscillatorBvp{counted, 0.0, 1e-320, 0.0, 1.0}),
                    Catch::Contains("BoundaryValueProblem: t1 - t0") && Catch::Contains("normal"));
  CHECK_THROWS_WITH(trialode_test::solve(OscillatorBvp{counted, 1.0, std::nextafter(1.0, 2.0), 0.0, 1.0}),
                    Catch::Contains("t1 - t0") && Catch::Contains("spacing"));
  CHECK(calls == 0);
}
