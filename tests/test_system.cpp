// SPDX-License-Identifier: MIT
// Systems of first-order equations: the cost's gradient and Jacobian against central differences for a
// compile-time and a run-time number of equations, automatic against supplied Jacobian, a solve, bad input.
#include <catch2/catch.hpp>

#include <trialode/trialode.hpp>

#include <cmath>
#include <limits>

#include "gradient_checks.hpp"
#include "test_support.hpp"

namespace {

// A coupled nonlinear system of three equations:
// y1' = y2 y3 - sin t, y2' = -y1^2 / 2 + y3, y3' = cos(y1) - y2 / 4.
struct ThreeBody {
  template <typename T, typename Y>
  Eigen::Matrix<T, Eigen::Dynamic, 1> operator()(T t, const Y& y) const {
    using std::cos;
    using std::sin;
    using Real = typename Eigen::NumTraits<T>::Real;
    Eigen::Matrix<T, Eigen::Dynamic, 1> out(3);
    out[0] = y[1] * y[2] - sin(t);
    out[1] = -y[0] * y[0] / Real(2) + y[2];
    out[2] = cos(y[0]) - y[1] / Real(4);
    return out;
  }
};
template <typename Scalar>
Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic> three_body_jacobian(Scalar, const Eigen::Matrix<Scalar, Eigen::Dynamic, 1>& y) {
  Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic> j(3, 3);
  j << 0, y[2], y[1], -y[0], 0, 1, -std::sin(y[0]), Scalar(-0.25), 0;
  return j;
}

// A two-equation system with a compile-time size: y1' = y2, y2' = -y1 + y1 y2 / 3.
struct Pair {
  template <typename T, typename Y>
  Eigen::Matrix<T, 2, 1> operator()(T, const Y& y) const {
    using Real = typename Eigen::NumTraits<T>::Real;
    return Eigen::Matrix<T, 2, 1>(y[1], -y[0] + y[0] * y[1] / Real(3));
  }
};
template <typename Scalar>
Eigen::Matrix<Scalar, 2, 2> pair_jacobian(Scalar, const Eigen::Matrix<Scalar, 2, 1>& y) {
  Eigen::Matrix<Scalar, 2, 2> j;
  j << 0, 1, -1 + y[1] / Scalar(3), y[0] / Scalar(3);
  return j;
}

template <typename Scalar>
auto three_body() {
  const Eigen::Matrix<Scalar, Eigen::Dynamic, 1> y0 = (Eigen::Matrix<Scalar, Eigen::Dynamic, 1>(3) << Scalar(0.3), Scalar(-0.5), Scalar(1)).finished();
  return trialode::SystemProblem{ThreeBody{}, &three_body_jacobian<Scalar>, Scalar(0.5), Scalar(2), y0};
}
template <typename Scalar>
auto pair() {
  return trialode::SystemProblem{Pair{}, &pair_jacobian<Scalar>, Scalar(0), Scalar(2),
                                 Eigen::Matrix<Scalar, 2, 1>(Scalar(0.2), Scalar(1))};
}

}  // namespace

TEMPLATE_TEST_CASE("the system cost with a run-time size: gradient and Jacobian against central differences",
                   "[system][gradient]", float, double) {
  using Scalar = TestType;
  const auto problem = three_body<Scalar>();
  using Cost = trialode::detail::SystemCost<std::decay_t<decltype(problem)>>;
  Cost cost(problem, 4, trialode::detail::collocation_points(problem.t0, problem.t1, 7));
  CHECK(cost.components() == 3);
  CHECK(cost.parameter_count() == 36);
  CHECK(cost.residual_count() == 21);
  for (std::uint64_t seed : {1u, 5u}) {
    CAPTURE(seed);
    const auto p = trialode_test::system_weights<typename Cost::Parameters>(problem, 4, seed);
    trialode_test::check_gradient(cost, p);
    trialode_test::check_jacobian(cost, p);
  }
}

TEMPLATE_TEST_CASE("the system cost with a compile-time size: gradient and Jacobian against central differences",
                   "[system][gradient]", float, double) {
  using Scalar = TestType;
  const auto problem = pair<Scalar>();
  using Cost = trialode::detail::SystemCost<std::decay_t<decltype(problem)>, 5>;
  static_assert(Cost::parameter_size == 30, "2 networks of 5 units");
  Cost cost(problem, 5, trialode::detail::collocation_points(problem.t0, problem.t1, 9, trialode::CollocationRule::chebyshev_lobatto));
  const auto p = trialode_test::system_weights<typename Cost::Parameters>(problem, 5, 3);
  trialode_test::check_gradient(cost, p);
  trialode_test::check_jacobian(cost, p);
}

TEMPLATE_TEST_CASE("automatic and supplied Jacobians give the same system gradient", "[system][autodiff]", float, double) {
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
    supplied.evaluate(Scalar(1.1), supplied.y0, fa, ja);
    automatic.evaluate(Scalar(1.1), automatic.y0, fb, jb);
    CHECK(fa == fb);
    CHECK((ja - jb).norm() <= tol * ja.norm());
  };
  const auto supplied_three = three_body<Scalar>();
  compare(supplied_three, trialode::SystemProblem{ThreeBody{}, supplied_three.t0, supplied_three.t1, supplied_three.y0});
  const auto supplied_pair = pair<Scalar>();
  compare(supplied_pair, trialode::SystemProblem{Pair{}, supplied_pair.t0, supplied_pair.t1, supplied_pair.y0});
}

