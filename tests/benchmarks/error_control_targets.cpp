// SPDX-License-Identifier: MIT
// Issue 10's targets for solve() with a tolerance, side by side with Boost.Odeint's Dormand-Prince 5(4) at the
// same tolerance: for each target problem the median time of solve() (Release, one thread), its status, the
// error bound, the number of segments and units, and the true error on 2001 equally spaced points against the
// exact solution (for the pendulum, 2 asin(k sn(K - t, k)) with k = sin(1/2), Jacobi's sn and K in long double
// from Boost.Math; Odeint's Bulirsch-Stoer at 1e-14, the usual reference, is 4e-12 from it and would not do);
// then Odeint's dopri5 with dense output at the tolerance,
// asked for the same 2001 points: its median time and its error. A target is met when solve() converged, the
// bound is at most the tolerance and at least the true error, and the median time is within the limit.
// Usage: error_control_targets [--repeats N] (default 11; CI runs --repeats 1, timings not checked).
#include <utility>  // before Odeint, whose headers use std::pair without it

#include <boost/math/special_functions/ellint_1.hpp>
#include <boost/math/special_functions/jacobi_elliptic.hpp>
#include <boost/numeric/odeint/integrate/integrate_const.hpp>
#include <boost/numeric/odeint/integrate/integrate_times.hpp>
#include <boost/numeric/odeint/stepper/bulirsch_stoer_dense_out.hpp>
#include <boost/numeric/odeint/stepper/generation.hpp>
#include <boost/numeric/odeint/stepper/runge_kutta_dopri5.hpp>

#include <trialode/trialode.hpp>

#include <trialode_examples/lagaris_problems.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <vector>

