// SPDX-License-Identifier: MIT
// Variable projection: the accuracy targets in solve() over many seeds, first- and second-order problems, the
// report of the returned weights, the linearity check, NaN and infinite f (finite weights, an honest status), and the
// projection over several networks.
#include <catch2/catch.hpp>

#include <trialode/trialode.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <stdexcept>
#include <type_traits>
#include <vector>

#include "support/solved_problems.hpp"
#include "support/system_problems.hpp"

using trialode::Method;
using trialode::MinimizerStatus;
using trialode_test::decay_error;
using trialode_test::decay_problem;
using trialode_test::max_error;

namespace {

/// Lagaris, Likas & Fotiadis (1998), problem 2: y' = -y/5 + exp(-t/5) cos t, y(0) = 0 on [0, 2], with the
/// exact solution exp(-t/5) sin t. Linear in y.
trialode_test::FunctionProblem lagaris_problem_2() {
  return {[](double t, double y) { return -y / 5 + std::exp(-t / 5) * std::cos(t); }, [](double, double) { return -0.2; },
          0.0, 2.0, 0.0};
}

/// A second-order right-hand side or one of its derivatives as `std::function`: the initial and boundary value
/// problems below that differ in f share one type each, solved (and compiled) in this file.
using SecondOrderFunction = std::function<double(double t, double y, double dy)>;
using FunctionSecondOrder = trialode::SecondOrderProblem<double, SecondOrderFunction, SecondOrderFunction, SecondOrderFunction>;
using FunctionBoundary = trialode::BoundaryValueProblem<double, SecondOrderFunction, SecondOrderFunction, SecondOrderFunction>;

/// y'' = -y, except where `broken(t, y)` holds: there f is `bad` (NaN or infinite).
SecondOrderFunction minus_y_unless(std::function<bool(double, double)> broken, double bad) {
  return [broken, bad](double t, double y, double) { return broken(t, y) ? bad : -y; };
}
const SecondOrderFunction minus_one = [](double, double, double) { return -1.0; };
const SecondOrderFunction zero = [](double, double, double) { return 0.0; };

/// What every method promises when f is not finite where the fit goes: finite weights (the best finite ones
/// seen, or the start), and never a converged status with a non-finite cost.
template <typename Solution>
void check_honest_non_finite(const Solution& solution) {
  CAPTURE(trialode::to_string(solution.report.status), solution.report.message, solution.report.f);
  CHECK(solution.network().parameters().allFinite());
  CHECK(solution.report.status == MinimizerStatus::non_finite);
  CHECK_FALSE(solution.converged());
}

double median(std::vector<double> values) {
  std::nth_element(values.begin(), values.begin() + static_cast<long>(values.size() / 2), values.end());
  return values[values.size() / 2];
}

}  // namespace

TEST_CASE("variable projection: decay to 1e-6 on every one of 100 seeds, median 1e-8", "[methods][variable_projection]") {
  // The recommended least-squares configuration: the default options with Method::variable_projection.
  // Measured over seeds 1..100: median 3.7e-9, worst 6.8e-8.
  const auto problem = decay_problem<double>();
  std::vector<double> errors;
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    trialode::SolveOptions<double> options;
    options.method = Method::variable_projection;
    options.seed = seed;
    const auto solution = trialode_test::solve<10>(problem, options);
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

TEST_CASE("variable projection: Lagaris' problem 2 to 1e-7 on every seed", "[methods][variable_projection]") {
  // Measured over seeds 1..100: median 4.8e-13, worst 1.3e-11.
  const auto problem = lagaris_problem_2();
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    trialode::SolveOptions<double> options;
    options.method = Method::variable_projection;
    options.seed = seed;
    const auto solution = trialode_test::solve(problem, options);
    const double error = max_error(solution, [](double t) { return std::exp(-t / 5) * std::sin(t); });
    CAPTURE(seed, error, trialode::to_string(solution.report.status));
    CHECK(solution.converged());
    CHECK(error <= 1e-7);
    CHECK(solution.max_residual_check < 1e-6);
  }
}

