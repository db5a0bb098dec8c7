// SPDX-License-Identifier: MIT
// error_bound() and the bound every solve reports: the propagation against errors known in closed form, and
// the bound's coverage of the true error (measured on a grid finer than the check grid) for every family and
// method, in double and float; a residual that is not finite gives an infinite bound.
#include <catch2/catch.hpp>

#include <trialode/trialode.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "support/solved_problems.hpp"

using trialode::Method;

namespace {

/// The samples of e' = j e + r on [0, length] with constant j and r, on `count` equally spaced points.
trialode::detail::ErrorSamples<double> constant_samples(double j, double r, double length, Eigen::Index count) {
  trialode::detail::ErrorSamples<double> s;
  s.resize(count, 1, 1);
  for (Eigen::Index i = 0; i < count; ++i) {
    s.t[i] = length * static_cast<double>(i) / static_cast<double>(count - 1);
    s.jacobian(0, i) = j;
    s.residual(0, i) = r;
    s.size(0, i) = 0;
    s.value(0, i) = 1;
  }
  return s;
}

/// Checks the bound of one solution against its true error: at least the error, at most `most` times it, and
/// the estimate within a factor 2.5 of it (the error above the rounding level).
template <typename Solution>
void check_cover(const Solution& solution, double error, double most) {
  CAPTURE(error, solution.error_bound, solution.error_bound_absolute, solution.error_estimate, solution.seed);
  CHECK(solution.error_bound >= error);
  CHECK(solution.error_bound <= most * error);
  CHECK(solution.error_bound <= solution.error_bound_absolute);
  if (error > 1e-11) {
    CHECK(solution.error_estimate >= error / 2.5);
    CHECK(solution.error_estimate <= 2.5 * error);
  }
}

}  // namespace

TEST_CASE("error propagation: e' = j e + r with constant j and r against its closed form", "[solve]") {
  // e(t) = r (e^(j t) - 1) / j: the scalar Green's function is positive, so the absolute bound is the error
  // itself up to its quadrature (each cell by its larger end), and the trapezoid estimate of the integral of
  // Phi^-1 r = r e^(-j s) on 401 points is within 1e-4 of it.
  for (const double j : {-3.0, -0.5, 0.0, 0.7}) {
    const double r = 1e-6, length = 2.0;
    const auto samples = constant_samples(j, r, length, 401);
    const auto found = trialode::detail::propagate_error(samples, {});
    const double exact = j == 0.0 ? r * length : std::abs(r * (std::exp(j * length) - 1) / j);
    const double largest = j >= 0 ? exact : r / -j * (1 - std::exp(j * length));
    CAPTURE(j, exact, found.absolute, found.estimate, found.bound);
    CHECK(found.absolute >= largest);
    CHECK(found.absolute <= largest * 1.02);
    CHECK(found.estimate == Approx(largest).epsilon(1e-4));
    CHECK(found.bound >= largest);
    CHECK(found.bound <= 2.01 * largest);
  }
}

TEST_CASE("error propagation: the fundamental matrix of a rotation and of a stiff decay", "[solve]") {
  using Matrix = Eigen::Matrix2d;
  Matrix a;
  a << 0, 0.75, -0.75, 0;  // e^a rotates by 0.75
  const Matrix e = trialode::detail::small_exponential<Matrix>(a);
  CHECK(e(0, 0) == Approx(std::cos(0.75)).epsilon(1e-14));
  CHECK(e(0, 1) == Approx(std::sin(0.75)).epsilon(1e-14));
  CHECK(e(1, 0) == Approx(-std::sin(0.75)).epsilon(1e-14));
  // e' = -1e5 e + r on [0, 1]: Phi^-1 = e^(1e5 t) overflows; the propagation restarts and stays finite, with
  // the bound r / 1e5 of the steady state.
  const auto samples = constant_samples(-1e5, 1.0, 1.0, 2001);
  const auto found = trialode::detail::propagate_error(samples, {});
  CAPTURE(found.absolute, found.bound);
  CHECK(std::isfinite(found.bound));
  CHECK(found.absolute >= 1e-5);
  CHECK(found.absolute <= 1e-3);  // the max rule on cells of width 5e-4 overstates the stiff integral
}

TEST_CASE("error propagation: a non-finite residual or Jacobian gives infinite results", "[solve]") {
  auto samples = constant_samples(-1.0, 1e-8, 1.0, 11);
  samples.residual(0, 5) = std::numeric_limits<double>::quiet_NaN();
  const double infinity = std::numeric_limits<double>::infinity();
  CHECK(trialode::detail::propagate_error(samples, {}).bound == infinity);
  samples = constant_samples(-1.0, 1e-8, 1.0, 11);
  samples.jacobian(0, 3) = infinity;
  const auto found = trialode::detail::propagate_error(samples, {});
  CHECK(found.bound == infinity);
  CHECK(found.absolute == infinity);
  CHECK(found.estimate == infinity);
}

