// SPDX-License-Identifier: MIT
// The options of solve(): every bad field named, by SolveOptions::check and by solve() before any work.
#include <catch2/catch.hpp>

#include <trialode/trialode.hpp>

#include <limits>
#include <stdexcept>

#include "support/solved_problems.hpp"

using trialode::Method;
using trialode_test::decay_problem;

TEST_CASE("bad least-squares and multi-start options are rejected with the field's name", "[solve][levenberg_marquardt]") {
  const auto problem = decay_problem<double>();
  trialode::SolveOptions<double> options;
  options.starts = 0;
  CHECK_THROWS_WITH(trialode_test::solve(problem, options), Catch::Contains("starts"));
  options = {};
  options.threads = 0;
  CHECK_THROWS_WITH(trialode_test::solve(problem, options), Catch::Contains("threads"));
  options.threads = -2;
  CHECK_THROWS_AS(trialode_test::solve(problem, options), std::invalid_argument);
  options = {};
  options.least_squares.initial_damping = -1;
  CHECK_THROWS_WITH(trialode_test::solve(problem, options), Catch::Contains("initial_damping"));
  options = {};
  options.method = static_cast<Method>(9);
  CHECK_THROWS_WITH(trialode_test::solve(problem, options), Catch::Contains("method"));
  CHECK(trialode::SolveOptions<double>{}.threads >= 1);
  CHECK(trialode::SolveOptions<double>{}.method == Method::lbfgs);
}

TEST_CASE("SolveOptions::check counts the initial weights of every network", "[solve]") {
  trialode::SolveOptions<double> options;
  CHECK_NOTHROW(options.check());
  options.hidden_units = 4;
  options.initial_weights = Eigen::VectorXd::Zero(12);
  CHECK_NOTHROW(options.check());
  CHECK_THROWS_WITH(options.check(2), Catch::Contains("initial_weights") && Catch::Contains("= 24 values, got 12"));
  options.initial_weights = Eigen::VectorXd::Zero(24);
  CHECK_NOTHROW(options.check(2));
  CHECK_THROWS_WITH(options.check(1), Catch::Contains("initial_weights") && Catch::Contains("= 12 values, got 24"));
  options.initial_weights[5] = std::numeric_limits<double>::infinity();
  CHECK_THROWS_WITH(options.check(2), Catch::Contains("initial_weights are not all finite"));
  CHECK_THROWS_WITH(options.check(0), Catch::Contains("networks must be at least 1"));
}
