// SPDX-License-Identifier: MIT
// Tests of the L-BFGS minimizer on problems with known minima (Rosenbrock, an ill-conditioned quadratic),
// on its limits, on non-finite objectives, its callback, and the validation of its parameters.
#include <catch2/catch.hpp>

#include <trialode/minimizers/lbfgs.hpp>

#include <Eigen/QR>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

namespace {

using trialode::Lbfgs;
using trialode::LbfgsParameters;
using trialode::MinimizerStatus;

template <typename Scalar>
using VectorX = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;

/// Every objective of the dynamic-size tests, type-erased and always passed as a non-const lvalue: they share
/// one instantiation of minimize() per scalar type rather than compiling one per objective.
template <typename Scalar>
using Objective = std::function<Scalar(const VectorX<Scalar>&, VectorX<Scalar>&)>;

/// Extended Rosenbrock function, the sum over pairs of \f$100 (x_{2i+1} - x_{2i}^2)^2 + (1 - x_{2i})^2\f$;
/// its minimum is 0 at (1, ..., 1). With two entries it is the classic banana.
struct ExtendedRosenbrock {
  template <typename Vector>
  typename Vector::Scalar operator()(const Vector& x, Vector& g) const {
    using Scalar = typename Vector::Scalar;
    Scalar f(0);
    for (Eigen::Index i = 0; i + 1 < x.size(); i += 2) {
      const Scalar a = x[i + 1] - x[i] * x[i];
      const Scalar b = Scalar(1) - x[i];
      f += Scalar(100) * a * a + b * b;
      g[i] = Scalar(-400) * x[i] * a - Scalar(2) * b;
      g[i + 1] = Scalar(200) * a;
    }
    return f;
  }
};

/// The usual start (-1.2, 1, -1.2, 1, ...).
template <typename Vector>
Vector rosenbrock_start(Eigen::Index n) {
  Vector x(n);
  for (Eigen::Index i = 0; i < n; ++i) x[i] = i % 2 == 0 ? typename Vector::Scalar(-1.2) : typename Vector::Scalar(1);
  return x;
}

/// Distance to the minimizer that a converged run must reach, per type.
template <typename Scalar>
Scalar point_tolerance() {
  return std::is_same<Scalar, float>::value ? Scalar(1e-2) : Scalar(1e-6);
}

/// Evaluation bound for the type: the measured count plus about 25%.
template <typename Scalar>
int evaluation_bound(int float_bound, int double_bound) {
  return std::is_same<Scalar, float>::value ? float_bound : double_bound;
}

/// A uniform number in [-1, 1] from the raw output of mt19937, which is the same on every platform
/// (the standard distributions are not).
double uniform(std::mt19937& generator) { return 2.0 * double(generator()) / 4294967295.0 - 1.0; }

/// \f$f(x) = \frac{1}{2} (x - c)^T A (x - c)\f$ with \f$A = Q \Lambda Q^T\f$, \f$Q\f$ a random
/// rotation and \f$\Lambda\f$ log-spaced from 1 to `condition`.
template <typename Scalar>
struct RotatedQuadratic {
  Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic> a;
  VectorX<Scalar> center;

  RotatedQuadratic(int n, double condition, std::uint32_t seed) {
    std::mt19937 generator(seed);
    Eigen::MatrixXd random(n, n);
    for (Eigen::Index i = 0; i < random.size(); ++i) random.data()[i] = uniform(generator);
    const Eigen::MatrixXd q = Eigen::HouseholderQR<Eigen::MatrixXd>(random).householderQ();
    Eigen::VectorXd eigenvalues(n);
    for (int i = 0; i < n; ++i) eigenvalues[i] = std::pow(condition, double(i) / double(n - 1));
    a = (q * eigenvalues.asDiagonal() * q.transpose()).cast<Scalar>();
    center.resize(n);
    for (int i = 0; i < n; ++i) center[i] = Scalar(uniform(generator));
  }

