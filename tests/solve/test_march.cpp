// SPDX-License-Identifier: MIT
// Time marching and the tolerance loop of solve(): segments for each initial value family, continuous at the
// junctions (with y' for second order), their error bound against the true error, the loop's statuses
// (met, not met, stopped promptly), the units loop of the families that do not march, and bad input.
#include <catch2/catch.hpp>

#include <trialode/trialode.hpp>
#include <trialode_examples/lagaris_problems.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

using trialode::Method;
using trialode::MinimizerStatus;

namespace {

const trialode::InitialValueProblem decay{[](auto, auto y) { return -y; }, 0.0, 5.0, 1.0};
const trialode::SecondOrderProblem oscillator{[](auto, auto y, auto) { return -y; }, 0.0, 20.0, 1.0, 0.0};

}  // namespace

TEST_CASE("marching: first order, equal segments, continuous, bound covers the error", "[solve]") {
  trialode::SolveOptions<double> options;
  options.method = Method::random_features;
  options.segments = 4;
  const auto solution = trialode::solve(decay, options);
  REQUIRE(solution.segments() == 4);
  const std::vector<double>& ends = solution.segment_ends();
  REQUIRE(ends.size() == 5);
  CHECK(ends.front() == 0.0);
  CHECK(ends.back() == 5.0);
  CHECK(ends[2] == Approx(2.5).epsilon(1e-15));
  CHECK(solution.segment_of(0.0) == 0);
  CHECK(solution.segment_of(ends[1]) == 1);
  CHECK(solution.segment_of(5.0) == 3);
  CHECK(solution.segment_error_bounds.size() == 4);
  CHECK(solution.segment_error_bounds.maxCoeff() == solution.error_bound);
  for (std::size_t k = 1; k + 1 < ends.size(); ++k) {
    // Segment k starts from the value segment k - 1 ends with, exactly.
    CHECK(solution.segment(static_cast<Eigen::Index>(k) - 1)(ends[k]) == solution(ends[k]));
  }
  const double error = lagaris::error_on_2001_points(solution, [](double t) { return std::exp(-t); });
  CAPTURE(error, solution.error_bound);
  CHECK(solution.converged());
  CHECK(error < 1e-12);
  CHECK(solution.error_bound >= error);
  CHECK(solution.error_bound <= 20 * error);
  // joined() takes consecutive segments of equal sizes only.
  using Piece = std::decay_t<decltype(solution)>;
  const Piece first = solution.segment(0), second = solution.segment(1), third = solution.segment(2);
  CHECK(Piece::joined({first, second, third}).segments() == 3);
  CHECK_THROWS_WITH(Piece::joined({first, third}), Catch::Contains("start where"));
  CHECK_THROWS_AS(Piece::joined({}), std::invalid_argument);
  const Piece other(second.trial(), typename Piece::Network(5), second.t0(), second.t1());
  CHECK_THROWS_WITH(Piece::joined({first, other}), Catch::Contains("as many units"));
  // The array forms evaluate across the segments as the point form does.
  Eigen::ArrayXd t = Eigen::ArrayXd::LinSpaced(101, 0.0, 5.0);
  const Eigen::ArrayXd y = solution.value(t);
  for (Eigen::Index i = 0; i < t.size(); ++i) CHECK(y[i] == Approx(solution(t[i])).epsilon(1e-13));
}

