// SPDX-License-Identifier: MIT
// solve() with the least-squares methods and with several starts: the accuracy targets of variable
// projection over many seeds, Levenberg-Marquardt on first- and second-order problems, the linearity
// check, multi-start results independent of the thread count, and bad options.
#include <catch2/catch.hpp>

#include <trialode/trialode.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <type_traits>
#include <vector>

#include "test_support.hpp"

using trialode::Method;
using trialode::MinimizerStatus;
using trialode_test::decay_error;
using trialode_test::decay_problem;

namespace {

/// Lagaris, Likas & Fotiadis (1998), problem 2: y' = -y/5 + exp(-t/5) cos t, y(0) = 0 on [0, 2], with the
/// exact solution exp(-t/5) sin t. Linear in y.
auto lagaris_problem_2() {
  return trialode::InitialValueProblem{[](double t, double y) { return -y / 5 + std::exp(-t / 5) * std::cos(t); },
                                       [](double, double) { return -0.2; }, 0.0, 2.0, 0.0};
}

template <typename Solution, typename Exact>
double max_error(const Solution& solution, Exact exact, int n = 501) {
  double worst = 0;
  for (int i = 0; i < n; ++i) {
    const double t = solution.t0() + (solution.t1() - solution.t0()) * i / (n - 1);
    worst = std::max(worst, std::abs(solution(t) - exact(t)));
  }
  return worst;
}

double median(std::vector<double> values) {
  std::nth_element(values.begin(), values.begin() + static_cast<long>(values.size() / 2), values.end());
  return values[values.size() / 2];
}

}  // namespace

TEST_CASE("variable projection: decay to 1e-6 on every one of 100 seeds, median 1e-8", "[lm][ode]") {
  // The recommended least-squares configuration: the default options with Method::variable_projection.
  // Measured over seeds 1..100: median 3.7e-9, worst 6.8e-8.
  const auto problem = decay_problem<double>();
  std::vector<double> errors;
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    trialode::SolveOptions<double> options;
    options.method = Method::variable_projection;
    options.seed = seed;
    const auto solution = trialode::solve<10>(problem, options);
    const double error = decay_error(solution);
    CAPTURE(seed, error, trialode::to_string(solution.report.status), solution.report.iterations);
    CHECK(solution.converged());
    CHECK(error <= 1e-6);
    errors.push_back(error);
  }
  const double median_error = median(errors);
  CAPTURE(median_error);
  CHECK(median_error <= 1e-8);
}

TEST_CASE("variable projection: Lagaris' problem 2 to 1e-7 on every seed", "[lm][ode]") {
  // Measured over seeds 1..100: median 4.8e-13, worst 1.3e-11.
  const auto problem = lagaris_problem_2();
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    trialode::SolveOptions<double> options;
    options.method = Method::variable_projection;
    options.seed = seed;
    const auto solution = trialode::solve(problem, options);
    const double error = max_error(solution, [](double t) { return std::exp(-t / 5) * std::sin(t); });
    CAPTURE(seed, error, trialode::to_string(solution.report.status));
    CHECK(solution.converged());
    CHECK(error <= 1e-7);
    CHECK(solution.max_residual_check < 1e-6);
  }
}

TEST_CASE("variable projection: the weights and the report describe the same solution", "[lm][ode]") {
  trialode::SolveOptions<double> options;
  options.method = Method::variable_projection;
  const auto problem = decay_problem<double>();
  const auto solution = trialode::solve(problem, options);
  REQUIRE(solution.converged());
  // The report's f is the full cost at the returned weights (v solved, w and u fitted).
  trialode::detail::FirstOrderCost<decltype(problem)> cost(problem, 10, solution.collocation);
  CHECK(cost.value(solution.network().parameters()) == Approx(solution.report.f).epsilon(1e-12));
  CHECK(solution.max_residual_collocation * solution.max_residual_collocation <= solution.report.f * 1.0000001);

  SECTION("continuing from the solution converges at once to the same accuracy") {
    trialode::SolveOptions<double> again = options;
    again.initial_weights = solution.network().parameters();
    const auto continued = trialode::solve(problem, again);
    CHECK(continued.converged());
    CHECK(continued.report.iterations <= 5);
    CHECK(decay_error(continued) <= 2 * decay_error(solution));
  }
}

