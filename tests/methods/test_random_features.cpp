// SPDX-License-Identifier: MIT
// Random features: every family solved with the method's defaults against exact solutions on a grid finer than
// the points, nonlinear f by Gauss-Newton, declared linearity, the rank-deficient and non-finite cases, the
// statuses, the callback and the checks of the parameters.
#include <catch2/catch.hpp>

#include <trialode/trialode.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>

#include "support/solved_problems.hpp"

using trialode::Method;
using trialode::MinimizerStatus;
using trialode_test::decay_error;
using trialode_test::decay_problem;
using trialode_test::max_error;

namespace {

trialode::SolveOptions<double> random_features() {
  trialode::SolveOptions<double> options;
  options.method = Method::random_features;
  return options;
}

/// dy/dt = -y^2, y(0) = 1 on [0, 5]: 1/(1 + t).
trialode_test::FunctionProblem inverse_decay() {
  return {[](double, double y) { return -y * y; }, [](double, double y) { return -2.0 * y; }, 0.0, 5.0, 1.0};
}

/// y1' = -y1 y2, y2' = -y2, y(0) = (1, 1) on [0, 2]: y2 = exp(-t), y1 = exp(exp(-t) - 1). Nonlinear.
Eigen::VectorXd damped_product(double, const Eigen::VectorXd& y) {
  Eigen::VectorXd f(2);
  f << -y[0] * y[1], -y[1];
  return f;
}
Eigen::MatrixXd damped_product_jacobian(double, const Eigen::VectorXd& y) {
  Eigen::MatrixXd j(2, 2);
  j << -y[1], -y[0], 0.0, -1.0;
  return j;
}

}  // namespace

TEST_CASE("random features solve every family's linear problems to 1e-9 with the method's defaults",
          "[methods][random_features][ode]") {
  for (std::uint64_t seed : {1, 2, 3}) {
    CAPTURE(seed);
    trialode::SolveOptions<double> options = random_features();
    options.seed = seed;
    const auto decay = trialode_test::solve(decay_problem<double>(), options);
    CHECK(decay.report.status == MinimizerStatus::converged_linear);
    CHECK(decay.converged());
    CHECK(decay_error(decay) < 1e-9);
    CHECK(decay.max_residual_check < 1e-7);
    CHECK(decay.features.columns == decay.network().hidden_units());
    CHECK(decay.features.rank >= 1);
    CHECK(decay.features.rank <= decay.features.columns);
    CHECK(decay.features.condition >= 1.0);
    CHECK(decay.report.iterations == 1);

    const auto exact23 = [](double t) { return std::exp(-t / 5) * std::sin(t); };
    const auto p1 = trialode_test::solve(lagaris::p1(), options);
    CHECK(p1.report.status == MinimizerStatus::converged_linear);
    CHECK(max_error(p1, [](double t) { return std::exp(-t * t / 2) / (1 + t + t * t * t) + t * t; }) < 1e-9);
    const auto p2 = trialode_test::solve(lagaris::p2(), options);
    CHECK(max_error(p2, exact23) < 1e-9);
    const auto p3ivp = trialode_test::solve(lagaris::p3ivp(), options);
    CHECK(p3ivp.report.status == MinimizerStatus::converged_linear);
    CHECK(max_error(p3ivp, exact23) < 1e-9);
    const auto p3bvp = trialode_test::solve(lagaris::p3bvp(), options);
    CHECK(p3bvp.report.status == MinimizerStatus::converged_linear);
    CHECK(max_error(p3bvp, exact23) < 1e-9);
    CHECK(p3bvp(0.0) == 0.0);  // the conditions hold exactly, whatever the weights

    const auto rotation = trialode_test::solve(trialode_test::rotation(), options);
    CHECK(rotation.report.status == MinimizerStatus::converged_linear);
    CHECK(rotation.features.columns == 2 * rotation.network(0).hidden_units());
    CHECK(max_error(rotation.component(0), [](double t) { return std::sin(t); }) < 1e-9);
    CHECK(max_error(rotation.component(1), [](double t) { return std::cos(t); }) < 1e-9);
  }
}

