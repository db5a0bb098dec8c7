// SPDX-License-Identifier: MIT
// Quasilinearization with variable projection for nonlinear systems: the linearized system, the paper's
// problem 4 to 1e-7, when it may claim convergence, and bad input.
#include <catch2/catch.hpp>

#include <trialode/trialode.hpp>

#include <cmath>

#include "support/solved_problems.hpp"
#include "support/system_problems.hpp"

using trialode_test::forced_rotation;

TEST_CASE("the linearization of p4 matches f to first order and is exact for a linear system", "[methods][quasilinearization][system]") {
  const auto p4 = lagaris::p4();
  const Eigen::VectorXd weights = trialode_test::system_weights<Eigen::VectorXd>(p4, 4, 3);
  const trialode::detail::LinearizedSystem<decltype(p4)> linear(p4, 4, weights);
  // At the expansion point ybar the linearization equals f; nearby it differs by O(|y - ybar|^2).
  trialode::SigmoidNetwork<double> n1(4, weights.head(12)), n2(4, weights.tail(12));
  const double t = 1.3;
  const Eigen::Vector2d ybar(t * n1.value(t), 1.0 + t * n2.value(t));
  CHECK((linear.value(t, ybar) - p4.value(t, ybar)).norm() <= 1e-12);
  const Eigen::Vector2d step(1e-3, -2e-3);
  const double gap = (linear.value(t, ybar + step) - p4.value(t, ybar + step)).norm();
  CHECK(gap <= 1e-5);
  CHECK(gap > 0.0);

  const auto rotation = forced_rotation();
  const trialode::detail::LinearizedSystem<decltype(rotation)> same(
      rotation, 4, trialode_test::system_weights<Eigen::VectorXd>(rotation, 4, 1));
  const Eigen::Vector2d y(0.3, -0.7);
  CHECK((same.value(0.8, y) - rotation.value(0.8, y)).norm() <= 1e-14);
}

TEST_CASE("p4 by quasilinearization: max error below 1e-7 on 501 points", "[methods][quasilinearization][system][lagaris]") {
  trialode::SolveOptions<double> options;
  options.points = 81;
  options.method = trialode::Method::quasilinearization;  // seed 1: 4.7e-9 measured
  const auto p4 = trialode_test::solve(lagaris::p4(), options);
  const double error = lagaris::max_abs_error(p4, lagaris::p4_exact, false);
  CAPTURE(options.seed, trialode::to_string(p4.report.status), p4.report.iterations, p4.max_residual_check, error);
  CHECK(p4.converged());
  CHECK(error <= 1e-7);
  CHECK(p4.max_residual_check <= 1e-8);
  CHECK(p4.report.f == Approx(0.0).margin(1e-16));
  // A fixed point of the linearization is a stationary point of the full cost.
  CHECK(p4.report.gradient_norm <= 1e-7 * p4.report.initial_gradient_norm);  // measured 1.4e-8
  CHECK(p4(0.0) == Eigen::Vector2d(0.0, 1.0));

  // Levenberg-Marquardt alone, from the same start and with as many iterations, stays far away.
  options.method = trialode::Method::levenberg_marquardt;
  options.least_squares.max_iterations = p4.report.iterations;
  const auto lm = trialode_test::solve(lagaris::p4(), options);
  CHECK(lagaris::max_abs_error(lm, lagaris::p4_exact, false) > 100 * error);
}

TEST_CASE("quasilinearization: bad input throws, the callback can stop it", "[methods][quasilinearization][system]") {
  trialode::SolveOptions<double> options;
  options.method = trialode::Method::quasilinearization;
  CHECK_THROWS_WITH(trialode_test::solve(lagaris::p2(), options), Catch::Contains("systems only"));
  options.quasilinearization.max_linearizations = 0;
  CHECK_THROWS_WITH(trialode_test::solve(lagaris::p4(), options), Catch::Contains("max_linearizations"));
  options.quasilinearization = {};
  options.quasilinearization.patience = 0;
  CHECK_THROWS_WITH(trialode_test::solve(lagaris::p4(), options), Catch::Contains("patience"));
  options.quasilinearization = {};
  options.quasilinearization.slope_factor = std::nan("");
  CHECK_THROWS_WITH(trialode_test::solve(lagaris::p4(), options), Catch::Contains("slope_factor"));
  options.quasilinearization = {};
  options.quasilinearization.projected.max_iterations = 0;
  CHECK_THROWS_WITH(trialode_test::solve(lagaris::p4(), options), Catch::Contains("max_iterations"));

  options.quasilinearization = {};
  options.least_squares.max_iterations = 20;
  int calls = 0;
  options.callback = [&calls](const trialode::IterationInfo<double>&) { return ++calls < 30; };
  const auto stopped = trialode_test::solve(trialode_test::rotation(), options);
  CHECK(stopped.report.status == trialode::MinimizerStatus::stopped_by_callback);
  CHECK(calls == 30);
  CHECK(std::isfinite(stopped.report.f));
}

TEST_CASE("quasilinearization claims convergence only when it settled", "[methods][quasilinearization][system]") {
  const auto p4 = lagaris::p4();
  trialode::detail::SystemCost<trialode_test::P4> cost(p4, 10, trialode::detail::collocation_points(p4.t0, p4.t1, 41));
  const auto no_callback = [](const trialode::IterationInfo<double>&) { return true; };
  trialode::QuasilinearizationParameters<double> parameters;
  Eigen::VectorXd wrong(7);
  CHECK_THROWS_WITH(trialode::detail::quasilinearize(cost, wrong, parameters, no_callback), Catch::Contains("weights has 7"));

  // From the raw seeded start, with every projected fit cut to one iteration: the cost falls, but no
  // fit converges, so the run must not say it did.
  Eigen::VectorXd weights = trialode_test::system_weights<Eigen::VectorXd>(p4, 10, 1);
  parameters.projected.max_iterations = 1;
  const auto cut = trialode::detail::quasilinearize(cost, weights, parameters, no_callback);
  CAPTURE(trialode::to_string(cut.status), cut.f, cut.gradient_norm, cut.message);
  CHECK_FALSE(cut.converged());
  CHECK(std::isfinite(cut.f));
  CHECK(cut.f <= cut.initial_f);

  // From a good fit with full projected fits, it settles.
  trialode::SolveOptions<double> options;
  options.points = 81;
  options.method = trialode::Method::quasilinearization;
  const auto good = trialode_test::solve(p4, options);
  CAPTURE(trialode::to_string(good.report.status), good.report.message);
  CHECK(good.report.status == trialode::MinimizerStatus::converged_decrease);

  // On the rotation system every projected fit starts at the last optimum and finds nothing lower: that is
  // settling too (it ended iteration_limit when such fits were not counted as settled).
  options.points = 0;
  const auto rotation = trialode_test::solve(trialode_test::rotation(), options);
  CAPTURE(trialode::to_string(rotation.report.status), rotation.report.message);
  CHECK(rotation.report.status == trialode::MinimizerStatus::converged_decrease);
}
