// SPDX-License-Identifier: MIT
// The options of solve(): every bad field named, by SolveOptions::check and by solve() before any work, sizes
// whose arrays would not fit in memory included.
#include <catch2/catch.hpp>

#include <trialode/trialode.hpp>

#include <climits>
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

TEST_CASE("sizes whose arrays would take gigabytes are refused, naming the fields, before any allocation", "[solve]") {
  const auto problem = decay_problem<double>();
  const auto refused = [&problem](const trialode::SolveOptions<double>& options, const char* field) {
    CAPTURE(field);
    CHECK_THROWS_AS(trialode_test::solve(problem, options), std::invalid_argument);
    CHECK_THROWS_WITH(trialode_test::solve(problem, options), Catch::Contains(field));
  };
  trialode::SolveOptions<double> options;
  options.hidden_units = Eigen::Index(1) << 24;  // 41 points x 3 * 2^24 weights in the Jacobian
  refused(options, "hidden_units");
  options = {};
  options.minimizer.memory = INT_MAX;
  refused(options, "minimizer.memory");
  options = {};
  options.minimizer.past = INT_MAX;
  refused(options, "minimizer.past");
  options = {};
  options.starts = INT_MAX;
  refused(options, "starts");
  options = {};
  options.method = Method::levenberg_marquardt;  // a normal matrix of (3 * 5000)^2 entries
  options.hidden_units = 5000;
  refused(options, "hidden_units");
  options = {};
  options.method = Method::random_features;  // a feature matrix of (1.15 + 1) 2^14 x 2^14 entries
  options.hidden_units = Eigen::Index(1) << 14;
  refused(options, "hidden_units");

  // SolveOptions::check alone, with the sizes given.
  options = {};
  options.points = Eigen::Index(1) << 24;
  options.hidden_units = 1000;
  options.check_subdivisions = 1024;
  CHECK_THROWS_WITH(options.check(), Catch::Contains("points") && Catch::Contains("hidden_units"));
  options.hidden_units = 10;
  options.points = Eigen::Index(1) << 20;  // a Jacobian of 2^20 x 30, but a check grid of 2^30 points
  CHECK_THROWS_WITH(options.check(), Catch::Contains("check_subdivisions"));
  options.check_subdivisions = 100;
  CHECK_NOTHROW(options.check());
  // Systems: the Jacobian has a row per point and equation, a column per weight of every network.
  options = {};
  options.hidden_units = 100;
  options.points = 1000;
  CHECK_NOTHROW(options.check(10));
  CHECK_THROWS_WITH(options.check(100), Catch::Contains("points") && Catch::Contains("hidden_units"));
}

TEST_CASE("large but sensible sizes pass the check", "[solve]") {
  trialode::SolveOptions<double> options;
  options.hidden_units = 1000;
  options.points = 10000;
  options.check_subdivisions = 1024;
  options.starts = 1000;
  options.threads = 100000;
  CHECK_NOTHROW(options.check());
  options.method = Method::levenberg_marquardt;
  CHECK_NOTHROW(options.check());
  options.method = Method::variable_projection;
  CHECK_NOTHROW(options.check());
  options.method = Method::random_features;
  CHECK_NOTHROW(options.check());
  options.method = Method::lbfgs;
  options.minimizer.memory = 1000;
  options.minimizer.past = 1000000;
  CHECK_NOTHROW(options.check());
}