TEST_CASE("variable projection refuses an f that is not linear in y", "[lm][ode]") {
  const trialode::InitialValueProblem logistic{[](double, double y) { return y * (1 - y); },
                                               [](double, double y) { return 1 - 2 * y; }, 0.0, 1.0, 0.5};
  trialode::SolveOptions<double> options;
  options.method = Method::variable_projection;
  CHECK_THROWS_AS(trialode::solve(logistic, options), std::invalid_argument);
  CHECK_THROWS_WITH(trialode::solve(logistic, options), Catch::Contains("not linear in y"));
  // The other methods solve it: y = 1 / (1 + e^-t).
  options.method = Method::levenberg_marquardt;
  const auto solution = trialode::solve(logistic, options);
  CHECK(max_error(solution, [](double t) { return 1 / (1 + std::exp(-t)); }) <= 1e-6);
}

TEST_CASE("variable projection on linear second-order problems", "[lm][ode]") {
  trialode::SolveOptions<double> options;
  options.method = Method::variable_projection;

  SECTION("y'' = -y, y(0) = 0, y'(0) = 1 on [0, 2]: sin t") {
    const trialode::SecondOrderProblem oscillator{[](auto, auto y, auto) { return -y; }, 0.0, 2.0, 0.0, 1.0};
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
      options.seed = seed;
      const auto solution = trialode::solve(oscillator, options);
      const double error = max_error(solution, [](double t) { return std::sin(t); });
      CAPTURE(seed, error, trialode::to_string(solution.report.status));
      CHECK(solution.converged());
      CHECK(error <= 1e-7);
    }
  }
  SECTION("y'' = -y, y(0) = 0, y(pi/2) = 1 as a boundary value problem: sin t") {
    const double half_pi = std::acos(0.0);
    const trialode::BoundaryValueProblem bvp{[](auto, auto y, auto) { return -y; }, 0.0, half_pi, 0.0, 1.0};
    const auto solution = trialode::solve(bvp, options);
    CHECK(solution.converged());
    CHECK(max_error(solution, [](double t) { return std::sin(t); }) <= 1e-7);
  }
  SECTION("a y y' term or a y^2 term is refused") {
    const trialode::SecondOrderProblem product{[](auto, auto y, auto dy) { return -y + y * dy; }, 0.0, 1.0, 0.0, 1.0};
    CHECK_THROWS_WITH(trialode::solve(product, options), Catch::Contains("y y' term"));
    const trialode::SecondOrderProblem square{[](auto, auto y, auto) { return -y * y; }, 0.0, 1.0, 0.0, 1.0};
    CHECK_THROWS_WITH(trialode::solve(square, options), Catch::Contains("not linear in y"));
    const trialode::SecondOrderProblem damped{[](auto, auto, auto dy) { return -dy * dy; }, 0.0, 1.0, 0.0, 1.0};
    CHECK_THROWS_WITH(trialode::solve(damped, options), Catch::Contains("not linear in y'"));
  }
}

TEST_CASE("variable projection is not offered for systems", "[lm][ode]") {
  const trialode::SystemProblem rotation{
      [](auto, const auto& y) { return Eigen::Matrix<std::decay_t<decltype(y[0])>, 2, 1>(y[1], -y[0]); }, 0.0, 2.0,
      Eigen::Vector2d(0.0, 1.0)};
  trialode::SolveOptions<double> options;
  options.method = Method::variable_projection;
  CHECK_THROWS_WITH(trialode::solve(rotation, options), Catch::Contains("first- and second-order problems only"));
}

