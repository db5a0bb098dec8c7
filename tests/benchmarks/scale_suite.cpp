// SPDX-License-Identifier: MIT
// The scale suite: the same equation shifted in time, stretched, squeezed, and with solutions of size 1e-100
// and 1e100, solved by every method of every family with solve()'s defaults. Prints, for each family and
// method, the relative error of the plain case (interval [0, 5], size 1), the worst relative error over the
// twelve cases and its ratio to the plain one, and how many cases reported convergence with a relative error
// above 1e-2 (there must be none).
//
//   scale_suite
//
// The cases: [0, 5], [1e6, 1e6 + 5], [-5, 0] and [0, 5e-6], the rate scaled with the interval (k = 5/L), each
// with y0 = 1, 1e-100 and 1e100. Errors max |y - exact| / |y0| on 2001 equally spaced points.
#include <trialode/trialode.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

#include "support/scale_cases.hpp"

namespace {

using trialode_test::relative_error;
using trialode_test::ScaleCase;

/// One row: `solve_case(c)` returns the relative error and whether the solve reported convergence.
template <typename SolveCase>
void row(const char* family, trialode::Method method, SolveCase solve_case) {
  const auto cases = trialode_test::scale_cases();
  const double plain = solve_case(cases.front()).first;
  double worst = 0.0;
  int false_convergence = 0;
  for (const ScaleCase& c : cases) {
    const auto [error, converged] = solve_case(c);
    worst = std::max(worst, error);
    if (converged && error > 1e-2) ++false_convergence;
  }
  std::printf("| %s | `%s` | %.2e | %.2e | %.2f | %d |\n", family, trialode::to_string(method), plain, worst,
              worst / plain, false_convergence);
}

// The equations, with the rate k = 5/L: y' = -k y; y'' = -k^2 y; y1' = k y2, y2' = -k y1.
struct Decay {
  double k;
  template <typename T>
  T operator()(T, T y) const {
    return -k * y;
  }
};
struct Oscillator {
  double k;
  template <typename T>
  T operator()(T, T y, T) const {
    return -(k * k) * y;
  }
};
struct Rotation {
  double k;
  template <typename T, typename Y>
  Eigen::Matrix<T, 2, 1> operator()(T, const Y& y) const {
    return Eigen::Matrix<T, 2, 1>(T(k * y[1]), T(-k * y[0]));
  }
};

}  // namespace

int main() {
  using trialode::Method;
  std::printf("| family | method | plain relative error | worst of the 12 cases | ratio | converged above 1e-2 |\n");
  std::printf("|---|---|---|---|---|---|\n");
  for (const Method method :
       {Method::lbfgs, Method::levenberg_marquardt, Method::variable_projection, Method::random_features}) {
    trialode::SolveOptions<double> options;
    options.method = method;
    row("y' = -k y", method, [&](const ScaleCase& c) {
      const double k = c.rate();
      const trialode::InitialValueProblem problem{Decay{k}, c.t0, c.t0 + c.length, c.y0};
      const auto s = trialode::solve(problem, options);
      return std::pair{relative_error(c, [&](double t) { return std::abs(s(t) - c.y0 * std::exp(-k * (t - c.t0))); }),
                       s.converged()};
    });
    row("y'' = -k² y, y(t0), y'(t0)", method, [&](const ScaleCase& c) {
      const double k = c.rate();
      const trialode::SecondOrderProblem problem{Oscillator{k}, c.t0, c.t0 + c.length, c.y0, 0.0};
      const auto s = trialode::solve(problem, options);
      return std::pair{relative_error(c, [&](double t) { return std::abs(s(t) - c.y0 * std::cos(k * (t - c.t0))); }),
                       s.converged()};
    });
    row("y'' = -k² y, y(a), y(b)", method, [&](const ScaleCase& c) {
      const double k = c.rate();
      const trialode::BoundaryValueProblem problem{Oscillator{k}, c.t0, c.t0 + c.length, c.y0, c.y0 * std::cos(5.0)};
      const auto s = trialode::solve(problem, options);
      return std::pair{relative_error(c, [&](double t) { return std::abs(s(t) - c.y0 * std::cos(k * (t - c.t0))); }),
                       s.converged()};
    });
  }
  for (const Method method :
       {Method::lbfgs, Method::levenberg_marquardt, Method::quasilinearization, Method::random_features}) {
    trialode::SolveOptions<double> options;
    options.method = method;
    row("system y1' = k y2, y2' = -k y1", method, [&](const ScaleCase& c) {
      const double k = c.rate();
      const trialode::SystemProblem problem{Rotation{k}, c.t0, c.t0 + c.length, Eigen::Vector2d(0.0, c.y0)};
      const auto s = trialode::solve(problem, options);
      const double error = relative_error(c, [&](double t) {
        const Eigen::Vector2d y = s(t);
        const double phase = k * (t - c.t0);
        return std::max(std::abs(y[0] - c.y0 * std::sin(phase)), std::abs(y[1] - c.y0 * std::cos(phase)));
      });
      return std::pair{error, s.converged()};
    });
  }
  return 0;
}