TEST_CASE("variable projection: the weights and the report describe the same solution", "[methods][variable_projection]") {
  trialode::SolveOptions<double> options;
  options.method = Method::variable_projection;
  const auto problem = decay_problem<double>();
  const auto solution = trialode_test::solve(problem, options);
  REQUIRE(solution.converged());
  // The report's f is the full cost at the returned weights (v solved, w and u fitted), in the problem's
  // units. The fit ran in normalized variables (z = t/5), and re-expressing its weights in t moves each
  // residual of about 1e-8 by about 1e-11 (output weights that cancel amplify the rounding of w t): the two
  // costs agree to a few parts in 1e3 (measured 0.997).
  trialode::detail::FirstOrderCost<decltype(problem)> cost(problem, 10, solution.collocation);
  CAPTURE(cost.value(solution.network().parameters()) / solution.report.f);
  CHECK(cost.value(solution.network().parameters()) == Approx(solution.report.f).epsilon(1e-2));
  CHECK(solution.max_residual_collocation * solution.max_residual_collocation <= solution.report.f * 1.0000001);

  SECTION("continuing from the solution stops at once at the same accuracy") {
    trialode::SolveOptions<double> again = options;
    again.initial_weights = solution.network().parameters();
    const auto continued = trialode_test::solve(problem, again);
    CAPTURE(trialode::to_string(continued.report.status), continued.report.message, continued.report.iterations,
            continued.report.f, solution.report.f);
    // At the minimum no step lowers the cost, which the minimizer cannot tell from a plateau: it stops at once,
    // and says so rather than claim convergence.
    CHECK((continued.converged() || continued.report.status == MinimizerStatus::stalled));
    CHECK(continued.report.iterations <= 5);
    CHECK(decay_error(continued) <= 2 * decay_error(solution));
  }
}

TEST_CASE("variable projection refuses an f that is not linear in y", "[methods][variable_projection]") {
  const trialode_test::FunctionProblem logistic{[](double, double y) { return y * (1 - y); },
                                                [](double, double y) { return 1 - 2 * y; }, 0.0, 1.0, 0.5};
  trialode::SolveOptions<double> options;
  options.method = Method::variable_projection;
  CHECK_THROWS_AS(trialode_test::solve(logistic, options), std::invalid_argument);
  CHECK_THROWS_WITH(trialode_test::solve(logistic, options), Catch::Contains("not linear in y"));
  // The other methods solve it: y = 1 / (1 + e^-t).
  options.method = Method::levenberg_marquardt;
  const auto solution = trialode_test::solve(logistic, options);
  CHECK(max_error(solution, [](double t) { return 1 / (1 + std::exp(-t)); }) <= 1e-6);
}