  Scalar operator()(const VectorX<Scalar>& x, VectorX<Scalar>& g) const {
    g.noalias() = a * (x - center);
    return Scalar(0.5) * (x - center).dot(g);
  }
};

/// The objective at x, to compare with what a report says about the returned point.
template <typename Objective, typename Vector>
typename Vector::Scalar value_at(const Objective& objective, const Vector& x) {
  Vector g(x.size());
  return objective(x, g);
}

}  // namespace

TEMPLATE_TEST_CASE("L-BFGS minimizes the 2-D Rosenbrock function", "[minimizers][lbfgs]", float, double, long double) {
  using Vector = VectorX<TestType>;
  Lbfgs<TestType> lbfgs;
  Vector x = rosenbrock_start<Vector>(2);
  Objective<TestType> rosenbrock = ExtendedRosenbrock{};
  const auto report = lbfgs.minimize(rosenbrock, x);
  INFO(report.message);
  CHECK(report.status == MinimizerStatus::converged_relative_gradient);
  CHECK((x - Vector::Ones(2)).norm() <= point_tolerance<TestType>());
  CHECK(report.f == value_at(ExtendedRosenbrock{}, x));
  CHECK(report.initial_f == Approx(24.2));
  // Measured: 40 evaluations (34 iterations) in float, 46 (38) in double, 47 (39) in long double.
  CHECK(report.evaluations <= evaluation_bound<TestType>(50, 58));
  CHECK(report.iterations <= report.evaluations);
  CHECK(report.restarts == 0);
}

TEMPLATE_TEST_CASE("L-BFGS minimizes the 100-D extended Rosenbrock function", "[minimizers][lbfgs]", float, double) {
  using Vector = VectorX<TestType>;
  Lbfgs<TestType> lbfgs;
  Vector x = rosenbrock_start<Vector>(100);
  Objective<TestType> rosenbrock = ExtendedRosenbrock{};
  const auto report = lbfgs.minimize(rosenbrock, x);
  INFO(report.message);
  CHECK(report.status == MinimizerStatus::converged_relative_gradient);
  CHECK((x - Vector::Ones(100)).norm() <= point_tolerance<TestType>());
  CHECK(report.f == value_at(ExtendedRosenbrock{}, x));
  // Measured: 45 evaluations (34 iterations) in float, 49 (37) in double.
  CHECK(report.evaluations <= evaluation_bound<TestType>(56, 62));
}

TEMPLATE_TEST_CASE("L-BFGS minimizes a rotated quadratic of condition number 1e4", "[minimizers][lbfgs]", float, double) {
  const std::uint32_t seed = 12345;
  CAPTURE(seed);
  const RotatedQuadratic<TestType> quadratic(50, 1e4, seed);
  Lbfgs<TestType> lbfgs;
  VectorX<TestType> x = VectorX<TestType>::Zero(50);
  Objective<TestType> objective = quadratic;
  const auto report = lbfgs.minimize(objective, x);
  INFO(report.message);
  CHECK(report.status == MinimizerStatus::converged_relative_gradient);
  // In float the gradient itself is only accurate to about eps * 1e4, so the point is too.
  const TestType tolerance = std::is_same<TestType, float>::value ? TestType(5e-2) : TestType(1e-6);
  CHECK((x - quadratic.center).norm() <= tolerance * quadratic.center.norm());
  CHECK(report.f == value_at(quadratic, x));
  // Measured: 228 evaluations (214 iterations) in float, 873 (825) in double.
  CHECK(report.evaluations <= evaluation_bound<TestType>(285, 1090));
}

TEST_CASE("L-BFGS copes with a badly scaled objective", "[minimizers][lbfgs]") {
  // f = x0^4 + x1^4 from (1e10, -3e9): the gradient is about 4e30, so the first step 1/|g| is 2.5e-31.
  Objective<double> quartic = [](const VectorX<double>& x, VectorX<double>& g) {
    g = 4.0 * x.array().cube();
    return x.array().square().square().sum();
  };
  Lbfgs<double> lbfgs;
  VectorX<double> x(2);
  x << 1e10, -3e9;
  const auto report = lbfgs.minimize(quartic, x);
  INFO(report.message);
  CHECK(report.converged());
  CHECK(report.f < 1e-10 * report.initial_f);
}

