// SPDX-License-Identifier: MIT
// Equations of order 1 to 4 with general linear conditions (LinearConditionProblem), the four problems of
// issue 11, each with its exact solution:
//   cantilever  y'''' = -1 on [0, 1], y(0) = y'(0) = 0, y''(1) = y'''(1) = 0     exact -t^2 (t^2 - 4t + 6)/24
//   periodic    -y'' = pi^2 sin(pi t) on [-1, 1], y(-1) = 0, y(-1) = y(1)         exact sin(pi t)
//   robin       y'' - y = 0 on [0, 1], y(0) + y'(0) = 2, y(1) = e                 exact e^t
//   integral    y' = cos t on [0, pi], integral of y over [0, pi] = 2             exact sin t
//
//   conditions [--method lbfgs|levenberg_marquardt|variable_projection|random_features] [--start random_features]
//              [--hidden H] [--points N] [--seed S | --seeds K] [--quick] [cantilever periodic robin integral]
//
// The methods may also be written lm, varpro and rf; without --hidden and --points each method takes its own
// sizes. Every solve runs on one thread (options.threads = 1), so that the times are those of one solve.
// With one seed (--seed S, default 1) it prints, per problem, the status, the largest |y - exact| on 1001
// equally spaced points of the interval, each condition's violation |C_i[y] - kappa_i| (absolute, and relative
// to the exact solution's largest |y| on those points, its scale) and the time of solve(). With --seeds K it
// solves from seeds 1 to K and prints a line per problem: how many converged, the median and worst error, how
// many seeds reached 1e-5, the median and worst relative violation (the largest over the conditions, per seed), the
// median iterations and time per solve, and the verdict on issue 11's targets for the method: random
// features, median error <= 1e-11, worst <= 1e-8, median time <= 500 us, median relative violation <= 1e-12;
// L-BFGS, median error <= 1e-5. The other methods have no target. Runs that did not converge are counted by
// status below their problem. --quick, for CI, leaves out the time target and takes 5 seeds unless --seeds
// says otherwise (random features solve 100 seeds in well under a second, L-BFGS 5 in a few seconds); with
// fewer than 100 seeds the numbers are not the targets' measurement. Either way it ends with a save/load round
// trip of the robin solution (seed 1) through a temporary file. The exit code is 1 when a target is missed or
// the round trip differs, 2 for bad input.
#include <trialode/trialode.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace {

using trialode::derivative_at;
using trialode::integral;
using trialode::Method;
using trialode::value_at;

constexpr double pi = 3.141592653589793;

int usage(const char* program, std::FILE* out = stderr) {
  std::fprintf(out,
               "usage: %s [--method lbfgs|levenberg_marquardt|variable_projection|random_features] "
               "[--start random_features] [--hidden H] [--points N] [--seed S | --seeds K] [--quick] "
               "[cantilever periodic robin integral]\n",
               program);
  return 2;
}

// y'''' = -1 on [0, 1]: a cantilever clamped at 0 (y = y' = 0), free at 1 (no moment y'', no shear y''').
const trialode::LinearConditionProblem cantilever{
    [](auto, auto, auto, auto, auto) { return -1.0; }, 0.0, 1.0,
    {value_at(0.0) == 0.0, derivative_at(0.0) == 0.0, derivative_at(1.0, 2) == 0.0, derivative_at(1.0, 3) == 0.0}};
double cantilever_exact(double t) { return -t * t * (t * t - 4 * t + 6) / 24; }

// -y'' = pi^2 sin(pi t) on [-1, 1], that is y'' = -pi^2 sin(pi t); y(-1) = 0 and y(-1) = y(1).
// f is written generically: t, y, y' are Eigen::AutoDiffScalar when f's partials come from automatic
// differentiation, hence sin unqualified after using std::sin, and the result of t's type, since Eigen's
// expression for sin(pi * t) refers to the temporary pi * t, gone when f returns.
const trialode::LinearConditionProblem periodic{[](auto t, auto, auto) -> decltype(t) {
                                                  using std::sin;
                                                  return -pi * pi * sin(pi * t);
                                                },
                                                -1.0, 1.0,
                                                {value_at(-1.0) == 0.0, value_at(-1.0) - value_at(1.0) == 0.0}};