TEST_CASE("random features take their own units and Chebyshev-Lobatto points unless told otherwise",
          "[methods][random_features][solve]") {
  const auto own = trialode_test::solve(decay_problem<double>(), random_features());
  const Eigen::Index units = own.network().hidden_units();
  CHECK(units == 26);
  CHECK(trialode_test::solve(inverse_decay(), random_features()).network().hidden_units() == 36);
  CHECK(own.collocation.size() >= units);
  // Chebyshev-Lobatto: the first gap is much smaller than the middle one.
  const Eigen::Index middle = own.collocation.size() / 2;
  CHECK(own.collocation[1] - own.collocation[0] < 0.2 * (own.collocation[middle + 1] - own.collocation[middle]));
  // The tutorial's sizes stay one line away, and the other methods keep theirs.
  trialode::SolveOptions<double> tutorial = random_features();
  tutorial.hidden_units = 10;
  tutorial.points = 11;
  const auto small = trialode_test::solve(decay_problem<double>(), tutorial);
  CHECK(small.network().hidden_units() == 10);
  CHECK(small.collocation.size() == 11);
  CHECK(small.collocation[1] == Approx(2.5 * (1 - std::cos(3.141592653589793 / 10))));  // still Chebyshev-Lobatto
  const auto lbfgs = trialode_test::solve(decay_problem<double>(), trialode::SolveOptions<double>());
  CHECK(lbfgs.network().hidden_units() == 10);
  CHECK(lbfgs.collocation.size() == 41);
  CHECK(lbfgs.collocation[1] == Approx(0.125));
  // A fixed size at compile time is the method's size.
  const auto fixed = trialode_test::solve<10>(decay_problem<double>(), random_features());
  CHECK(fixed.network().hidden_units() == 10);
  CHECK(fixed.collocation.size() == 12);
}

TEST_CASE("random features fit a nonlinear f by Gauss-Newton on the output weights",
          "[methods][random_features][ode]") {
  trialode::SolveOptions<double> options = random_features();
  const auto scalar = trialode_test::solve(inverse_decay(), options);
  CAPTURE(scalar.report.message);
  CHECK(scalar.report.status == MinimizerStatus::converged_decrease);
  CHECK(scalar.report.iterations >= 3);
  CHECK(scalar.report.f < 1e-12 * scalar.report.initial_f);
  CHECK(max_error(scalar, [](double t) { return 1 / (1 + t); }) < 1e-6);

  // y'' = 1.5 y^2, y(0) = 4, y'(0) = -8 on [0, 1]: 4/(1 + t)^2.
  const trialode_test::QuadraticIvp quadratic{trialode_test::QuadraticRhs{0, 0, 1.5, 0}, 0.0, 1.0, 4.0, -8.0};
  const auto second = trialode_test::solve(quadratic, options);
  CHECK(second.report.status == MinimizerStatus::converged_decrease);
  CHECK(max_error(second, [](double t) { return 4 / ((1 + t) * (1 + t)); }) < 1e-8);

  const trialode_test::FunctionSystem product{&damped_product, &damped_product_jacobian, 0.0, 2.0,
                                              Eigen::Vector2d(1.0, 1.0)};
  const auto system = trialode_test::solve(product, options);
  CHECK(system.report.status == MinimizerStatus::converged_decrease);
  CHECK(max_error(system.component(0), [](double t) { return std::exp(std::exp(-t) - 1); }) < 1e-8);
  CHECK(max_error(system.component(1), [](double t) { return std::exp(-t); }) < 1e-8);
}

TEST_CASE("declared linearity: a wrong declaration hands over to Gauss-Newton, a nonlinear one still converges",
          "[methods][random_features]") {
  trialode::SolveOptions<double> options = random_features();
  options.random_features.linearity = trialode::Linearity::linear;  // wrong: f = -y^2
  const auto wrong = trialode_test::solve(inverse_decay(), options);
  CHECK(wrong.report.status == MinimizerStatus::converged_decrease);
  CHECK(max_error(wrong, [](double t) { return 1 / (1 + t); }) < 1e-6);
  options.random_features.linearity = trialode::Linearity::linear;  // right
  const auto right = trialode_test::solve(decay_problem<double>(), options);
  CHECK(right.report.status == MinimizerStatus::converged_linear);
  CHECK(right.report.evaluations == 2);  // the least-squares solve, and the sum of squares checked after it
  CHECK(decay_error(right) < 1e-9);
  options.random_features.linearity = trialode::Linearity::nonlinear;
  const auto iterated = trialode_test::solve(decay_problem<double>(), options);
  CHECK(iterated.converged());
  CHECK(decay_error(iterated) < 1e-9);
}