TEST_CASE("variable projection on linear second-order problems", "[methods][variable_projection][second_order]") {
  trialode::SolveOptions<double> options;
  options.method = Method::variable_projection;

  SECTION("y'' = -y, y(0) = 0, y'(0) = 1 on [0, 2]: sin t") {
    const auto oscillator = trialode_test::oscillator();
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
      options.seed = seed;
      const auto solution = trialode_test::solve(oscillator, options);
      const double error = max_error(solution, [](double t) { return std::sin(t); });
      CAPTURE(seed, error, trialode::to_string(solution.report.status));
      CHECK(solution.converged());
      CHECK(error <= 1e-7);
    }
  }
  SECTION("y'' = -y, y(0) = 0, y(pi/2) = 1 as a boundary value problem: sin t") {
    const double half_pi = std::acos(0.0);
    const trialode_test::OscillatorBvp bvp{trialode_test::MinusY{}, 0.0, half_pi, 0.0, 1.0};
    const auto solution = trialode_test::solve(bvp, options);
    CHECK(solution.converged());
    CHECK(max_error(solution, [](double t) { return std::sin(t); }) <= 1e-7);
  }
  SECTION("a y y' term or a y^2 term is refused") {
    using trialode_test::QuadraticIvp;
    using trialode_test::QuadraticRhs;
    const QuadraticIvp product{QuadraticRhs{-1, 1, 0, 0}, 0.0, 1.0, 0.0, 1.0};  // -y + y y'
    CHECK_THROWS_WITH(trialode_test::solve(product, options), Catch::Contains("y y' term"));
    const QuadraticIvp square{QuadraticRhs{0, 0, -1, 0}, 0.0, 1.0, 0.0, 1.0};  // -y^2
    CHECK_THROWS_WITH(trialode_test::solve(square, options), Catch::Contains("not linear in y"));
    const QuadraticIvp damped{QuadraticRhs{0, 0, 0, -1}, 0.0, 1.0, 0.0, 1.0};  // -y'^2
    CHECK_THROWS_WITH(trialode_test::solve(damped, options), Catch::Contains("not linear in y'"));
    // The same form when linear is taken.
    const QuadraticIvp linear{QuadraticRhs{-1, 0, 0, 0}, 0.0, 2.0, 0.0, 1.0};  // -y
    CHECK(max_error(trialode_test::solve(linear, options), [](double t) { return std::sin(t); }) <= 1e-7);
  }
}

TEST_CASE("variable projection is not offered for systems", "[methods][variable_projection][system]") {
  const auto rotation = trialode_test::rotation();
  trialode::SolveOptions<double> options;
  options.method = Method::variable_projection;
  CHECK_THROWS_WITH(trialode_test::solve(rotation, options), Catch::Contains("variable_projection is for scalar problems only"));
}

TEST_CASE("variable projection on a linear problem whose f turns NaN: non_finite, not 'not linear'", "[methods][variable_projection]") {
  const trialode_test::FunctionProblem nan_late{
      [](double t, double y) { return t > 0.5 ? std::numeric_limits<double>::quiet_NaN() : -y; },
      [](double, double) { return -1.0; }, 0.0, 1.0, 1.0};
  trialode::SolveOptions<double> options;
  options.method = trialode::Method::variable_projection;
  const auto solution = trialode_test::solve(nan_late, options);
  CAPTURE(trialode::to_string(solution.report.status), solution.report.message);
  CHECK(solution.report.status == MinimizerStatus::non_finite);
  CHECK_FALSE(solution.converged());
}

TEST_CASE("variable projection with f NaN or infinite at a collocation point keeps finite weights", "[methods][variable_projection]") {
  // c, the part of the residual free of v, is not finite there, so v* = R^-1 Q^T c is not either: the weights
  // returned are the start's, with status non_finite, as Levenberg-Marquardt returns them.
  trialode::SolveOptions<double> options;
  options.method = Method::variable_projection;
  for (const double bad : {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity()}) {
    CAPTURE(bad);
    const trialode_test::FunctionProblem broken{[bad](double t, double y) { return t > 0.5 ? bad : -y; },
                                                [](double, double) { return -1.0; }, 0.0, 1.0, 1.0};
    check_honest_non_finite(trialode_test::solve(broken, options));
  }
}

TEST_CASE("variable projection with f NaN for some y only: no converged status on a NaN cost", "[methods][variable_projection]") {
  // y' = -y on [0, 1], y(0) = 1, with f NaN below y = 0.5, which the exact solution exp(-t) crosses at t = 0.69.
  // The projection sees f only at v = 0 (y = 1) and v = 1 (y > 1), where it is finite; v* puts y where f is NaN.
  const trialode_test::FunctionProblem broken{
      [](double, double y) { return y < 0.5 ? std::numeric_limits<double>::quiet_NaN() : -y; },
      [](double, double) { return -1.0; }, 0.0, 1.0, 1.0};
  trialode::SolveOptions<double> options;
  options.method = Method::variable_projection;
  const auto solution = trialode_test::solve(broken, options);
  check_honest_non_finite(solution);
}