double periodic_exact(double t) { return std::sin(pi * t); }

// y'' = y on [0, 1] with the Robin condition y(0) + y'(0) = 2 and y(1) = e.
const trialode::LinearConditionProblem robin{
    [](auto, auto y, auto) { return y; }, 0.0, 1.0,
    {value_at(0.0) + derivative_at(0.0) == 2.0, value_at(1.0) == std::exp(1.0)}};
double robin_exact(double t) { return std::exp(t); }

// y' = cos t on [0, pi] with the integral of y over [0, pi] equal to 2.
const trialode::LinearConditionProblem integral_problem{[](auto t, auto) -> decltype(t) {
                                                          using std::cos;
                                                          return cos(t);
                                                        },
                                                        0.0, pi, {integral() == 2.0}};
double integral_exact(double t) { return std::sin(t); }

/// The largest |y - exact| and the largest |exact| (the solution's scale) on 1001 equally spaced points of the
/// interval (NaN as +inf). The scale is the exact solution's: a fit gone wrong can be huge, and would make its
/// own violations look small against itself.
struct Accuracy {
  double error = 0;
  double largest = 0;
};

template <typename Solution, typename Exact>
Accuracy accuracy(const Solution& solution, Exact exact) {
  Accuracy out;
  for (int i = 0; i <= 1000; ++i) {
    const double t = solution.t0() + (solution.t1() - solution.t0()) * i / 1000.0;
    const double y = solution(t);
    const double error = std::fabs(y - exact(t));
    out.error = std::isnan(error) ? std::numeric_limits<double>::infinity() : std::max(out.error, error);
    out.largest = std::max(out.largest, std::fabs(exact(t)));
  }
  return out;
}

/// The largest relative violation max_i |C_i[y] - kappa_i| / max |exact| (NaN as +inf).
template <typename Solution>
double relative_violation(const Solution& solution, double largest) {
  const double worst = solution.condition_violations.maxCoeff() / largest;
  return std::isnan(worst) ? std::numeric_limits<double>::infinity() : worst;
}

double quantile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  return values[static_cast<std::size_t>(q * static_cast<double>(values.size() - 1) + 0.5)];
}

struct Settings {
  trialode::SolveOptions<double> options;
  long seeds = 0;  // 0: one seed, options.seed
  bool quick = false;
};

/// One seed: the solve in detail. Returns true (no target at one seed).
template <typename Problem, typename Exact>
bool one_seed(const char* id, const char* title, const Problem& problem, Exact exact, const Settings& settings) {
  const auto start = std::chrono::steady_clock::now();
  const auto solution = trialode::solve(problem, settings.options);
  const double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
  const Accuracy a = accuracy(solution, exact);
  std::printf("%s: %s\n", id, title);
  std::printf("  %s, %ld units, %ld points, seed %llu: %s after %d iterations, %.1f us\n",
              trialode::to_string(settings.options.method), static_cast<long>(solution.network().hidden_units()),
              static_cast<long>(solution.collocation.size()), static_cast<unsigned long long>(solution.seed),
              trialode::to_string(solution.report.status), solution.report.iterations, us);
  std::printf("  support exponents:");
  for (const int e : solution.trial().support) std::printf(" %d", e);
  std::printf("; max |residual| %.2e at the points, %.2e on the check grid\n", solution.max_residual_collocation,
              solution.max_residual_check);
  std::printf("  max |y - exact| on 1001 points: %.3e (max |exact| %.4g)\n", a.error, a.largest);
  for (Eigen::Index i = 0; i < solution.condition_violations.size(); ++i) {
    std::printf("  condition %ld: |C[y] - kappa| = %.2e, relative %.2e\n", static_cast<long>(i + 1),
                solution.condition_violations[i], solution.condition_violations[i] / a.largest);
  }
  return true;
}