TEST_CASE("L-BFGS stops on the relative decrease of f", "[minimizers][lbfgs]") {
  LbfgsParameters<double> parameters;
  parameters.relative_gradient_tolerance = 0;
  parameters.past = 3;
  parameters.decrease_tolerance = 1e-8;
  Lbfgs<double> lbfgs(parameters);
  VectorX<double> x = rosenbrock_start<VectorX<double>>(2);
  // f + 1 has its minimum 1 at (1, 1), so the relative decrease goes to zero there.
  Objective<double> shifted = [](const VectorX<double>& point, VectorX<double>& g) {
    return ExtendedRosenbrock{}(point, g) + 1.0;
  };
  const auto report = lbfgs.minimize(shifted, x);
  INFO(report.message);
  CHECK(report.status == MinimizerStatus::converged_decrease);
  CHECK(report.converged());
  CHECK((x - VectorX<double>::Ones(2)).norm() <= 1e-3);
}

TEST_CASE("L-BFGS refuses a memory that would take more than 1 GiB, before allocating it", "[minimizers][lbfgs]") {
  LbfgsParameters<double> parameters;
  parameters.memory = std::numeric_limits<int>::max();
  Lbfgs<double> lbfgs(parameters);
  Objective<double> quadratic = [](const VectorX<double>& x, VectorX<double>& g) {
    g = 2.0 * x;
    return x.squaredNorm();
  };
  VectorX<double> x = VectorX<double>::Ones(30);
  CHECK_THROWS_WITH(lbfgs.minimize(quadratic, x), Catch::Contains("memory") && Catch::Contains("1 GiB"));
}

TEST_CASE("L-BFGS calls a decrease test met on a plateau a stall, not convergence", "[minimizers][lbfgs]") {
  // f = 1 + 1e-9 (x^4 + x^2) from x = 0.7: the first step (to x = -0.3) lowers f by about 1e-9 of itself,
  // which passes a decrease test of 1/2 over one iteration, but f has not fallen below its start by more than
  // sqrt(eps) of it: a plateau, not a minimum (x is still away from 0, the gradient not small).
  LbfgsParameters<double> parameters;
  parameters.past = 1;
  parameters.decrease_tolerance = 0.5;
  Lbfgs<double> lbfgs(parameters);
  Objective<double> plateau = [](const VectorX<double>& x, VectorX<double>& g) {
    g = 1e-9 * (4.0 * x.array().cube() + 2.0 * x.array());
    return 1.0 + 1e-9 * (x.array().square().square() + x.array().square()).sum();
  };
  VectorX<double> x = VectorX<double>::Constant(1, 0.7);
  const auto report = lbfgs.minimize(plateau, x);
  INFO(report.message);
  CHECK(report.status == MinimizerStatus::stalled);
  CHECK_FALSE(report.converged());
  // A real decrease still converges by the same test.
  Objective<double> steep = [](const VectorX<double>& point, VectorX<double>& g) {
    g = 4.0 * point.array().cube() + 2.0 * point.array();
    return 1.0 + (point.array().square().square() + point.array().square()).sum();
  };
  x = VectorX<double>::Constant(1, 0.7);
  const auto falling = lbfgs.minimize(steep, x);
  INFO(falling.message);
  CHECK(falling.converged());
}

TEMPLATE_TEST_CASE("L-BFGS stops at the iteration limit", "[minimizers][lbfgs]", float, double) {
  LbfgsParameters<TestType> parameters;
  parameters.max_iterations = 5;
  Lbfgs<TestType> lbfgs(parameters);
  VectorX<TestType> x = rosenbrock_start<VectorX<TestType>>(2);
  Objective<TestType> rosenbrock = ExtendedRosenbrock{};
  const auto report = lbfgs.minimize(rosenbrock, x);
  CHECK(report.status == MinimizerStatus::iteration_limit);
  CHECK(report.iterations == 5);
  CHECK_FALSE(report.converged());
  CHECK(report.f < report.initial_f);
  CHECK(report.f == value_at(ExtendedRosenbrock{}, x));
  CHECK_THAT(report.message, Catch::Contains("iteration limit"));
}

