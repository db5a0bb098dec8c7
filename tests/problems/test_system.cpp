// SPDX-License-Identifier: MIT
// Systems: the automatic Jacobian equal to the supplied one, with the same cost gradient, and bad input,
// sizes included, rejected by solve() before any work.
#include <catch2/catch.hpp>

#include <trialode/trialode.hpp>

#include <cmath>
#include <limits>
#include <type_traits>

#include "support/solved_problems.hpp"
#include "support/system_problems.hpp"

TEMPLATE_TEST_CASE("automatic and supplied Jacobians give the same system gradient", "[problems][system][autodiff]",
                   float, double) {
  using Scalar = TestType;
  const Scalar tol = std::is_same<Scalar, float>::value ? Scalar(1e-5) : Scalar(1e-13);
  const auto compare = [tol](const auto& supplied, const auto& automatic) {
    using Supplied = std::decay_t<decltype(supplied)>;
    using Automatic = std::decay_t<decltype(automatic)>;
    const auto points = trialode::detail::collocation_points(supplied.t0, supplied.t1, 8);
    trialode::detail::SystemCost<Supplied> a(supplied, 3, points);
    trialode::detail::SystemCost<Automatic> b(automatic, 3, points);
    const auto p = trialode_test::system_weights<typename trialode::detail::SystemCost<Supplied>::Parameters>(supplied, 3, 2);
    typename trialode::detail::SystemCost<Supplied>::Parameters ga, gb;
    CHECK(a(p, ga) == Approx(b(p, gb)).epsilon(tol));
    CHECK((ga - gb).norm() <= tol * ga.norm());
    typename Supplied::Vector fa(supplied.size()), fb(supplied.size());
    typename Supplied::Matrix ja(supplied.size(), supplied.size()), jb(supplied.size(), supplied.size());
    supplied.partials(Scalar(1.1), supplied.y0, fa, ja);
    automatic.partials(Scalar(1.1), automatic.y0, fb, jb);
    CHECK(fa == fb);
    CHECK((ja - jb).norm() <= tol * ja.norm());
    CHECK(supplied.value(Scalar(1.1), supplied.y0) == fa);
    CHECK(automatic.value(Scalar(1.1), automatic.y0) == fb);
  };
  using trialode_test::Pair;
  using trialode_test::ThreeBody;
  const auto supplied_three = trialode_test::three_body<Scalar>();
  compare(supplied_three, trialode::SystemProblem{ThreeBody{}, supplied_three.t0, supplied_three.t1, supplied_three.y0});
  const auto supplied_pair = trialode_test::pair<Scalar>();
  compare(supplied_pair, trialode::SystemProblem{Pair{}, supplied_pair.t0, supplied_pair.t1, supplied_pair.y0});
}

TEST_CASE("systems reject bad input before any work", "[problems][system]") {
  using trialode_test::FunctionSystem;
  const auto f = [](double, const Eigen::VectorXd& y) { return Eigen::VectorXd(-y); };
  const auto jacobian = [](double, const Eigen::VectorXd& y) { return Eigen::MatrixXd(-Eigen::MatrixXd::Identity(y.size(), y.size())); };
  const Eigen::VectorXd y0 = Eigen::VectorXd::Ones(3);
  CHECK_THROWS_WITH(trialode_test::solve(FunctionSystem{f, jacobian, 1.0, 1.0, y0}), Catch::Contains("t1 must be greater"));
  CHECK_THROWS_WITH(trialode_test::solve(FunctionSystem{f, jacobian, -1e308, 1e308, y0}),
                    Catch::Contains("t1 - t0") && Catch::Contains("not finite"));
  CHECK_THROWS_WITH(trialode_test::solve(FunctionSystem{f, jacobian, 0.0, 1e-320, y0}),
                    Catch::Contains("t1 - t0") && Catch::Contains("normal"));
  CHECK_THROWS_WITH(trialode_test::solve(FunctionSystem{f, jacobian, 0.0, 1.0, Eigen::VectorXd()}), Catch::Contains("y0 is empty"));
  const Eigen::VectorXd not_finite = Eigen::VectorXd::Constant(2, std::numeric_limits<double>::infinity());
  CHECK_THROWS_WITH(trialode_test::solve(FunctionSystem{f, jacobian, 0.0, 1.0, not_finite}), Catch::Contains("y0 is not finite"));

  const auto short_f = [](double, const Eigen::VectorXd& y) { return Eigen::VectorXd(y.head(2)); };
  CHECK_THROWS_WITH(trialode_test::solve(FunctionSystem{short_f, jacobian, 0.0, 1.0, y0}),
                    Catch::Contains("f(t0, y0) is 2 x 1, but y0 has 3 entries"));
  const auto wide_jacobian = [](double, const Eigen::VectorXd&) { return Eigen::MatrixXd(Eigen::MatrixXd::Zero(3, 4)); };
  CHECK_THROWS_WITH(trialode_test::solve(FunctionSystem{f, wide_jacobian, 0.0, 1.0, y0}),
                    Catch::Contains("jacobian(t0, y0) is 3 x 4") && Catch::Contains("must be 3 x 3"));
  // Rotation gives two values whatever the number of equations.
  const trialode_test::DynamicRotationProblem short_automatic{trialode_test::Rotation{}, 0.0, 1.0, y0};
  CHECK_THROWS_WITH(trialode_test::solve(short_automatic), Catch::Contains("f(t0, y0) is 2 x 1"));

  const FunctionSystem good{f, jacobian, 0.0, 1.0, y0};
  trialode::SolveOptions<double> options;
  options.initial_weights = Eigen::VectorXd::Zero(30);  // one network's worth, not three
  CHECK_THROWS_WITH(trialode_test::solve(good, options), Catch::Contains("must hold n * 3 * hidden_units = 90"));
  options.initial_weights = Eigen::VectorXd::Zero(90);
  CHECK(trialode_test::solve(good, options).converged());
  options = {};
  options.points = 1;
  CHECK_THROWS_WITH(trialode_test::solve(good, options), Catch::Contains("points"));
}
