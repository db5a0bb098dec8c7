// SPDX-License-Identifier: MIT
// Tests of the Levenberg-Marquardt minimizer on standard least-squares problems with known minima, on its
// limits, non-finite residuals and callback, and on the validation of its parameters.
#include <catch2/catch.hpp>

#include <trialode/minimizers/levenberg_marquardt.hpp>

#include <cmath>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace {

using trialode::LevenbergMarquardt;
using trialode::LevenbergMarquardtParameters;
using trialode::MinimizerStatus;

template <typename Scalar>
using VectorX = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
template <typename Scalar>
using MatrixX = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;

/// Every objective of the dynamic-size tests, type-erased and always passed as a non-const lvalue: they share
/// one instantiation of minimize() per scalar type rather than compiling one per objective.
template <typename Scalar>
using Objective = std::function<void(const VectorX<Scalar>&, VectorX<Scalar>&, MatrixX<Scalar>&)>;

/// Rosenbrock's function as least squares, \f$r = (10 (x_2 - x_1^2),\; 1 - x_1)\f$: \f$\|r\|^2\f$ is
/// the banana, minimum 0 at (1, 1) (More, Garbow & Hillstrom 1981, problem 1).
struct Rosenbrock {
  template <typename Vector, typename Residuals, typename Jacobian>
  void operator()(const Vector& x, Residuals& r, Jacobian& j) const {
    using Scalar = typename Vector::Scalar;
    r.resize(2);
    j.resize(2, 2);
    r << Scalar(10) * (x[1] - x[0] * x[0]), Scalar(1) - x[0];
    j << Scalar(-20) * x[0], Scalar(10), Scalar(-1), Scalar(0);
  }
};

/// Powell's singular function (More, Garbow & Hillstrom 1981, problem 13): four residuals in four
/// variables, minimum 0 at the origin, where the Jacobian is singular, so convergence is only linear.
struct PowellSingular {
  template <typename Vector, typename Residuals, typename Jacobian>
  void operator()(const Vector& x, Residuals& r, Jacobian& j) const {
    using Scalar = typename Vector::Scalar;
    using std::sqrt;
    const Scalar s5 = sqrt(Scalar(5));
    const Scalar s10 = sqrt(Scalar(10));
    const Scalar a = x[1] - Scalar(2) * x[2];
    const Scalar b = x[0] - x[3];
    r.resize(4);
    j.resize(4, 4);
    r << x[0] + Scalar(10) * x[1], s5 * (x[2] - x[3]), a * a, s10 * b * b;
    j << Scalar(1), Scalar(10), Scalar(0), Scalar(0),  //
        Scalar(0), Scalar(0), s5, -s5,                 //
        Scalar(0), Scalar(2) * a, Scalar(-4) * a, Scalar(0),  //
        Scalar(2) * s10 * b, Scalar(0), Scalar(0), Scalar(-2) * s10 * b;
  }
};

/// Fits \f$y = a e^{-b t} + c\f$ to data made from \f$(a, b, c) = (2.5, 1.3, 0.5)\f$ at 20 points of
/// [0, 4]: a zero-residual problem whose minimum is known exactly.
template <typename Scalar>
struct ExponentialFit {
  VectorX<Scalar> t, y;
  ExponentialFit() : t(20), y(20) {
    for (int i = 0; i < 20; ++i) {
      t[i] = Scalar(0.2) * Scalar(i);
      y[i] = Scalar(2.5) * std::exp(Scalar(-1.3) * t[i]) + Scalar(0.5);
    }
  }
  template <typename Vector, typename Residuals, typename Jacobian>
  void operator()(const Vector& x, Residuals& r, Jacobian& j) const {
    r.resize(t.size());
    j.resize(t.size(), 3);
    for (Eigen::Index i = 0; i < t.size(); ++i) {
      const Scalar e = std::exp(-x[1] * t[i]);
      r[i] = x[0] * e + x[2] - y[i];
      j(i, 0) = e;
      j(i, 1) = -x[0] * t[i] * e;
      j(i, 2) = Scalar(1);
    }
  }
};

template <typename Scalar>
VectorX<Scalar> rosenbrock_start() {
  VectorX<Scalar> x(2);
  x << Scalar(-1.2), Scalar(1);
  return x;
}

/// \f$\|r(x)\|^2\f$, to compare with what a report says about the returned point.
template <typename Objective, typename Scalar>
Scalar sum_of_squares(const Objective& objective, const VectorX<Scalar>& x) {
  VectorX<Scalar> r;
  MatrixX<Scalar> j;
  objective(x, r, j);
  return r.squaredNorm();
}