/// Seeds 1..settings.seeds: the spread, and the verdict on issue 11's targets for the method.
template <typename Problem, typename Exact>
bool many_seeds(const char* id, const Problem& problem, Exact exact, const Settings& settings) {
  std::vector<double> errors, violations, times, iterations;
  std::map<std::string, int> statuses;  // of the runs that did not converge
  int converged = 0;
  int within = 0;
  long units = 0;
  long points = 0;
  trialode::SolveOptions<double> options = settings.options;
  for (long seed = 1; seed <= settings.seeds; ++seed) {
    options.seed = static_cast<std::uint64_t>(seed);
    const auto start = std::chrono::steady_clock::now();
    const auto solution = trialode::solve(problem, options);
    times.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
    const Accuracy a = accuracy(solution, exact);
    errors.push_back(a.error);
    violations.push_back(relative_violation(solution, a.largest));
    iterations.push_back(solution.report.iterations);
    if (solution.converged()) {
      ++converged;
    } else {
      ++statuses[trialode::to_string(solution.report.status)];
    }
    within += a.error <= 1e-5 ? 1 : 0;
    units = static_cast<long>(solution.network().hidden_units());
    points = static_cast<long>(solution.collocation.size());
  }
  const double median_error = quantile(errors, 0.5);
  const double worst_error = quantile(errors, 1.0);
  const double median_violation = quantile(violations, 0.5);
  const double median_time = quantile(times, 0.5);
  std::printf("%-10s %3ld %4ld %5d/%-4ld %9.2e %9.2e %5d/%-4ld %9.2e %9.2e %6.0f %10.1f  ", id, units, points,
              converged, settings.seeds, median_error, worst_error, within, settings.seeds, median_violation,
              quantile(violations, 1.0), quantile(iterations, 0.5), median_time);
  bool met = true;
  if (settings.options.method == Method::random_features) {
    met = median_error <= 1e-11 && worst_error <= 1e-8 && median_violation <= 1e-12 &&
          (settings.quick || median_time <= 500);
    std::printf("1e-11/1e-8/%s1e-12: %s\n", settings.quick ? "" : "500us/", met ? "met" : "MISSED");
  } else if (settings.options.method == Method::lbfgs) {
    met = median_error <= 1e-5;
    std::printf("median 1e-5: %s\n", met ? "met" : "MISSED");
  } else {
    std::printf("none\n");
  }
  if (!statuses.empty()) {
    std::printf("%-10s not converged:", "");
    for (const auto& [status, count] : statuses) std::printf(" %d %s", count, status.c_str());
    std::printf("\n");
  }
  return met;
}

/// Saves the robin solution of seed 1 to a temporary file, prints the file's head, loads it, and compares
/// values, derivatives and violations on 1001 points. Returns true when they are the same to the bit.
bool round_trip(trialode::SolveOptions<double> options) {
  options.seed = 1;
  const auto solution = trialode::solve(robin, options);
  std::random_device entropy;
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("trialode_conditions_" + std::to_string(entropy()) + ".txt");
  trialode::save(solution, path.string());
  std::printf("\nsave/load round trip of the robin solution (seed 1) through %s:\n", path.string().c_str());
  {
    std::ifstream file(path);
    std::string line;
    while (std::getline(file, line) && line.rfind("networks", 0) != 0) std::printf("  %s\n", line.c_str());
    std::printf("  ... (networks, hidden, origin, weights, end)\n");
  }
  const auto loaded = trialode::load<std::remove_const_t<decltype(solution)>>(path.string());
  std::filesystem::remove(path);
  double largest_difference = 0;
  for (int i = 0; i <= 1000; ++i) {
    const double t = solution.t0() + (solution.t1() - solution.t0()) * i / 1000.0;
    largest_difference = std::max({largest_difference, std::fabs(loaded(t) - solution(t)),
                                   std::fabs(loaded.derivative(t) - solution.derivative(t)),
                                   std::fabs(loaded.second_derivative(t) - solution.second_derivative(t))});
  }
  const bool same_violations = (loaded.condition_violations == solution.condition_violations).all();
  const bool same = largest_difference == 0 && same_violations;
  std::printf("  loaded: status %s; largest difference of y, y', y'' on 1001 points %.1e; violations %s\n",
              trialode::to_string(loaded.report.status), largest_difference, same_violations ? "the same" : "DIFFER");
  std::printf("round_trip=%s\n", same ? "identical" : "DIFFERS");
  return same;
}

}  // namespace