TEST_CASE("random features: a rank-deficient feature matrix is handled and reported",
          "[methods][random_features]") {
  // Units repeated in w and u (their v differ, so the symmetry breaking keeps them): duplicate columns.
  const auto drawn = trialode_test::solve(decay_problem<double>(), random_features());
  const Eigen::Index h = drawn.network().hidden_units();
  Eigen::VectorXd weights = drawn.network().parameters();
  const trialode::WeightLayout layout(h);
  for (Eigen::Index k = h / 2; k < h; ++k) {
    weights[layout.w_index(0, k)] = weights[layout.w_index(0, k - h / 2)];
    weights[layout.u_index(0, k)] = weights[layout.u_index(0, k - h / 2)];
    weights[layout.v_index(0, k)] = 1.0 + static_cast<double>(k);
  }
  trialode::SolveOptions<double> options = random_features();
  options.hidden_units = h;
  options.initial_weights = weights;
  const auto repeated = trialode_test::solve(decay_problem<double>(), options);
  CHECK(repeated.report.status == MinimizerStatus::converged_linear);
  CHECK(repeated.features.rank <= h - h / 2);
  CHECK(repeated.network().w() == weights.segment(h, h));  // the hidden layer stays as given
  CHECK(decay_error(repeated) < 1e-6);

  // Every unit saturated at 0 (w = 0, u = -1000): no usable column, nothing fitted, an honest status.
  for (Eigen::Index k = 0; k < h; ++k) {
    weights[layout.w_index(0, k)] = 0.0;
    weights[layout.u_index(0, k)] = -1000.0 - static_cast<double>(k);
  }
  options.initial_weights = weights;
  const auto dead = trialode_test::solve(decay_problem<double>(), options);
  CHECK(dead.report.status == MinimizerStatus::rank_deficient);
  CHECK_FALSE(dead.converged());
  CHECK(dead.features.rank == 0);
  CHECK(dead.network().parameters().allFinite());
}

TEST_CASE("random features: a kept factorization serves the same matrix to rounding, and no other",
          "[methods][random_features]") {
  using Matrix = Eigen::MatrixXd;
  const Matrix phi = Matrix::Random(52, 26);
  Eigen::VectorXd rhs = Eigen::VectorXd::Random(52);
  trialode::detail::FeatureFactorization<double> kept;
  CHECK_FALSE(kept.prepare(phi, 0.0));  // nothing kept yet: factored
  trialode::detail::PivotedQr<double> fresh(52, 26);
  fresh.factor(phi);
  Eigen::VectorXd b = rhs;
  Eigen::VectorXd b_kept = rhs;
  Eigen::VectorXd x(26);
  Eigen::VectorXd x_kept(26);
  fresh.solve(b, x);
  kept.qr().solve(b_kept, x_kept);
  CHECK(x_kept == x);  // the same factorization
  CHECK(kept.prepare(phi, 0.0));
  CHECK(kept.prepare(phi * (1.0 + 2.0 * std::numeric_limits<double>::epsilon()), 0.0));  // a rounding apart
  CHECK_FALSE(kept.prepare(phi, 1e-10));  // another rank tolerance: factored again
  CHECK(kept.prepare(phi, 1e-10));
  const Matrix near = phi * (1.0 + 1e-13);
  CHECK_FALSE(kept.prepare(near, 1e-10));  // a different matrix, though close: factored and kept
  CHECK(kept.prepare(near, 1e-10));
  CHECK_FALSE(kept.prepare(phi, 1e-10));
  Matrix wider = Matrix::Random(52, 27);
  wider.leftCols(26) = phi;
  CHECK_FALSE(kept.prepare(wider, 1e-10));  // another shape
  CHECK(kept.qr().rank() == 27);
  Matrix broken = wider;
  broken(3, 4) = std::numeric_limits<double>::quiet_NaN();
  CHECK_FALSE(kept.prepare(broken, 1e-10));
  CHECK_FALSE(kept.prepare(wider, 1e-10));  // the NaN matrix was factored and kept in its place
  const Matrix huge = Matrix::Constant(52, 27, 1e308);  // finite entries whose norm overflows: never a match
  CHECK_FALSE(kept.prepare(huge, 1e-10));
  CHECK_FALSE(kept.prepare(huge, 1e-10));
  // Entries whose squares underflow still count: two different tiny matrices are not the same.
  const Matrix tiny = wider * 1e-300;
  CHECK_FALSE(kept.prepare(tiny, 1e-10));
  CHECK(kept.prepare(tiny, 1e-10));
  CHECK_FALSE(kept.prepare(Matrix(Matrix::Random(52, 27) * 1e-300), 1e-10));
}