TEST_CASE("variable projection on second-order problems whose f is not finite keeps finite weights", "[methods][variable_projection][second_order]") {
  trialode::SolveOptions<double> options;
  options.method = Method::variable_projection;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  SECTION("initial value problem, f NaN or infinite at the points beyond t = 1") {
    for (const double bad : {nan, inf}) {
      CAPTURE(bad);
      const FunctionSecondOrder problem{minus_y_unless([](double t, double) { return t > 1; }, bad), minus_one, zero,
                                        0.0, 2.0, 0.0, 1.0};
      check_honest_non_finite(trialode::solve(problem, options));
    }
  }
  SECTION("initial value problem, f NaN below y = -0.5, which sin t crosses at t = 3.67") {
    const FunctionSecondOrder problem{minus_y_unless([](double, double y) { return y < -0.5; }, nan), minus_one, zero,
                                      0.0, 4.0, 0.0, 1.0};
    check_honest_non_finite(trialode::solve(problem, options));
  }
  SECTION("Dirichlet problem, f NaN or infinite at the points beyond t = 1") {
    const double half_pi = std::acos(0.0);
    for (const double bad : {nan, inf}) {
      CAPTURE(bad);
      const FunctionBoundary problem{minus_y_unless([](double t, double) { return t > 1; }, bad), minus_one, zero,
                                     0.0, half_pi, 0.0, 1.0};
      check_honest_non_finite(trialode::solve(problem, options));
    }
  }
}

TEST_CASE("variable projection over several networks: the projected residual is the full one at v*", "[methods][variable_projection][system][gradient]") {
  const auto rotation = trialode_test::forced_rotation();
  using Cost = trialode::detail::SystemCost<decltype(rotation)>;
  const Cost cost(rotation, 5, Eigen::ArrayXd::LinSpaced(21, 0.0, 2.0));
  trialode::detail::VariableProjection<Cost> projection(cost);
  CHECK(projection.layout().networks() == 2);
  const Eigen::VectorXd weights = trialode_test::system_weights<Eigen::VectorXd>(rotation, 5, 2);
  const Eigen::VectorXd theta = projection.nonlinear_part(weights);
  REQUIRE(theta.size() == 20);
  CHECK(theta.head(10) == weights.segment(5, 10));
  CHECK(theta.tail(10) == weights.segment(20, 10));
  Eigen::VectorXd r;
  Eigen::MatrixXd jacobian;
  projection(theta, r, jacobian);
  const Eigen::VectorXd full = projection.full_parameters(theta);
  CHECK(full.segment(5, 10) == theta.head(10));
  Cost copy = cost;
  Cost::Residuals r_full;
  Cost::Jacobian j_full;
  copy.residuals(full, r_full, j_full);
  CHECK((r - r_full).norm() <= 1e-8 * (1.0 + r.norm()));
  // v* is optimal: the residual is orthogonal to the v columns of the full Jacobian.
  for (Eigen::Index k = 0; k < 2; ++k) {
    CHECK((j_full.middleCols(15 * k, 5).transpose() * r_full).norm() <= 1e-8 * j_full.norm() * r_full.norm());
  }
  // The projected Jacobian against central differences, for two of the weights.
  for (Eigen::Index j : {Eigen::Index(3), Eigen::Index(17)}) {
    const double h = 1e-6;
    Eigen::VectorXd up = theta, down = theta, r_up, r_down;
    up[j] += h;
    down[j] -= h;
    projection(up, r_up, jacobian);
    projection(down, r_down, jacobian);
    projection(theta, r, jacobian);
    CAPTURE(j);
    CHECK(((r_up - r_down) / (2 * h) - jacobian.col(j)).norm() <= 1e-5 * (1.0 + jacobian.col(j).norm()));
  }
}