TEMPLATE_TEST_CASE("L-BFGS never exceeds the evaluation limit", "[minimizers][lbfgs]", float, double) {
  for (int limit : {1, 2, 3, 4, 7, 10, 17, 25}) {
    CAPTURE(limit);
    LbfgsParameters<TestType> parameters;
    parameters.max_evaluations = limit;
    Lbfgs<TestType> lbfgs(parameters);
    VectorX<TestType> x = rosenbrock_start<VectorX<TestType>>(2);
    int calls = 0;
    Objective<TestType> counted = [&calls](const VectorX<TestType>& point, VectorX<TestType>& g) {
      ++calls;
      return ExtendedRosenbrock{}(point, g);
    };
    const auto report = lbfgs.minimize(counted, x);
    CHECK(report.status == MinimizerStatus::evaluation_limit);
    CHECK(report.evaluations == calls);
    CHECK(report.evaluations <= limit);
    CHECK(report.f <= report.initial_f);
    CHECK(report.f == value_at(ExtendedRosenbrock{}, x));
  }
}

TEMPLATE_TEST_CASE("L-BFGS reports a non-finite start and leaves x alone", "[minimizers][lbfgs]", float, double) {
  using Vector = VectorX<TestType>;
  const Vector start = Vector::Constant(3, TestType(0.5));
  Lbfgs<TestType> lbfgs;

  SECTION("NaN value") {
    Vector x = start;
    Objective<TestType> nan_value = [](const Vector& point, Vector& g) {
      g = point;
      return std::numeric_limits<TestType>::quiet_NaN();
    };
    const auto report = lbfgs.minimize(nan_value, x);
    CHECK(report.status == MinimizerStatus::non_finite);
    CHECK(report.evaluations == 1);
    CHECK(report.iterations == 0);
    CHECK(x == start);
  }
  SECTION("infinite gradient") {
    Vector x = start;
    Objective<TestType> infinite_gradient = [](const Vector& point, Vector& g) {
      g = point;
      g[1] = std::numeric_limits<TestType>::infinity();
      return point.squaredNorm();
    };
    const auto report = lbfgs.minimize(infinite_gradient, x);
    CHECK(report.status == MinimizerStatus::non_finite);
    CHECK(x == start);
  }
}

TEMPLATE_TEST_CASE("L-BFGS steps back from a region where f is NaN", "[minimizers][lbfgs]", float, double) {
  using Vector = VectorX<TestType>;
  // f = (x0 - 1.5)^2 + 10 (x1 - 0.5)^2, NaN for x0 > 2. From (1.2, 0.5) the first trial moves x by a unit
  // length along -g, to x0 = 2.2.
  int nan_calls = 0;
  Objective<TestType> objective = [&nan_calls](const Vector& x, Vector& g) {
    if (x[0] > TestType(2)) {
      ++nan_calls;
      g.setConstant(std::numeric_limits<TestType>::quiet_NaN());
      return std::numeric_limits<TestType>::quiet_NaN();
    }
    g[0] = TestType(2) * (x[0] - TestType(1.5));
    g[1] = TestType(20) * (x[1] - TestType(0.5));
    return (x[0] - TestType(1.5)) * (x[0] - TestType(1.5)) + TestType(10) * (x[1] - TestType(0.5)) * (x[1] - TestType(0.5));
  };
  Lbfgs<TestType> lbfgs;
  Vector x(2);
  x << TestType(1.2), TestType(0.5);
  const auto report = lbfgs.minimize(objective, x);
  INFO(report.message);
  CHECK(nan_calls > 0);
  CHECK(report.converged());
  CHECK(x.allFinite());
  CHECK(std::isfinite(report.f));
  CHECK(x[0] == Approx(1.5).epsilon(point_tolerance<TestType>()));
  CHECK(x[1] == Approx(0.5).epsilon(point_tolerance<TestType>()));
}