int main(int argc, char** argv) {
  Settings settings;
  settings.options.threads = 1;
  std::vector<std::string> wanted;
  for (int i = 1; i < argc; ++i) {
    const bool has_value = i + 1 < argc;
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      usage(argv[0], stdout);
      return 0;
    } else if (arg == "--quick") {
      settings.quick = true;
    } else if (arg == "--hidden" && has_value) {
      settings.options.hidden_units = std::atol(argv[++i]);
    } else if (arg == "--points" && has_value) {
      settings.options.points = std::atol(argv[++i]);
    } else if (arg == "--seed" && has_value) {
      settings.options.seed = std::strtoull(argv[++i], nullptr, 10);
    } else if (arg == "--seeds" && has_value) {
      settings.seeds = std::atol(argv[++i]);
      if (settings.seeds < 1) return usage(argv[0]);
    } else if (arg == "--method" && has_value) {
      const std::string method = argv[++i];
      if (method == "lbfgs") {
        settings.options.method = Method::lbfgs;
      } else if (method == "levenberg_marquardt" || method == "lm") {
        settings.options.method = Method::levenberg_marquardt;
      } else if (method == "variable_projection" || method == "varpro") {
        settings.options.method = Method::variable_projection;
      } else if (method == "random_features" || method == "rf") {
        settings.options.method = Method::random_features;
      } else {
        return usage(argv[0]);
      }
    } else if (arg == "--start" && has_value) {
      const std::string start = argv[++i];
      if (start != "random_features" && start != "rf") return usage(argv[0]);
      settings.options.start = trialode::Start::random_features;
    } else if (arg == "cantilever" || arg == "periodic" || arg == "robin" || arg == "integral") {
      wanted.push_back(arg);
    } else {
      return usage(argv[0]);
    }
  }
  if (settings.quick && settings.seeds == 0) settings.seeds = 5;
  const auto selected = [&wanted](const char* id) {
    return wanted.empty() || std::find(wanted.begin(), wanted.end(), id) != wanted.end();
  };

  bool met = true;
  try {
    if (settings.seeds > 0) {
      std::printf("%s%s, seeds 1..%ld%s, one thread; errors on 1001 points, violations relative to max |exact|\n",
                  trialode::to_string(settings.options.method),
                  settings.options.start == trialode::Start::random_features ? " from the random-features fit" : "",
                  settings.seeds, settings.quick ? " (--quick: no time target)" : "");
      std::printf("%-10s %3s %4s %10s %9s %9s %10s %9s %9s %6s %10s  %s\n", "problem", "H", "pts", "converged",
                  "median", "worst", "<= 1e-5", "viol med", "viol max", "med it", "med us", "target");
      if (selected("cantilever")) met &= many_seeds("cantilever", cantilever, cantilever_exact, settings);
      if (selected("periodic")) met &= many_seeds("periodic", periodic, periodic_exact, settings);
      if (selected("robin")) met &= many_seeds("robin", robin, robin_exact, settings);
      if (selected("integral")) met &= many_seeds("integral", integral_problem, integral_exact, settings);
      const Method method = settings.options.method;
      const bool targets = method == Method::random_features || method == Method::lbfgs;
      std::printf("targets: %s\n", !targets ? "none for this method" : met ? "all met" : "some MISSED");
    } else {
      if (selected("cantilever")) {
        one_seed("cantilever", "y'''' = -1 on [0, 1], y(0) = y'(0) = 0, y''(1) = y'''(1) = 0", cantilever,
                 cantilever_exact, settings);
      }
      if (selected("periodic")) {
        one_seed("periodic", "-y'' = pi^2 sin(pi t) on [-1, 1], y(-1) = 0, y(-1) = y(1)", periodic, periodic_exact,
                 settings);
      }
      if (selected("robin")) {
        one_seed("robin", "y'' - y = 0 on [0, 1], y(0) + y'(0) = 2, y(1) = e", robin, robin_exact, settings);
      }
      if (selected("integral")) {
        one_seed("integral", "y' = cos t on [0, pi], integral of y over [0, pi] = 2", integral_problem, integral_exact,
                 settings);
      }
    }
    met &= round_trip(settings.options);
  } catch (const std::invalid_argument& error) {
    std::fprintf(stderr, "%s\n", error.what());
    return 2;
  }
  return met ? 0 : 1;
}
