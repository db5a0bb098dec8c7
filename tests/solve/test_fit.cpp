// SPDX-License-Identifier: MIT
// The fit in solve() by each method for each family: Levenberg-Marquardt on first- and second-order problems
// and systems, the callback in the least-squares methods, and the methods a family takes or refuses.
#include <catch2/catch.hpp>

#include <trialode/trialode.hpp>

#include <cmath>
#include <cstdint>
#include <type_traits>

#include "support/solved_problems.hpp"

using trialode::Method;
using trialode::MinimizerStatus;
using trialode_test::decay_error;
using trialode_test::decay_problem;
using trialode_test::max_error;

TEST_CASE("Levenberg-Marquardt in solve: decay and a second-order problem", "[solve][levenberg_marquardt][second_order]") {
  trialode::SolveOptions<double> options;
  options.method = Method::levenberg_marquardt;

  SECTION("decay, a few seeds") {
    // Measured over seeds 1..100 (1000 iterations, the limit): median 3.2e-7, worst 9.7e-7.
    for (std::uint64_t seed = 1; seed <= 3; ++seed) {
      options.seed = seed;
      const auto solution = trialode_test::solve(decay_problem<double>(), options);
      const double error = decay_error(solution);
      CAPTURE(seed, error, trialode::to_string(solution.report.status));
      CHECK((solution.converged() || solution.report.status == MinimizerStatus::iteration_limit));
      CHECK(solution.report.iterations <= options.least_squares.max_iterations);
      CHECK(solution.report.f < 1e-8 * solution.report.initial_f);
      CHECK(error <= 2e-6);
    }
  }
  SECTION("y'' = -y, y(0) = 0, y'(0) = 1 on [0, 2]: sin t") {
    const auto oscillator = trialode_test::oscillator();
    const auto solution = trialode_test::solve(oscillator, options);
    const double error = max_error(solution, [](double t) { return std::sin(t); });
    CAPTURE(error, trialode::to_string(solution.report.status), solution.report.iterations);
    CHECK(error <= 1e-6);
  }
}

TEST_CASE("the callback sees every Levenberg-Marquardt iteration and can stop it", "[solve][levenberg_marquardt][variable_projection]") {
  for (Method method : {Method::levenberg_marquardt, Method::variable_projection}) {
    CAPTURE(trialode::to_string(method));
    trialode::SolveOptions<double> options;
    options.method = method;
    int calls = 0;
    options.callback = [&calls](const trialode::IterationInfo<double>& info) {
      ++calls;
      return info.iteration < 4;
    };
    const auto solution = trialode_test::solve(decay_problem<double>(), options);
    CHECK(solution.report.status == MinimizerStatus::stopped_by_callback);
    CHECK(solution.report.iterations == 4);
    CHECK(calls == 4);
  }
}

TEST_CASE("second-order and system solves take the method and multi-start options", "[solve][second_order][system][levenberg_marquardt]") {
  const auto oscillator = trialode_test::oscillator();
  trialode::SolveOptions<double> options;
  options.method = trialode::Method::levenberg_marquardt;
  // Levenberg-Marquardt may end on its iteration limit here, far below the error L-BFGS reaches.
  const auto ivp = trialode_test::solve(oscillator, options);
  CAPTURE(trialode::to_string(ivp.report.status), ivp.report.iterations);
  CHECK(ivp.report.f < 1e-10);
  const Eigen::ArrayXd fine = Eigen::ArrayXd::LinSpaced(201, 0.0, 2.0);
  CHECK((ivp.value(fine) - fine.sin()).abs().maxCoeff() <= 1e-6);

  const auto rotation = trialode_test::rotation();
  const auto system = trialode_test::solve(rotation, options);
  CHECK(system.report.f < 1e-10);
  CHECK((system(1.0) - Eigen::Vector2d(std::sin(1.0), std::cos(1.0))).cwiseAbs().maxCoeff() <= 1e-6);

  options = {};
  options.starts = 3;
  options.threads = 1;
  options.minimizer.max_iterations = 20;
  const auto best = trialode_test::solve(oscillator, options);
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    trialode::SolveOptions<double> single = options;
    single.starts = 1;
    single.seed = seed;
    CHECK(best.max_residual_check <= trialode_test::solve(oscillator, single).max_residual_check);
  }

  // Variable projection takes linear scalar problems, such as the oscillator, but not systems.
  options = {};
  options.method = trialode::Method::variable_projection;
  CHECK((trialode_test::solve(oscillator, options).value(fine) - fine.sin()).abs().maxCoeff() <= 1e-7);
  CHECK_THROWS_WITH(trialode_test::solve(rotation, options), Catch::Contains("variable_projection is for scalar problems only"));
}