TEMPLATE_TEST_CASE("L-BFGS returns the best finite point when the minimum lies beyond a NaN region", "[minimizers][lbfgs]",
                   float, double) {
  using Vector = VectorX<TestType>;
  // f = (x0 - 3)^2 + x1^2 is NaN for x0 > 2: the infimum over the finite region is on its border.
  Objective<TestType> objective = [](const Vector& x, Vector& g) {
    if (x[0] > TestType(2)) {
      g.setConstant(std::numeric_limits<TestType>::quiet_NaN());
      return std::numeric_limits<TestType>::quiet_NaN();
    }
    g[0] = TestType(2) * (x[0] - TestType(3));
    g[1] = TestType(2) * x[1];
    return (x[0] - TestType(3)) * (x[0] - TestType(3)) + x[1] * x[1];
  };
  Lbfgs<TestType> lbfgs;
  Vector x(2);
  x << TestType(0), TestType(0.5);
  const auto report = lbfgs.minimize(objective, x);
  INFO(report.message);
  CHECK(report.status == MinimizerStatus::non_finite);
  CHECK(x.allFinite());
  CHECK(std::isfinite(report.f));
  CHECK(std::isfinite(report.gradient_norm));
  CHECK(report.f == value_at(objective, x));
  CHECK(report.f < report.initial_f);
  CHECK(x[0] <= TestType(2));
  CHECK(x[0] > TestType(1.9));
}

TEST_CASE("L-BFGS calls the callback after every iteration and stops when it says so", "[minimizers][lbfgs]") {
  using Vector = VectorX<double>;
  Lbfgs<double> lbfgs;
  Objective<double> rosenbrock = ExtendedRosenbrock{};

  SECTION("called once per iteration") {
    Vector x = rosenbrock_start<Vector>(2);
    int calls = 0;
    bool in_order = true;
    const auto report = lbfgs.minimize(rosenbrock, x, [&](const trialode::IterationInfo<double>& info) {
      ++calls;
      in_order = in_order && info.iteration == calls && info.step > 0 && std::isfinite(info.f);
      return true;
    });
    CHECK(report.converged());
    CHECK(calls == report.iterations);
    CHECK(in_order);
  }
  SECTION("returning false at iteration 3 stops there") {
    Vector x = rosenbrock_start<Vector>(2);
    int last_evaluations = 0;
    const auto report = lbfgs.minimize(rosenbrock, x, [&](const trialode::IterationInfo<double>& info) {
      last_evaluations = info.evaluations;
      return info.iteration < 3;
    });
    CHECK(report.status == MinimizerStatus::stopped_by_callback);
    CHECK(report.iterations == 3);
    CHECK(report.evaluations == last_evaluations);
    CHECK(report.f == value_at(ExtendedRosenbrock{}, x));
  }
}

TEST_CASE("Repeated minimizations with one Lbfgs object give the same result", "[minimizers][lbfgs]") {
  using Vector = VectorX<double>;
  Lbfgs<double> lbfgs;
  Vector first = rosenbrock_start<Vector>(10);
  Vector second = first;
  Objective<double> rosenbrock = ExtendedRosenbrock{};
  const auto report_first = lbfgs.minimize(rosenbrock, first);
  Vector other = rosenbrock_start<Vector>(4);
  lbfgs.minimize(rosenbrock, other);
  const auto report_second = lbfgs.minimize(rosenbrock, second);
  CHECK(report_first.evaluations == report_second.evaluations);
  CHECK(report_first.f == report_second.f);
  CHECK(first == second);
}