template <typename Scalar>
Scalar point_tolerance() {
  return std::is_same<Scalar, float>::value ? Scalar(1e-3) : Scalar(1e-8);
}

}  // namespace

TEMPLATE_TEST_CASE("Levenberg-Marquardt minimizes Rosenbrock's function as least squares", "[minimizers][levenberg_marquardt]", float, double,
                   long double) {
  LevenbergMarquardt<TestType> lm;
  VectorX<TestType> x = rosenbrock_start<TestType>();
  Objective<TestType> rosenbrock = Rosenbrock{};
  const auto report = lm.minimize(rosenbrock, x);
  INFO(report.message);
  CHECK(report.converged());
  CHECK((x - VectorX<TestType>::Ones(2)).norm() <= point_tolerance<TestType>());
  CHECK(report.initial_f == Approx(24.2));
  CHECK(report.f == sum_of_squares(Rosenbrock{}, x));
  CHECK(report.f <= (std::is_same<TestType, float>::value ? TestType(1e-8) : TestType(1e-12)) * report.initial_f);
  // Measured: 12 iterations in float, 14 in double, 15 in long double.
  CHECK(report.iterations <= 19);
  CHECK(report.evaluations <= 2 * report.iterations + 5);
}

TEMPLATE_TEST_CASE("Levenberg-Marquardt with More's column scaling minimizes Rosenbrock's function", "[minimizers][levenberg_marquardt]", float,
                   double) {
  LevenbergMarquardtParameters<TestType> parameters;
  parameters.scaling = trialode::DampingScaling::jacobian_columns;
  LevenbergMarquardt<TestType, 2> lm(parameters);
  Eigen::Matrix<TestType, 2, 1> x(TestType(-1.2), TestType(1));
  const auto report = lm.minimize(
      [](const Eigen::Matrix<TestType, 2, 1>& point, VectorX<TestType>& r, Eigen::Matrix<TestType, Eigen::Dynamic, 2>& j) {
        Rosenbrock{}(point, r, j);
      },
      x);
  INFO(report.message);
  CHECK(report.converged());
  CHECK((x - Eigen::Matrix<TestType, 2, 1>::Ones()).norm() <= point_tolerance<TestType>());
  CHECK(report.iterations <= 30);
}

TEST_CASE("Levenberg-Marquardt minimizes Powell's singular function", "[minimizers][levenberg_marquardt]") {
  // The gradient falls like |x|^3 and x only linearly: the default relative gradient test would stop
  // near |x| = 1e-3, and relative tests on f or the step never stop; an absolute gradient test does.
  LevenbergMarquardtParameters<double> parameters;
  parameters.relative_gradient_tolerance = 0;
  parameters.gradient_tolerance = 1e-15;
  LevenbergMarquardt<double> lm(parameters);
  VectorX<double> x(4);
  x << 3, -1, 0, 1;
  Objective<double> powell = PowellSingular{};
  const auto report = lm.minimize(powell, x);
  INFO(report.message);
  CHECK(report.status == MinimizerStatus::converged_gradient);
  CHECK(report.initial_f == Approx(215));
  // The Jacobian is singular at the minimum: f falls like |x|^4, so x is found less precisely than f.
  CHECK(report.f <= 1e-16);
  CHECK(x.norm() <= 1e-4);
  CHECK(report.f == sum_of_squares(PowellSingular{}, x));
  CHECK(report.iterations <= 30);  // measured: 24
}

TEMPLATE_TEST_CASE("Levenberg-Marquardt fits an exponential to exact data", "[minimizers][levenberg_marquardt]", float, double) {
  const ExponentialFit<TestType> fit;
  LevenbergMarquardt<TestType, 3> lm;
  Eigen::Matrix<TestType, 3, 1> x(TestType(1), TestType(0.5), TestType(0));
  const auto report = lm.minimize(
      [&fit](const Eigen::Matrix<TestType, 3, 1>& point, VectorX<TestType>& r,
             Eigen::Matrix<TestType, Eigen::Dynamic, 3>& j) { fit(point, r, j); },
      x);
  INFO(report.message);
  CHECK(report.converged());
  const TestType tolerance = std::is_same<TestType, float>::value ? TestType(1e-4) : TestType(1e-10);
  CHECK(x[0] == Approx(2.5).epsilon(tolerance));
  CHECK(x[1] == Approx(1.3).epsilon(tolerance));
  CHECK(x[2] == Approx(0.5).epsilon(tolerance));
  CHECK(report.iterations <= 20);
}