TEST_CASE("Levenberg-Marquardt in solve: decay and a second-order problem", "[lm][ode]") {
  trialode::SolveOptions<double> options;
  options.method = Method::levenberg_marquardt;

  SECTION("decay, a few seeds") {
    // Measured over seeds 1..100 (1000 iterations, the limit): median 3.2e-7, worst 9.7e-7.
    for (std::uint64_t seed = 1; seed <= 3; ++seed) {
      options.seed = seed;
      const auto solution = trialode::solve(decay_problem<double>(), options);
      const double error = decay_error(solution);
      CAPTURE(seed, error, trialode::to_string(solution.report.status));
      CHECK((solution.converged() || solution.report.status == MinimizerStatus::iteration_limit));
      CHECK(solution.report.iterations <= options.least_squares.max_iterations);
      CHECK(solution.report.f < 1e-8 * solution.report.initial_f);
      CHECK(error <= 2e-6);
    }
  }
  SECTION("y'' = -y, y(0) = 0, y'(0) = 1 on [0, 2]: sin t") {
    const trialode::SecondOrderProblem oscillator{[](auto, auto y, auto) { return -y; }, 0.0, 2.0, 0.0, 1.0};
    const auto solution = trialode::solve(oscillator, options);
    const double error = max_error(solution, [](double t) { return std::sin(t); });
    CAPTURE(error, trialode::to_string(solution.report.status), solution.report.iterations);
    CHECK(error <= 1e-6);
  }
}

TEST_CASE("the callback sees every Levenberg-Marquardt iteration and can stop it", "[lm][ode]") {
  for (Method method : {Method::levenberg_marquardt, Method::variable_projection}) {
    CAPTURE(trialode::to_string(method));
    trialode::SolveOptions<double> options;
    options.method = method;
    int calls = 0;
    options.callback = [&calls](const trialode::IterationInfo<double>& info) {
      ++calls;
      return info.iteration < 4;
    };
    const auto solution = trialode::solve(decay_problem<double>(), options);
    CHECK(solution.report.status == MinimizerStatus::stopped_by_callback);
    CHECK(solution.report.iterations == 4);
    CHECK(calls == 4);
  }
}

TEST_CASE("multi-start keeps the best start, whatever the number of threads", "[lm][ode]") {
  const auto problem = decay_problem<double>();
  trialode::SolveOptions<double> options;
  options.method = Method::variable_projection;
  options.seed = 11;
  options.starts = 4;

  options.threads = 1;
  const auto serial = trialode::solve(problem, options);
  options.threads = 2;
  const auto parallel = trialode::solve(problem, options);
  CHECK(serial.network().parameters() == parallel.network().parameters());
  CHECK(serial.seed == parallel.seed);
  CHECK(serial.report.iterations == parallel.report.iterations);

  // The kept start is the one with the smallest residual on the check grid among seeds 11..14.
  double best = std::numeric_limits<double>::infinity();
  std::uint64_t best_seed = 0;
  for (std::uint64_t seed = 11; seed <= 14; ++seed) {
    trialode::SolveOptions<double> single = options;
    single.starts = 1;
    single.seed = seed;
    const auto solution = trialode::solve(problem, single);
    if (solution.max_residual_check < best) {
      best = solution.max_residual_check;
      best_seed = seed;
    }
  }
  CHECK(serial.seed == best_seed);
  CHECK(serial.max_residual_check == best);
}

TEST_CASE("multi-start with L-BFGS and a fixed size is also independent of the threads", "[ode]") {
  trialode::SolveOptions<double> options;
  options.points = 11;
  options.starts = 3;
  options.threads = 1;
  const auto serial = trialode::solve<10>(decay_problem<double>(), options);
  options.threads = 3;
  const auto parallel = trialode::solve<10>(decay_problem<double>(), options);
  CHECK(serial.network().parameters() == parallel.network().parameters());
  CHECK(serial.converged());
}

TEST_CASE("bad least-squares and multi-start options are rejected with the field's name", "[lm][ode]") {
  const auto problem = decay_problem<double>();
  trialode::SolveOptions<double> options;
  options.starts = 0;
  CHECK_THROWS_WITH(trialode::solve(problem, options), Catch::Contains("starts"));
  options = {};
  options.threads = 0;
  CHECK_THROWS_WITH(trialode::solve(problem, options), Catch::Contains("threads"));
  options.threads = -2;
  CHECK_THROWS_AS(trialode::solve(problem, options), std::invalid_argument);
  options = {};
  options.least_squares.initial_damping = -1;
  CHECK_THROWS_WITH(trialode::solve(problem, options), Catch::Contains("initial_damping"));
  options = {};
  options.method = static_cast<Method>(9);
  CHECK_THROWS_WITH(trialode::solve(problem, options), Catch::Contains("method"));
  CHECK(trialode::SolveOptions<double>{}.threads >= 1);
  CHECK(trialode::SolveOptions<double>{}.method == Method::lbfgs);
}