TEMPLATE_TEST_CASE("Fixed-size L-BFGS agrees with the dynamic one", "[minimizers][lbfgs]", float, double) {
  Lbfgs<TestType, 2> fixed;
  Lbfgs<TestType> dynamic;
  Eigen::Matrix<TestType, 2, 1> x_fixed(TestType(-1.2), TestType(1));
  VectorX<TestType> x_dynamic = rosenbrock_start<VectorX<TestType>>(2);
  Objective<TestType> rosenbrock = ExtendedRosenbrock{};
  const auto report_fixed = fixed.minimize(ExtendedRosenbrock{}, x_fixed);
  const auto report_dynamic = dynamic.minimize(rosenbrock, x_dynamic);
  CHECK(report_fixed.status == report_dynamic.status);
  CHECK(report_fixed.iterations == report_dynamic.iterations);
  CHECK(report_fixed.evaluations == report_dynamic.evaluations);
  const TestType margin = 10 * std::numeric_limits<TestType>::epsilon();
  CHECK(x_fixed[0] == Approx(x_dynamic[0]).margin(margin));
  CHECK(x_fixed[1] == Approx(x_dynamic[1]).margin(margin));
}

TEST_CASE("Invalid L-BFGS parameters throw std::invalid_argument naming the field", "[minimizers][lbfgs]") {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  const auto check_rejected = [](const LbfgsParameters<double>& parameters, const std::string& field) {
    CAPTURE(field);
    std::string what;
    try {
      Lbfgs<double> lbfgs(parameters);
    } catch (const std::invalid_argument& error) {
      what = error.what();
    }
    CHECK_THAT(what, Catch::Contains(field));
  };
  CHECK_NOTHROW(LbfgsParameters<double>{}.check());
  using Change = void (*)(LbfgsParameters<double>&);
  const std::pair<Change, const char*> cases[] = {
      {[](LbfgsParameters<double>& p) { p.memory = 0; }, "memory"},
      {[](LbfgsParameters<double>& p) { p.gradient_tolerance = -1; }, "gradient_tolerance"},
      {[](LbfgsParameters<double>& p) { p.relative_gradient_tolerance = nan; }, "relative_gradient_tolerance"},
      // At 1 the test would hold at the start, before any step.
      {[](LbfgsParameters<double>& p) { p.relative_gradient_tolerance = 1; }, "relative_gradient_tolerance"},
      {[](LbfgsParameters<double>& p) { p.past = -1; }, "past"},
      {[](LbfgsParameters<double>& p) { p.decrease_tolerance = -1e-3; }, "decrease_tolerance"},
      {[](LbfgsParameters<double>& p) { p.max_iterations = 0; }, "max_iterations"},
      {[](LbfgsParameters<double>& p) { p.max_evaluations = 0; }, "max_evaluations"},
      {[](LbfgsParameters<double>& p) { p.curvature_pair_tolerance = nan; }, "curvature_pair_tolerance"},
      {[](LbfgsParameters<double>& p) { p.line_search.sufficient_decrease = 0; }, "sufficient_decrease"},
      {[](LbfgsParameters<double>& p) { p.line_search.curvature = 1e-5; }, "curvature"},
      {[](LbfgsParameters<double>& p) { p.line_search.curvature = 1; }, "curvature"},
      {[](LbfgsParameters<double>& p) { p.line_search.max_evaluations = 0; }, "max_evaluations"},
      {[](LbfgsParameters<double>& p) { p.line_search.min_step = -1; }, "min_step"},
      {[](LbfgsParameters<double>& p) { p.line_search.max_step = 0; }, "max_step"},
      {[](LbfgsParameters<double>& p) { p.line_search.interval_tolerance = nan; }, "interval_tolerance"},
  };
  for (const auto& [change, field] : cases) {
    LbfgsParameters<double> parameters;
    change(parameters);
    check_rejected(parameters, field);
  }
  CHECK_THROWS_AS(Lbfgs<float>([] {
                    LbfgsParameters<float> q;
                    q.memory = -3;
                    return q;
                  }()),
                  std::invalid_argument);
}