TEST_CASE("Levenberg-Marquardt stops at the iteration and evaluation limits with the best point", "[minimizers][levenberg_marquardt]") {
  SECTION("iterations") {
    LevenbergMarquardtParameters<double> parameters;
    parameters.max_iterations = 3;
    LevenbergMarquardt<double> lm(parameters);
    VectorX<double> x = rosenbrock_start<double>();
    Objective<double> rosenbrock = Rosenbrock{};
    const auto report = lm.minimize(rosenbrock, x);
    CHECK(report.status == MinimizerStatus::iteration_limit);
    CHECK(report.iterations == 3);
    CHECK_FALSE(report.converged());
    CHECK(report.f < report.initial_f);
    CHECK(report.f == sum_of_squares(Rosenbrock{}, x));
    CHECK_THAT(report.message, Catch::Contains("iteration limit"));
  }
  SECTION("evaluations") {
    for (int limit : {1, 2, 3, 5, 8}) {
      CAPTURE(limit);
      LevenbergMarquardtParameters<double> parameters;
      parameters.max_evaluations = limit;
      LevenbergMarquardt<double> lm(parameters);
      VectorX<double> x = rosenbrock_start<double>();
      int calls = 0;
      Objective<double> counted = [&calls](const VectorX<double>& point, VectorX<double>& r, MatrixX<double>& j) {
        ++calls;
        Rosenbrock{}(point, r, j);
      };
      const auto report = lm.minimize(counted, x);
      CHECK(report.status == MinimizerStatus::evaluation_limit);
      CHECK(report.evaluations == calls);
      CHECK(report.evaluations == limit);
      CHECK(report.f <= report.initial_f);
      CHECK(report.f == sum_of_squares(Rosenbrock{}, x));
    }
  }
}

TEST_CASE("Levenberg-Marquardt reports non-finite residuals honestly", "[minimizers][levenberg_marquardt]") {
  using Vector = VectorX<double>;
  const double nan = std::numeric_limits<double>::quiet_NaN();

  SECTION("NaN at the start: nothing is done and x is left alone") {
    LevenbergMarquardt<double> lm;
    Vector x = rosenbrock_start<double>();
    const Vector start = x;
    Objective<double> nan_start = [nan](const Vector& point, Vector& r, MatrixX<double>& j) {
      Rosenbrock{}(point, r, j);
      r[1] = nan;
    };
    const auto report = lm.minimize(nan_start, x);
    CHECK(report.status == MinimizerStatus::non_finite);
    CHECK(report.evaluations == 1);
    CHECK(report.iterations == 0);
    CHECK(x == start);
  }
  SECTION("an infinite Jacobian at the start") {
    LevenbergMarquardt<double> lm;
    Vector x = rosenbrock_start<double>();
    Objective<double> infinite_jacobian = [](const Vector& point, Vector& r, MatrixX<double>& j) {
      Rosenbrock{}(point, r, j);
      j(0, 1) = std::numeric_limits<double>::infinity();
    };
    const auto report = lm.minimize(infinite_jacobian, x);
    CHECK(report.status == MinimizerStatus::non_finite);
  }
  SECTION("NaN everywhere but the start: the start is returned with status non_finite") {
    LevenbergMarquardt<double> lm;
    Vector x = rosenbrock_start<double>();
    const Vector start = x;
    Objective<double> nan_elsewhere = [&start, nan](const Vector& point, Vector& r, MatrixX<double>& j) {
      Rosenbrock{}(point, r, j);
      if (point != start) r.setConstant(nan);
    };
    const auto report = lm.minimize(nan_elsewhere, x);
    INFO(report.message);
    CHECK(report.status == MinimizerStatus::non_finite);
    CHECK(report.iterations == 0);
    CHECK(x == start);
    CHECK(report.f == report.initial_f);
  }
  SECTION("a NaN region next to the path is stepped around") {
    // Rosenbrock with NaN residuals for x0 > 1.05: the minimum (1, 1) is still reachable.
    LevenbergMarquardt<double> lm;
    Vector x = rosenbrock_start<double>();
    int nan_calls = 0;
    Objective<double> nan_region = [&nan_calls, nan](const Vector& point, Vector& r, MatrixX<double>& j) {
      Rosenbrock{}(point, r, j);
      if (point[0] > 1.05) {
        ++nan_calls;
        r.setConstant(nan);
      }
    };
    const auto report = lm.minimize(nan_region, x);
    INFO(report.message);
    CHECK(report.converged());
    CHECK(x.allFinite());
    CHECK((x - Vector::Ones(2)).norm() <= 1e-8);
  }
}