namespace {

namespace odeint = boost::numeric::odeint;
using State = std::vector<double>;
using Clock = std::chrono::steady_clock;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

/// 2001 equally spaced points of [t0, t1].
std::vector<double> grid(double t0, double t1) {
  std::vector<double> t(2001);
  for (int i = 0; i <= 2000; ++i) t[static_cast<std::size_t>(i)] = t0 + (t1 - t0) * i / 2000.0;
  return t;
}

/// Odeint's dense-output integration of `system` from `x0` at the points `t`; the states at those points.
template <typename Stepper, typename System>
std::vector<State> odeint_at(Stepper stepper, System system, const State& x0, const std::vector<double>& t, double dt) {
  std::vector<State> out;
  State x = x0;
  odeint::integrate_times(stepper, system, x, t.begin(), t.end(), dt, [&out](const State& s, double) { out.push_back(s); });
  return out;
}

struct Target {
  const char* name;
  double tolerance;
  double limit_ms;
};

struct Outcome {
  bool met = true;
};

/// The median time in ms of `repeats` calls of `run` (0 when `repeats` is 0); the last call's result into `result`.
template <typename Run, typename Result>
double median_ms(Run& run, int repeats, Result& result) {
  std::vector<double> times;
  for (int r = 0; r < repeats; ++r) {
    const auto start = Clock::now();
    result = run();
    times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  return repeats > 0 ? median(times) : 0;
}

/// Times `run` (which returns the solution) `repeats` times, then checks and prints one row. `error_of`
/// gives the true error of a solution.
template <typename Run, typename Error, typename Odeint>
bool report(const Target& target, int repeats, Run run, Error error_of, Odeint odeint_run) {
  auto solution = run();
  const double ms = median_ms(run, repeats, solution);
  const double error = error_of(solution);
  double odeint_error = odeint_run();
  const double odeint_ms = median_ms(odeint_run, repeats, odeint_error);
  const bool met = solution.converged() && solution.error_bound <= target.tolerance && solution.error_bound >= error &&
                   (repeats == 0 || ms <= target.limit_ms);
  std::printf("| %-40s | %7.0e | %-19s | %9.2e | %9.2e | %4ld x %2ld | %9.3f | %6.2f | %9.3f | %9.2e | %s |\n", target.name,
              target.tolerance, trialode::to_string(solution.report.status), error, solution.error_bound,
              static_cast<long>(solution.segments()), static_cast<long>(solution.networks().front().hidden_units()), ms,
              target.limit_ms, odeint_ms, odeint_error, met ? "met" : "MISSED");
  return met;
}

/// dopri5 with dense output at `tolerance` on a scalar problem given as a one-state system; its error at the
/// 2001 points against `exact`.
template <typename System, typename Exact>
double dopri5_error(System system, double t0, double t1, const State& x0, double tolerance, Exact exact_of_point) {
  const std::vector<double> t = grid(t0, t1);
  const std::vector<State> x =
      odeint_at(odeint::make_dense_output(tolerance, tolerance, odeint::runge_kutta_dopri5<State>()), system, x0, t, 1e-3);
  double worst = 0;
  for (std::size_t i = 0; i < t.size(); ++i) worst = std::max(worst, exact_of_point(t[i], x[i]));
  return worst;
}

}  // namespace

int main(int argc, char** argv) {
  int repeats = 11;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--repeats") == 0 && i + 1 < argc) {
      repeats = std::atoi(argv[++i]);
    } else {
      std::fprintf(stderr, "usage: error_control_targets [--repeats N]\n");
      return 2;
    }
  }
  if (repeats < 0) repeats = 0;
  std::printf("solve() with options.tolerance against Odeint's dopri5 (dense output) at the same tolerance; errors on\n"
              "2001 points; median of %d runs each, ms\n\n", repeats);
  std::printf("| problem | tolerance | status | true error | error_bound | segments x units | solve ms | limit | dopri5 ms | dopri5 error | target |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|---|---|\n");
  bool met = true;

  // y'' + y = 0, y(0) = 1, y'(0) = 0: cos t, on [0, 100] and [0, 1000].
  for (const double end : {100.0, 1000.0}) {
    const trialode::SecondOrderProblem oscillator{[](auto, auto y, auto) { return -y; }, 0.0, end, 1.0, 0.0};
    trialode::SolveOptions<double> options;
    options.tolerance = 1e-10;
    const Target target{end == 100.0 ? "y'' + y = 0 on [0, 100]" : "y'' + y = 0 on [0, 1000]", 1e-10, end == 100.0 ? 10.0 : 100.0};
    met &= report(
        target, repeats, [&] { return trialode::solve(oscillator, options); },
        [](const auto& s) { return lagaris::error_on_2001_points(s, [](double t) { return std::cos(t); }); },
        [&] {
          return dopri5_error([](const State& x, State& dx, double) { dx = {x[1], -x[0]}; }, 0.0, end, {1.0, 0.0}, 1e-10,
                              [](double t, const State& x) { return std::abs(x[0] - std::cos(t)); });
        });
  }

  // Lagaris p4 on [0, 3].
  {
    trialode::SolveOptions<double> options;
    options.tolerance = 1e-10;
    const auto p4 = lagaris::p4();
    met &= report(
        {"Lagaris p4 on [0, 3]", 1e-10, 5.0}, repeats, [&] { return trialode::solve(p4, options); },
        [](const auto& s) { return lagaris::error_on_2001_points(s, lagaris::p4_exact); },
        [&] {
          return dopri5_error(
              [](const State& y, State& dy, double t) {
                const double s = std::sin(t);
                dy = {std::cos(t) + y[0] * y[0] + y[1] - (1 + t * t + s * s), 2 * t - (1 + t * t) * s + y[0] * y[1]};
              },
              0.0, 3.0, {0.0, 1.0}, 1e-10, [](double t, const State& y) {
                return std::max(std::abs(y[0] - std::sin(t)), std::abs(y[1] - (1 + t * t)));
              });
        });
  }

  // The stiff y' = -100 (y - sin t) + cos t, y(0) = 1 on [0, 2]: sin t + exp(-100 t).
  {
    const trialode::InitialValueProblem stiff{[](auto t, auto y) {
                                                using std::cos;
                                                using std::sin;
                                                return -100.0 * (y - sin(t)) + cos(t);
                                              },
                                              0.0, 2.0, 1.0};
    trialode::SolveOptions<double> options;
    options.tolerance = 1e-10;
    const auto exact = [](double t) { return std::sin(t) + std::exp(-100 * t); };
    met &= report(
        {"y' = -100 (y - sin t) + cos t on [0, 2]", 1e-10, 5.0}, repeats, [&] { return trialode::solve(stiff, options); },
        [&](const auto& s) { return lagaris::error_on_2001_points(s, exact); },
        [&] {
          return dopri5_error([](const State& y, State& dy, double t) { dy = {-100 * (y[0] - std::sin(t)) + std::cos(t)}; }, 0.0,
                              2.0, {1.0}, 1e-10, [&](double t, const State& y) { return std::abs(y[0] - exact(t)); });
        });
  }

  // The pendulum th'' = -sin th, th(0) = 1, th'(0) = 0 on [0, 50]: th = 2 asin(k sn(K - t, k)), k = sin(1/2).
  {
    const auto pendulum_rhs = [](const State& x, State& dx, double) { dx = {x[1], -std::sin(x[0])}; };
    const std::vector<double> t = grid(0, 50);
    const long double k = std::sin(0.5L);
    const long double quarter = boost::math::ellint_1(k);
    std::vector<double> reference(t.size());
    for (std::size_t i = 0; i < t.size(); ++i) {
      reference[i] = static_cast<double>(2 * std::asin(k * boost::math::jacobi_sn(k, quarter - static_cast<long double>(t[i]))));
    }
    const std::vector<State> bulirsch =
        odeint_at(odeint::bulirsch_stoer_dense_out<State>(1e-14, 1e-14), pendulum_rhs, {1.0, 0.0}, t, 1e-3);
    double bulirsch_error = 0;
    for (std::size_t i = 0; i < t.size(); ++i) bulirsch_error = std::max(bulirsch_error, std::abs(bulirsch[i][0] - reference[i]));
    std::printf("(pendulum: Odeint's Bulirsch-Stoer at 1e-14 is %.1e from the exact solution)\n", bulirsch_error);
    const trialode::SecondOrderProblem pendulum{[](auto, auto th, auto) {
                                                  using std::sin;
                                                  return -sin(th);
                                                },
                                                0.0, 50.0, 1.0, 0.0};
    trialode::SolveOptions<double> options;
    options.tolerance = 1e-10;
    met &= report(
        {"pendulum th'' = -sin th on [0, 50]", 1e-10, 50.0}, repeats, [&] { return trialode::solve(pendulum, options); },
        [&](const auto& s) {
          double worst = 0;
          for (std::size_t i = 0; i < t.size(); ++i) worst = std::max(worst, std::abs(s(t[i]) - reference[i]));
          return worst;
        },
        [&] {
          const std::vector<State> x = odeint_at(odeint::make_dense_output(1e-10, 1e-10, odeint::runge_kutta_dopri5<State>()),
                                                 pendulum_rhs, {1.0, 0.0}, t, 1e-3);
          double worst = 0;
          for (std::size_t i = 0; i < t.size(); ++i) worst = std::max(worst, std::abs(x[i][0] - reference[i]));
          return worst;
        });
  }

  // dy/dt = -y on [0, 5] at tolerance 1e-12 (the limit in microseconds: 0.05 ms).
  {
    const trialode::InitialValueProblem decay{[](auto, auto y) { return -y; }, 0.0, 5.0, 1.0};
    trialode::SolveOptions<double> options;
    options.tolerance = 1e-12;
    met &= report(
        {"dy/dt = -y on [0, 5]", 1e-12, 0.05}, repeats, [&] { return trialode::solve(decay, options); },
        [](const auto& s) { return lagaris::error_on_2001_points(s, [](double t) { return std::exp(-t); }); },
        [&] {
          return dopri5_error([](const State& y, State& dy, double) { dy = {-y[0]}; }, 0.0, 5.0, {1.0}, 1e-12,
                              [](double t, const State& y) { return std::abs(y[0] - std::exp(-t)); });
        });
  }

  // A problem the limits cannot meet: y' = cos(1000 t) on [0, 100] with at most 16 segments.
  {
    const trialode::InitialValueProblem fast{[](auto t, auto) {
                                               using std::cos;
                                               return cos(1000.0 * t);
                                             },
                                             0.0, 100.0, 0.0};
    trialode::SolveOptions<double> options;
    options.tolerance = 1e-10;
    options.max_segments = 16;
    const auto start = Clock::now();
    const auto solution = trialode::solve(fast, options);
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    const double error = lagaris::error_on_2001_points(solution, [](double t) { return std::sin(1000 * t) / 1000; });
    const bool honest = !solution.converged() && solution.error_bound >= error;
    std::printf("\ny' = cos(1000 t) on [0, 100], max_segments 16: %s in %.1f ms, error %.2e, error_bound %.2e: %s\n",
                trialode::to_string(solution.report.status), ms, error, solution.error_bound,
                honest ? "not converged, bound above the error (met)" : "MISSED");
    met &= honest;
  }
  std::printf("\ntargets: %s\n", met ? "all met" : "some MISSED");
  return met ? 0 : 1;
}
