// SPDX-License-Identifier: MIT
// The ODE problems of Lagaris, Likas & Fotiadis (IEEE Trans. Neural Networks 9(5), 1998), section IV, with
// their exact solutions, and the error measures of the lagaris example. Shared by the example and the tests.
#pragma once

#include <trialode/trialode.hpp>

#include <cmath>

namespace lagaris {

// p1: y' + (t + (1 + 3t^2)/(1 + t + t^3)) y = t^3 + 2t + t^2 (1 + 3t^2)/(1 + t + t^3), y(0) = 1 on [0, 1].
// Written generically, so that df/dy comes from automatic differentiation.
inline auto p1() {
  return trialode::InitialValueProblem{[](auto t, auto y) -> decltype(y) {
                                         const decltype(y) q = (1.0 + 3.0 * t * t) / (1.0 + t + t * t * t);
                                         return t * t * t + 2.0 * t + t * t * q - (t + q) * y;
                                       },
                                       0.0, 1.0, 1.0};
}
inline double p1_exact(double t) { return std::exp(-t * t / 2) / (1 + t + t * t * t) + t * t; }

// p2: y' + y/5 = exp(-t/5) cos t, y(0) = 0 on [0, 2]; df/dy = -1/5 supplied.
inline auto p2() {
  return trialode::InitialValueProblem{[](double t, double y) { return std::exp(-t / 5) * std::cos(t) - y / 5; },
                                       [](double, double) { return -0.2; }, 0.0, 2.0, 0.0};
}
inline double p2_exact(double t) { return std::exp(-t / 5) * std::sin(t); }

// p3: y'' + y'/5 + y = -(1/5) exp(-t/5) cos t, exact exp(-t/5) sin t, as an initial value problem on [0, 2]
// (y(0) = 0, y'(0) = 1) and as a boundary value problem on [0, 1] (y(0) = 0, y(1) = sin(1) exp(-1/5)).
struct P3 {
  template <typename T>
  T operator()(T t, T y, T dy) const {
    using std::cos;
    using std::exp;
    return -dy / 5.0 - y - exp(-t / 5.0) * cos(t) / 5.0;
  }
};
inline auto p3ivp() { return trialode::SecondOrderProblem{P3{}, 0.0, 2.0, 0.0, 1.0}; }
inline auto p3bvp() { return trialode::BoundaryValueProblem{P3{}, 0.0, 1.0, 0.0, std::sin(1.0) * std::exp(-0.2)}; }
inline double p3_exact(double t) { return std::exp(-t / 5) * std::sin(t); }

// p4: y1' = cos t + y1^2 + y2 - (1 + t^2 + sin^2 t), y2' = 2t - (1 + t^2) sin t + y1 y2, y(0) = (0, 1) on
// [0, 3]; exact (sin t, 1 + t^2). The Jacobian is supplied.
inline auto p4() {
  return trialode::SystemProblem{
      [](double t, const Eigen::Vector2d& y) {
        const double s = std::sin(t);
        return Eigen::Vector2d(std::cos(t) + y[0] * y[0] + y[1] - (1 + t * t + s * s), 2 * t - (1 + t * t) * s + y[0] * y[1]);
      },
      [](double, const Eigen::Vector2d& y) { return (Eigen::Matrix2d() << 2 * y[0], 1, y[1], y[0]).finished(); }, 0.0,
      3.0, Eigen::Vector2d(0.0, 1.0)};
}
inline Eigen::Vector2d p4_exact(double t) { return Eigen::Vector2d(std::sin(t), 1 + t * t); }

inline double largest_abs(double x) { return std::abs(x); }
template <typename Derived>
double largest_abs(const Eigen::MatrixBase<Derived>& x) {
  return x.cwiseAbs().maxCoeff();
}

/// The largest |y - exact| on `intervals` + 1 equally spaced points of [start, start + length]; for a system,
/// the largest over the components. A NaN error wins, rather than being skipped.
template <typename Solution, typename Exact>
double largest_error(const Solution& solution, Exact exact, double start, double length, int intervals) {
  double worst = 0;
  for (int i = 0; i <= intervals; ++i) {
    const double t = start + length * i / intervals;
    const double error = largest_abs(solution(t) - exact(t));
    if (!(error <= worst)) worst = error;
  }
  return worst;
}

/// The largest |y - exact| on 2001 equally spaced points of the solution's interval [t0, t1], the grid on which
/// the error bound's tests and benchmarks measure the true error.
template <typename Solution, typename Exact>
double error_on_2001_points(const Solution& solution, Exact exact) {
  return largest_error(solution, exact, solution.t0(), solution.t1() - solution.t0(), 2000);
}

/// The error measures of the example: the largest |y - exact| on 501 equally spaced points of [t0, t1]
/// (`extrapolate` false), or on 101 equally spaced points of [t1, t1 + 0.2 (t1 - t0)]; for a system, the
/// largest over the components.
template <typename Solution, typename Exact>
double max_abs_error(const Solution& solution, Exact exact, bool extrapolate) {
  const double t0 = solution.t0();
  const double t1 = solution.t1();
  return extrapolate ? largest_error(solution, exact, t1, 0.2 * (t1 - t0), 100) : largest_error(solution, exact, t0, t1 - t0, 500);
}

}  // namespace lagaris