TEST_CASE("random features: a non-finite f gives an honest status and finite weights", "[methods][random_features]") {
  const trialode_test::FunctionProblem nan_everywhere{[](double, double) { return std::nan(""); },
                                                      [](double, double) { return -1.0; }, 0.0, 1.0, 1.0};
  const auto none = trialode_test::solve(nan_everywhere, random_features());
  CHECK(none.report.status == MinimizerStatus::non_finite);
  CHECK(none.network().parameters().allFinite());
  // NaN once y leaves (0.3, 2): the least-squares step lands there, Gauss-Newton backs off.
  const trialode_test::FunctionProblem fenced{[](double, double y) { return y > 0.3 && y < 2.0 ? -y : std::nan(""); },
                                              [](double, double) { return -1.0; }, 0.0, 1.0, 1.0};
  const auto fenced_solution = trialode_test::solve(fenced, random_features());
  CHECK(fenced_solution.network().parameters().allFinite());
  CHECK(std::isfinite(fenced_solution.report.f));
}

TEST_CASE("random features call the callback after every accepted step and stop when it says so",
          "[methods][random_features]") {
  int calls = 0;
  trialode::SolveOptions<double> options = random_features();
  options.callback = [&calls](const trialode::IterationInfo<double>& info) {
    ++calls;
    CHECK(info.iteration == calls);
    return calls < 2;
  };
  const auto stopped = trialode_test::solve(inverse_decay(), options);
  CHECK(calls == 2);
  CHECK(stopped.report.status == MinimizerStatus::stopped_by_callback);
  CHECK(stopped.report.iterations == 2);
}

TEST_CASE("random features' parameters are checked before any work", "[methods][random_features][solve]") {
  int calls = 0;
  const trialode_test::FunctionProblem counted{[&calls](double, double y) {
                                                 ++calls;
                                                 return -y;
                                               },
                                               [](double, double) { return -1.0; }, 0.0, 1.0, 1.0};
  const auto rejects = [&counted](auto change, const char* field) {
    trialode::SolveOptions<double> options = random_features();
    change(options.random_features);
    CHECK_THROWS_WITH(trialode_test::solve(counted, options), Catch::Contains(field));
  };
  using Parameters = trialode::RandomFeaturesParameters<double>;
  rejects([](Parameters& p) { p.slope_min = 0.0; }, "slope_min");
  rejects([](Parameters& p) { p.slope_min = std::nan(""); }, "slope_min");
  rejects([](Parameters& p) { p.slope_max = 0.5; }, "slope_max");
  rejects([](Parameters& p) { p.slope_max = std::numeric_limits<double>::infinity(); }, "slope_max");
  rejects([](Parameters& p) { p.bias_range = -1.0; }, "bias_range");
  rejects([](Parameters& p) { p.bias_range = std::nan(""); }, "bias_range");
  rejects([](Parameters& p) { p.linearity = static_cast<trialode::Linearity>(9); }, "linearity");
  rejects([](Parameters& p) { p.rank_tolerance = 1.0; }, "rank_tolerance");
  rejects([](Parameters& p) { p.max_iterations = 0; }, "max_iterations");
  rejects([](Parameters& p) { p.stagnation = -0.5; }, "stagnation");
  rejects([](Parameters& p) { p.patience = 0; }, "patience");
  rejects([](Parameters& p) { p.initial_damping = 0.0; }, "initial_damping");
  CHECK(calls == 0);
  CHECK(std::string(trialode::to_string(Method::random_features)) == "random_features");
  CHECK(std::string(trialode::to_string(MinimizerStatus::converged_linear)) == "converged_linear");
  CHECK(std::string(trialode::to_string(MinimizerStatus::rank_deficient)) == "rank_deficient");
}

TEST_CASE("random features in float", "[methods][random_features][float]") {
  trialode::SolveOptions<float> options;
  options.method = Method::random_features;
  const auto solution = trialode_test::solve(decay_problem<float>(), options);
  CHECK(solution.converged());
  CHECK(decay_error(solution) < 1e-4);
}