TEST_CASE("Levenberg-Marquardt calls the callback after every iteration and stops when it says so", "[minimizers][levenberg_marquardt]") {
  using Vector = VectorX<double>;
  LevenbergMarquardt<double> lm;
  Objective<double> rosenbrock = Rosenbrock{};

  SECTION("called once per iteration") {
    Vector x = rosenbrock_start<double>();
    int calls = 0;
    bool in_order = true;
    double previous_f = std::numeric_limits<double>::infinity();
    const auto report = lm.minimize(rosenbrock, x, [&](const trialode::IterationInfo<double>& info) {
      ++calls;
      in_order = in_order && info.iteration == calls && info.step > 0 && info.f < previous_f;
      previous_f = info.f;
      return true;
    });
    CHECK(report.converged());
    CHECK(calls == report.iterations);
    CHECK(in_order);
  }
  SECTION("returning false at iteration 3 stops there") {
    Vector x = rosenbrock_start<double>();
    int last_evaluations = 0;
    const auto report = lm.minimize(rosenbrock, x, [&](const trialode::IterationInfo<double>& info) {
      last_evaluations = info.evaluations;
      return info.iteration < 3;
    });
    CHECK(report.status == MinimizerStatus::stopped_by_callback);
    CHECK(report.iterations == 3);
    CHECK(report.evaluations == last_evaluations);
    CHECK(report.f == sum_of_squares(Rosenbrock{}, x));
    CHECK_FALSE(report.converged());
  }
}

TEST_CASE("One Levenberg-Marquardt object gives the same result twice", "[minimizers][levenberg_marquardt]") {
  LevenbergMarquardt<double> lm;
  VectorX<double> first(4), second(4);
  first << 3, -1, 0, 1;
  second = first;
  Objective<double> powell = PowellSingular{};
  const auto report_first = lm.minimize(powell, first);
  const auto report_second = lm.minimize(powell, second);
  CHECK(first == second);
  CHECK(report_first.iterations == report_second.iterations);
  CHECK(report_first.evaluations == report_second.evaluations);
}

TEST_CASE("Levenberg-Marquardt parameters out of range are rejected with the field's name", "[minimizers][levenberg_marquardt]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double infinity = std::numeric_limits<double>::infinity();
  const auto rejects = [](const LevenbergMarquardtParameters<double>& parameters, const std::string& field) {
    CAPTURE(field);
    CHECK_THROWS_WITH(parameters.check(), Catch::Contains(field));
    CHECK_THROWS_AS(LevenbergMarquardt<double>(parameters), std::invalid_argument);
  };
  LevenbergMarquardtParameters<double> p;
  CHECK_NOTHROW(p.check());
  p.initial_damping = 0;
  rejects(p, "initial_damping");
  p.initial_damping = nan;
  rejects(p, "initial_damping");
  p = {};
  p.scaling = static_cast<trialode::DampingScaling>(7);
  rejects(p, "scaling");
  p = {};
  p.gradient_tolerance = -1;
  rejects(p, "gradient_tolerance");
  p = {};
  p.relative_gradient_tolerance = infinity;
  rejects(p, "relative_gradient_tolerance");
  p.relative_gradient_tolerance = 1;  // would hold at the start, before any step
  rejects(p, "relative_gradient_tolerance");
  p = {};
  p.decrease_tolerance = 1;
  rejects(p, "decrease_tolerance");
  p = {};
  p.step_tolerance = nan;
  rejects(p, "step_tolerance");
  p = {};
  p.max_iterations = 0;
  rejects(p, "max_iterations");
  p = {};
  p.max_evaluations = -3;
  rejects(p, "max_evaluations");
  p = {};
  p.max_damping = 1;
  rejects(p, "max_damping");
}

TEST_CASE("Levenberg-Marquardt calls a step test met before f fell a stall, not convergence", "[minimizers][levenberg_marquardt]") {
  // r = x - (1e12 + 1) from x = 1e12: the Gauss-Newton step 1 is below the relative step tolerance times |x|,
  // so the step test holds before any step, with f where it started: badly scaled, not converged.
  LevenbergMarquardt<double> lm;
  Objective<double> shifted = [](const VectorX<double>& x, VectorX<double>& r, MatrixX<double>& j) {
    r.resize(1);
    j.resize(1, 1);
    r[0] = x[0] - (1e12 + 1.0);
    j(0, 0) = 1.0;
  };
  VectorX<double> x(1);
  x << 1e12;
  const auto report = lm.minimize(shifted, x);
  INFO(report.message);
  CHECK(report.status == MinimizerStatus::stalled);
  CHECK_FALSE(report.converged());
}