TEST_CASE("marching: second order keeps y and y' continuous, and a system every component", "[solve][second_order][system]") {
  trialode::SolveOptions<double> options;
  options.method = Method::random_features;
  options.segments = 10;
  const auto solution = trialode::solve(oscillator, options);
  REQUIRE(solution.segments() == 10);
  for (Eigen::Index k = 1; k < 10; ++k) {
    const double a = solution.segment_ends()[static_cast<std::size_t>(k)];
    const auto left = solution.segment(k - 1).evaluate(a);
    const auto right = solution.evaluate(a);
    CHECK(left.y == right.y);
    CHECK(left.dy == right.dy);
  }
  const double error = lagaris::error_on_2001_points(solution, [](double t) { return std::cos(t); });
  CAPTURE(error, solution.error_bound);
  CHECK(error < 1e-11);
  CHECK(solution.error_bound >= error);
  // Segments of length 2 exactly, f linear with constant coefficients: the same feature matrix on every segment,
  // factored once (9 reuses here; a few may miss by the rounding of the normalization).
  CHECK(solution.features.reused_factorizations >= 5);
  CHECK(solution.features.reused_factorizations <= 9);

  const trialode::SystemProblem rotation{[](auto, const auto& y) {
                                           using T = std::decay_t<decltype(y[0])>;
                                           Eigen::Matrix<T, 2, 1> dy;
                                           dy << y[1], -y[0];
                                           return dy;
                                         },
                                         0.0, 20.0, Eigen::Vector2d(0.0, 1.0)};
  const auto system = trialode::solve(rotation, options);
  REQUIRE(system.segments() == 10);
  for (Eigen::Index k = 1; k < 10; ++k) {
    const double a = system.segment_ends()[static_cast<std::size_t>(k)];
    CHECK((system.segment(k - 1)(a) - system(a)).cwiseAbs().maxCoeff() == 0.0);
  }
  const double system_error = lagaris::error_on_2001_points(system, [](double t) { return Eigen::Vector2d(std::sin(t), std::cos(t)); });
  CAPTURE(system_error, system.error_bound);
  CHECK(system_error < 1e-11);
  CHECK(system.error_bound >= system_error);
  CHECK(system.features.reused_factorizations >= 5);
  CHECK(system.component(1).segments() == 10);
  CHECK(system.component(1)(7.3) == system(7.3)[1]);
}

TEST_CASE("tolerance: met on decay, an oscillation over [0, 100] and a stiff layer", "[solve]") {
  trialode::SolveOptions<double> options;
  options.tolerance = 1e-12;
  const auto smooth = trialode::solve(decay, options);
  CAPTURE(smooth.report.message);
  CHECK(smooth.report.status == MinimizerStatus::converged_tolerance);
  CHECK(smooth.converged());
  CHECK(smooth.error_bound <= 1e-12);
  CHECK(lagaris::error_on_2001_points(smooth, [](double t) { return std::exp(-t); }) <= smooth.error_bound);

  options.tolerance = 1e-10;
  const trialode::SecondOrderProblem long_oscillator{[](auto, auto y, auto) { return -y; }, 0.0, 100.0, 1.0, 0.0};
  const auto marched = trialode::solve(long_oscillator, options);
  CAPTURE(marched.report.message);
  CHECK(marched.converged());
  CHECK(marched.segments() > 1);
  CHECK(marched.error_bound <= 1e-10);
  CHECK(lagaris::error_on_2001_points(marched, [](double t) { return std::cos(t); }) <= marched.error_bound);

  // y' = -100 (y - sin t) + cos t, y(0) = 1: sin t + exp(-100 t); the segments are split where the layer is.
  const trialode::InitialValueProblem stiff{[](auto t, auto y) {
                                              using std::cos;
                                              using std::sin;
                                              return -100.0 * (y - sin(t)) + cos(t);
                                            },
                                            0.0, 2.0, 1.0};
  const auto layered = trialode::solve(stiff, options);
  CAPTURE(layered.report.message);
  CHECK(layered.converged());
  const std::vector<double>& ends = layered.segment_ends();
  REQUIRE(ends.size() > 2);
  CHECK(ends[1] - ends[0] < ends.back() - ends[ends.size() - 2]);  // graded: short in the layer
  CHECK(lagaris::error_on_2001_points(layered, [](double t) { return std::sin(t) + std::exp(-100 * t); }) <= layered.error_bound);
}

TEST_CASE("tolerance: not met within the limits, returned promptly with an honest bound", "[solve]") {
  const trialode::InitialValueProblem fast{[](auto t, auto) {
                                             using std::cos;
                                             return cos(1000.0 * t);
                                           },
                                           0.0, 100.0, 0.0};
  trialode::SolveOptions<double> options;
  options.tolerance = 1e-10;
  options.max_segments = 16;
  const auto solution = trialode::solve(fast, options);
  CAPTURE(solution.report.message);
  CHECK(solution.report.status == MinimizerStatus::tolerance_not_met);
  CHECK_FALSE(solution.converged());
  CHECK(solution.segments() <= 16);
  const double error = lagaris::error_on_2001_points(solution, [](double t) { return std::sin(1000 * t) / 1000; });
  CHECK(solution.error_bound > 1e-10);
  CHECK(solution.error_bound >= error);
  // Every segment's fit converged (f is linear): the message says that the tolerance was not met, and no more.
  CHECK(solution.report.message.find("did not converge") == std::string::npos);
  // A tolerance below rounding: the loop stops when more segments no longer lower the bound.
  options.max_segments = 4096;
  options.tolerance = 1e-18;
  const auto floor = trialode::solve(decay, options);
  CHECK(floor.report.status == MinimizerStatus::tolerance_not_met);
  CHECK(floor.segments() < 4096);
  CHECK(std::isfinite(floor.error_bound));
}