TEST_CASE("the other methods may start from the random-features fit", "[methods][random_features][levenberg_marquardt]") {
  trialode::SolveOptions<double> options;
  options.method = Method::levenberg_marquardt;
  options.start = trialode::Start::random_features;
  options.hidden_units = 16;
  options.points = 48;
  options.rule = trialode::CollocationRule::chebyshev_lobatto;
  const auto polished = trialode_test::solve(decay_problem<double>(), options);
  CAPTURE(polished.report.message);
  CHECK(polished.features.columns == 16);  // the first stage's feature matrix
  CHECK(polished.features.rank >= 1);
  CHECK(polished.report.evaluations >= 2);  // both stages counted
  CHECK(decay_error(polished) < 1e-7);
  // With 20 units the random-features fit is at rounding level, and polishing finds nothing lower: the first
  // stage's verdict stands (it was reported stalled).
  options.hidden_units = 20;
  const auto at_rounding = trialode_test::solve(decay_problem<double>(), options);
  CAPTURE(trialode::to_string(at_rounding.report.status), at_rounding.report.message);
  CHECK(at_rounding.converged());
  CHECK(decay_error(at_rounding) < 1e-10);
  options.hidden_units = 16;
  options.start = trialode::Start::seeded;
  const auto seeded = trialode_test::solve(decay_problem<double>(), options);
  CHECK(seeded.features.columns == 0);
  CHECK(decay_error(polished) < decay_error(seeded));  // 3e-10 against 2e-7 (seed 1)
  options.start = static_cast<trialode::Start>(5);
  CHECK_THROWS_WITH(trialode_test::solve(decay_problem<double>(), options), Catch::Contains("start"));
  CHECK(std::string(trialode::to_string(trialode::Start::random_features)) == "random_features");
}

TEST_CASE("random features: linearity seen at a few values of y is checked by the cost after the solve",
          "[methods][random_features]") {
  // f(t, y) = y cos(2 pi y) is 0, 1, 2 at y = 0, 1, 2: the test of linearity passes, f is not linear.
  const trialode_test::FunctionProblem wavy{[](double, double y) { return y * std::cos(2 * 3.141592653589793 * y); },
                                            [](double, double y) {
                                              const double a = 2 * 3.141592653589793;
                                              return std::cos(a * y) - a * y * std::sin(a * y);
                                            },
                                            0.0, 1.0, 1.0};
  const auto solution = trialode_test::solve(wavy, random_features());
  CAPTURE(solution.report.message);
  CHECK(solution.report.status != MinimizerStatus::converged_linear);
  CHECK(solution.report.evaluations > 2);
  CHECK(solution.max_residual_check < 1e-6);
  // A declared linearity off by 1e-8 y^2 is caught as well.
  const trialode_test::FunctionProblem almost{[](double, double y) { return -y + 1e-8 * y * y; },
                                              [](double, double y) { return -1.0 + 2e-8 * y; }, 0.0, 5.0, 1.0};
  trialode::SolveOptions<double> declared = random_features();
  declared.random_features.linearity = trialode::Linearity::linear;
  const auto caught = trialode_test::solve(almost, declared);
  CHECK(caught.report.status != MinimizerStatus::converged_linear);
  CHECK(caught.max_residual_check < 1e-10);
}

TEST_CASE("random features: a fit that stops falling away from a minimum is a stall, not convergence",
          "[methods][random_features]") {
  // y' = -y^3 from y(0) = 100 on [0, 5]: far beyond what Gauss-Newton from v = 0 reaches with these units.
  const trialode_test::FunctionProblem cubic{[](double, double y) { return -y * y * y; },
                                             [](double, double y) { return -3 * y * y; }, 0.0, 5.0, 100.0};
  const auto solution = trialode_test::solve(cubic, random_features());
  CAPTURE(trialode::to_string(solution.report.status), solution.max_residual_check);
  CHECK(solution.max_residual_check > 1e3);  // far from a solution
  CHECK(solution.report.status == MinimizerStatus::stalled);
  CHECK_FALSE(solution.converged());
  CHECK(std::string(trialode::to_string(MinimizerStatus::stalled)) == "stalled");
  CHECK(solution.network().parameters().allFinite());
}

TEST_CASE("a solution evaluated on an array agrees with point-by-point evaluation, NaN and infinities included",
          "[solve][random_features]") {
  const auto solution = trialode_test::solve(decay_problem<double>(), random_features());
  Eigen::ArrayXd t = Eigen::ArrayXd::LinSpaced(64, 0.0, 5.0);
  t[16] = std::nan("");
  t[48] = std::numeric_limits<double>::infinity();
  const Eigen::ArrayXd y = solution.value(t);
  for (Eigen::Index i = 0; i < t.size(); ++i) {
    CAPTURE(i, t[i]);
    if (std::isfinite(t[i])) {
      CHECK(y[i] == Approx(solution(t[i])).epsilon(1e-12).margin(1e-15));
    } else {
      CHECK(std::isnan(y[i]) == std::isnan(solution(t[i])));
    }
  }
  // A two-dimensional array is evaluated entry by entry, as before.
  const Eigen::ArrayXXd grid = Eigen::ArrayXXd::Constant(2, 3, 1.0);
  CHECK(solution.value(grid).size() == 6);
}