TEST_CASE("error bound: first order, every method, seeds 1 to 10", "[solve][lagaris]") {
  const auto decay = trialode_test::decay_problem<double>();
  const auto exact = [](double t) { return std::exp(-t); };
  for (const Method method : {Method::lbfgs, Method::levenberg_marquardt, Method::variable_projection, Method::random_features}) {
    for (std::uint64_t seed = 1; seed <= 10; ++seed) {
      trialode::SolveOptions<double> options;
      options.method = method;
      options.seed = seed;
      const auto solution = trialode_test::solve(decay, options);
      CAPTURE(trialode::to_string(method));
      check_cover(solution, lagaris::error_on_2001_points(solution, exact), 10);
    }
  }
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    trialode::SolveOptions<double> options;
    options.method = Method::random_features;
    options.seed = seed;
    const auto p1 = trialode_test::solve(lagaris::p1(), options);
    check_cover(p1, lagaris::error_on_2001_points(p1, lagaris::p1_exact), 10);
    const auto p2 = trialode_test::solve(lagaris::p2(), options);
    check_cover(p2, lagaris::error_on_2001_points(p2, lagaris::p2_exact), 10);
  }
}

TEST_CASE("error bound: second order, initial and boundary values", "[solve][second_order][lagaris]") {
  for (const Method method : {Method::lbfgs, Method::variable_projection, Method::random_features}) {
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
      trialode::SolveOptions<double> options;
      options.method = method;
      options.seed = seed;
      CAPTURE(trialode::to_string(method));
      const auto ivp = trialode_test::solve(lagaris::p3ivp(), options);
      check_cover(ivp, lagaris::error_on_2001_points(ivp, lagaris::p3_exact), 20);
      const auto bvp = trialode_test::solve(lagaris::p3bvp(), options);
      check_cover(bvp, lagaris::error_on_2001_points(bvp, lagaris::p3_exact), 20);
      // The separable Green's function of the boundary value problem is never looser than the general
      // correction through the fundamental matrix from t0.
      const auto grid = trialode::detail::check_grid(bvp.collocation, bvp.t0(), bvp.t1(), 4);
      auto samples = trialode::detail::scalar_samples(lagaris::p3bvp(), bvp, grid);
      std::vector<trialode::detail::StateCondition<double>> ends(2);
      ends[0].terms.push_back({0, 0, 1.0});
      ends[1].terms.push_back({grid.size() - 1, 0, 1.0});
      const auto general = trialode::detail::propagate_error(samples, ends, false);
      const auto separable = trialode::detail::propagate_error(samples, ends, true);
      CHECK(separable.absolute <= general.absolute);
      CHECK(separable.estimate == Approx(general.estimate).epsilon(1e-12));
    }
  }
  trialode::SolveOptions<double> options;
  options.method = Method::random_features;
  const auto oscillator = trialode_test::solve(trialode_test::OscillatorBvp{trialode_test::MinusY{}, 0.0, 1.0, 1.0, std::cos(1.0)}, options);
  check_cover(oscillator, lagaris::error_on_2001_points(oscillator, [](double t) { return std::cos(t); }), 20);
}

TEST_CASE("error bound: systems, every method, and a failed fit with a large bound", "[solve][system][lagaris]") {
  const auto rotation_exact = [](double t) { return Eigen::Vector2d(std::sin(t), std::cos(t)); };
  for (const Method method : {Method::lbfgs, Method::quasilinearization, Method::random_features}) {
    trialode::SolveOptions<double> options;
    options.method = method;
    CAPTURE(trialode::to_string(method));
    const auto rotation = trialode_test::solve(trialode_test::rotation(), options);
    check_cover(rotation, lagaris::error_on_2001_points(rotation, rotation_exact), 20);
  }
  trialode::SolveOptions<double> options;
  options.method = Method::quasilinearization;
  options.points = 81;
  const auto p4 = trialode_test::solve(lagaris::p4(), options);
  check_cover(p4, lagaris::error_on_2001_points(p4, lagaris::p4_exact), 20);
  // L-BFGS does not solve p4 with the defaults (seed 2: error 12): the bound says so, far above the
  // solution's size, and still covers the error.
  options = {};
  options.seed = 2;
  const auto failed = trialode_test::solve(lagaris::p4(), options);
  const double error = lagaris::error_on_2001_points(failed, lagaris::p4_exact);
  CAPTURE(error, failed.error_bound);
  CHECK(error > 1);
  CHECK(failed.error_bound >= error);
}

TEST_CASE("error bound: float", "[solve]") {
  const auto problem = trialode_test::decay_problem<float>();
  for (const Method method : {Method::lbfgs, Method::random_features}) {
    trialode::SolveOptions<float> options;
    options.method = method;
    const auto solution = trialode_test::solve(problem, options);
    double error = 0;
    for (int i = 0; i <= 2000; ++i) {
      const float t = 5.0f * static_cast<float>(i) / 2000.0f;
      error = std::max(error, std::abs(static_cast<double>(solution(t)) - std::exp(-static_cast<double>(t))));
    }
    CAPTURE(trialode::to_string(method), error, solution.error_bound);
    CHECK(solution.error_bound >= error);
    CHECK(solution.error_bound <= 20 * error);
  }
}

TEST_CASE("error bound: a residual that is not finite between the points gives an infinite bound", "[solve]") {
  // f = 1/(t - 1/2) on [0, 1]: infinite at t = 1/2, which the check grid holds.
  const trialode_test::FunctionProblem problem{[](double t, double) { return 1 / (t - 0.5); },
                                              [](double, double) { return 0.0; }, 0.0, 1.0, 0.0};
  trialode::SolveOptions<double> options;
  options.method = Method::random_features;
  const auto solution = trialode_test::solve(problem, options);
  CHECK(solution.error_bound == std::numeric_limits<double>::infinity());
  CHECK_FALSE(solution.converged());
}
