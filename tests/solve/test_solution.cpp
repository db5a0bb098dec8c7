// SPDX-License-Identifier: MIT
// What solve() returns: y, y' and y'' anywhere, arrays of them, the conditions met exactly, contains() and the
// residual diagnostics, for first- and second-order problems and systems.
#include <catch2/catch.hpp>

#include <trialode/trialode.hpp>

#include <algorithm>
#include <cmath>

#include "support/solved_problems.hpp"

using trialode_test::decay_problem;

TEST_CASE("the solution answers y and y' anywhere and meets the initial condition", "[solve]") {
  const auto solution = trialode_test::solve(decay_problem<double>());
  CHECK(solution(0.0) == 1.0);
  for (double t : {0.1, 1.7, 4.2}) {
    CHECK(solution.derivative(t) == Approx(-solution(t)).margin(1e-3));
  }
  const Eigen::ArrayXd t = Eigen::ArrayXd::LinSpaced(5, 0.0, 5.0);
  const Eigen::ArrayXd y = solution.value(t);
  // On a grid the network is evaluated in runs (detail::NetworkBatch), to the accuracy of a point's evaluation.
  CHECK(y[2] == Approx(solution(2.5)).epsilon(1e-13));
  CHECK(solution.t0() == 0.0);
  CHECK(solution.t1() == 5.0);
  CHECK(solution.report.f == Approx(0.0).margin(1e-6));
  CHECK(solution.max_residual_check <= 1e-3);
}

TEST_CASE("second-order solutions: conditions, contains(), diagnostics", "[solve][second_order]") {
  // y'' = -y, y(0) = 0, y'(0) = 1 on [0, 2]: sin t. The same as a boundary value problem on [0, 1.5].
  const auto ivp = trialode_test::solve(trialode_test::oscillator());
  CAPTURE(trialode::to_string(ivp.report.status), ivp.report.iterations);
  CHECK(ivp.converged());
  CHECK(ivp(0.0) == 0.0);
  CHECK(ivp.derivative(0.0) == 1.0);
  CHECK(ivp.contains(0.0));
  CHECK(ivp.contains(2.0));
  CHECK_FALSE(ivp.contains(2.1));
  CHECK_FALSE(ivp.contains(-1e-9));
  CHECK(ivp.max_residual_check <= 1e-3);
  CHECK(ivp.max_residual_check >= ivp.max_residual_collocation);
  const Eigen::ArrayXd fine = Eigen::ArrayXd::LinSpaced(201, 0.0, 2.0);
  CHECK((ivp.value(fine) - fine.sin()).abs().maxCoeff() <= 1e-5);

  const trialode_test::OscillatorBvp boundary{trialode_test::MinusY{}, 0.0, 1.5, 0.0, std::sin(1.5)};
  trialode::SolveOptions<double> ten;
  ten.hidden_units = 10;
  const auto bvp = trialode_test::solve<10>(boundary, ten);
  CHECK(bvp.converged());
  CHECK(bvp(0.0) == 0.0);
  CHECK(bvp(1.5) == Approx(std::sin(1.5)).epsilon(1e-15));
  const Eigen::ArrayXd fine_bvp = Eigen::ArrayXd::LinSpaced(201, 0.0, 1.5);
  CHECK((bvp.value(fine_bvp) - fine_bvp.sin()).abs().maxCoeff() <= 1e-5);
  CHECK((bvp.second_derivative(fine_bvp) + fine_bvp.sin()).abs().maxCoeff() <= 1e-3);
}

TEST_CASE("a system solve: y1' = y2, y2' = -y1 gives (sin t, cos t)", "[solve][system]") {
  const auto rotation = trialode_test::rotation();
  const auto solution = trialode_test::solve(rotation);
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
  // Arrays of times give a row per time; a component is a scalar solution; the trial form holds y0.
  const Eigen::ArrayXd times = Eigen::ArrayXd::LinSpaced(3, 0.0, 2.0);
  const Eigen::MatrixXd values = solution.value(times);
  REQUIRE(values.rows() == 3);
  REQUIRE(values.cols() == 2);
  CHECK(values.row(1).transpose() == solution(1.0));
  CHECK(solution.derivative(times).row(2).transpose() == solution.derivative(2.0));
  CHECK(solution.component(0).value(times)[2] == solution(2.0)[0]);
  CHECK(solution.trial().y0 == Eigen::Vector2d(0.0, 1.0));
  CHECK(solution.networks().size() == 2);
  CHECK(solution.network(1).parameters() == solution.component(1).network().parameters());

  // A run-time size and the same equations, given the Jacobian.
  const trialode_test::FunctionSystem dynamic{
      [](double, const Eigen::VectorXd& y) { return Eigen::VectorXd((Eigen::VectorXd(2) << y[1], -y[0]).finished()); },
      [](double, const Eigen::VectorXd&) { return Eigen::MatrixXd((Eigen::MatrixXd(2, 2) << 0, 1, -1, 0).finished()); },
      0.0, 2.0, Eigen::VectorXd(Eigen::Vector2d(0.0, 1.0))};
  trialode::SolveOptions<double> short_run;
  short_run.minimizer.max_iterations = 50;
  const auto fixed_start = trialode_test::solve(rotation, short_run);
  const auto dynamic_start = trialode_test::solve(dynamic, short_run);
  CHECK(dynamic_start.report.iterations == 50);
  CHECK(dynamic_start.report.f == Approx(fixed_start.report.f).epsilon(1e-6));
}