TEST_CASE("tolerance: a boundary value problem takes more units, not segments", "[solve][second_order]") {
  const trialode::BoundaryValueProblem bvp{[](auto, auto y, auto) { return -y; }, 0.0, 1.0, 1.0, std::cos(1.0)};
  trialode::SolveOptions<double> options;
  options.tolerance = 1e-13;
  const auto solution = trialode::solve(bvp, options);
  CAPTURE(solution.report.message);
  CHECK(solution.converged());
  CHECK(solution.segments() == 1);
  CHECK(solution.error_bound <= 1e-13);
  CHECK(lagaris::error_on_2001_points(solution, [](double t) { return std::cos(t); }) <= solution.error_bound);
}

TEST_CASE("marching: a solution that blows up inside a segment is not converged, and its bound says so", "[solve]") {
  // y' = y^2, y(0) = 1: 1/(1 - t), infinite at t = 1, the end of the second of four segments of [0, 2].
  const trialode::InitialValueProblem blowup{[](auto, auto y) { return y * y; }, 0.0, 2.0, 1.0};
  trialode::SolveOptions<double> options;
  options.method = Method::random_features;
  options.segments = 4;
  const auto solution = trialode::solve(blowup, options);
  CAPTURE(solution.report.message, solution.segment_error_bounds);
  CHECK_FALSE(solution.converged());
  CHECK(solution.segments() == 4);
  CHECK(solution.segment_error_bounds[0] < 1e-10);  // [0, 0.5] is solved
  CHECK(solution.segment_error_bounds[1] > 1);      // [0.5, 1] is not, and the bound says so
  CHECK(solution.error_bound > 1);
  // With a tolerance: not met, and the message says which fit failed.
  options.tolerance = 1e-10;
  options.max_segments = 64;
  const auto looped = trialode::solve(blowup, options);
  CAPTURE(looped.report.message);
  CHECK(looped.report.status == MinimizerStatus::tolerance_not_met);
  CHECK(looped.error_bound > 1);
  CHECK(looped.report.message.find("The fit did not converge: Segment") != std::string::npos);
}

TEST_CASE("marching and tolerance: bad options are refused before any work", "[solve]") {
  const trialode::BoundaryValueProblem bvp{[](auto, auto y, auto) { return -y; }, 0.0, 1.0, 1.0, 0.5};
  trialode::SolveOptions<double> options;
  options.segments = 3;
  CHECK_THROWS_AS(trialode::solve(bvp, options), std::invalid_argument);
  options.starts = 2;
  CHECK_THROWS_WITH(trialode::solve(decay, options), Catch::Contains("one start"));
  options = {};
  options.segments = 0;
  CHECK_THROWS_WITH(trialode::solve(decay, options), Catch::Contains("segments"));
  options = {};
  options.segments = 20;
  options.max_segments = 10;
  CHECK_THROWS_WITH(trialode::solve(decay, options), Catch::Contains("max_segments"));
  options = {};
  options.tolerance = -1e-10;
  CHECK_THROWS_WITH(trialode::solve(decay, options), Catch::Contains("tolerance"));
  options.tolerance = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH(trialode::solve(decay, options), Catch::Contains("tolerance"));
  options.tolerance = 1e-10;
  options.collocation = Eigen::ArrayXd::LinSpaced(11, 0.0, 5.0);
  CHECK_THROWS_WITH(trialode::solve(decay, options), Catch::Contains("collocation"));
  options = {};
  options.segments = 2;
  options.initial_weights = Eigen::VectorXd::Zero(30);
  options.hidden_units = 10;
  CHECK_THROWS_WITH(trialode::solve(decay, options), Catch::Contains("initial_weights"));
  options = {};
  options.max_hidden_units = 0;
  CHECK_THROWS_WITH(trialode::solve(decay, options), Catch::Contains("max_hidden_units"));
}