TEST_CASE("a system solve: y1' = y2, y2' = -y1 gives (sin t, cos t)", "[system]") {
  const trialode::SystemProblem rotation{
      [](auto, const auto& y) { return Eigen::Matrix<std::decay_t<decltype(y[0])>, 2, 1>(y[1], -y[0]); }, 0.0, 2.0,
      Eigen::Vector2d(0.0, 1.0)};
  const auto solution = trialode::solve(rotation);
  CAPTURE(trialode::to_string(solution.report.status), solution.report.iterations);
  CHECK(solution.converged());
  CHECK(solution.components() == 2);
  CHECK(solution(0.0) == Eigen::Vector2d(0.0, 1.0));
  double worst = 0;
  for (int i = 0; i <= 200; ++i) {
    const double t = 2.0 * i / 200;
    worst = std::max(worst, (solution(t) - Eigen::Vector2d(std::sin(t), std::cos(t))).cwiseAbs().maxCoeff());
  }
  CHECK(worst <= 1e-4);
  CHECK(solution.component(1)(1.0) == solution(1.0)[1]);
  CHECK(solution.derivative(1.0)[0] == Approx(std::cos(1.0)).margin(1e-3));
  CHECK(solution.contains(2.0));
  CHECK_FALSE(solution.contains(2.5));
  CHECK(solution.max_residual_check <= 1e-2);
  CHECK(solution.check_points == 401);

  // A run-time size and the same equations, given the Jacobian.
  const trialode::SystemProblem dynamic{
      [](double, const Eigen::VectorXd& y) { return Eigen::VectorXd((Eigen::VectorXd(2) << y[1], -y[0]).finished()); },
      [](double, const Eigen::VectorXd&) { return Eigen::MatrixXd((Eigen::MatrixXd(2, 2) << 0, 1, -1, 0).finished()); },
      0.0, 2.0, Eigen::VectorXd(Eigen::Vector2d(0.0, 1.0))};
  trialode::SolveOptions<double> short_run;
  short_run.minimizer.max_iterations = 50;
  const auto fixed_start = trialode::solve(rotation, short_run);
  const auto dynamic_start = trialode::solve(dynamic, short_run);
  CHECK(dynamic_start.report.iterations == 50);
  CHECK(dynamic_start.report.f == Approx(fixed_start.report.f).epsilon(1e-6));
}

TEST_CASE("systems reject bad input before any work", "[system]") {
  const auto f = [](double, const Eigen::VectorXd& y) { return Eigen::VectorXd(-y); };
  const auto jacobian = [](double, const Eigen::VectorXd& y) { return Eigen::MatrixXd(-Eigen::MatrixXd::Identity(y.size(), y.size())); };
  const Eigen::VectorXd y0 = Eigen::VectorXd::Ones(3);
  CHECK_THROWS_WITH(trialode::solve(trialode::SystemProblem{f, jacobian, 1.0, 1.0, y0}), Catch::Contains("t1 must be greater"));
  CHECK_THROWS_WITH(trialode::solve(trialode::SystemProblem{f, jacobian, 0.0, 1.0, Eigen::VectorXd()}), Catch::Contains("y0 is empty"));
  const Eigen::VectorXd not_finite = Eigen::VectorXd::Constant(2, std::numeric_limits<double>::infinity());
  CHECK_THROWS_WITH(trialode::solve(trialode::SystemProblem{f, jacobian, 0.0, 1.0, not_finite}), Catch::Contains("y0 is not finite"));

  const auto short_f = [](double, const Eigen::VectorXd& y) { return Eigen::VectorXd(y.head(2)); };
  CHECK_THROWS_WITH(trialode::solve(trialode::SystemProblem{short_f, jacobian, 0.0, 1.0, y0}),
                    Catch::Contains("f(t0, y0) is 2 x 1, but y0 has 3 entries"));
  const auto wide_jacobian = [](double, const Eigen::VectorXd&) { return Eigen::MatrixXd(Eigen::MatrixXd::Zero(3, 4)); };
  CHECK_THROWS_WITH(trialode::solve(trialode::SystemProblem{f, wide_jacobian, 0.0, 1.0, y0}),
                    Catch::Contains("jacobian(t0, y0) is 3 x 4") && Catch::Contains("must be 3 x 3"));
  const auto short_automatic = [](auto, const auto& y) { return Eigen::Matrix<std::decay_t<decltype(y[0])>, 2, 1>(y[0], y[1]); };
  CHECK_THROWS_WITH(trialode::solve(trialode::SystemProblem{short_automatic, 0.0, 1.0, y0}),
                    Catch::Contains("f(t0, y0) is 2 x 1"));

  const trialode::SystemProblem good{f, jacobian, 0.0, 1.0, y0};
  trialode::SolveOptions<double> options;
  options.initial_weights = Eigen::VectorXd::Zero(30);  // one network's worth, not three
  CHECK_THROWS_WITH(trialode::solve(good, options), Catch::Contains("must hold n * 3 * hidden_units = 90"));
  options.initial_weights = Eigen::VectorXd::Zero(90);
  CHECK(trialode::solve(good, options).converged());
  options = {};
  options.points = 1;
  CHECK_THROWS_WITH(trialode::solve(good, options), Catch::Contains("points"));
}
