// SPDX-License-Identifier: MIT
// The ODE problems of Lagaris, Likas & Fotiadis (1998) solved with default options: two first-order
// problems, a second-order initial and boundary value problem, and a system of two equations.
//
//   lagaris [--hidden H] [--points N] [--seed S] [--starts K] [--seeds M] [--start random_features]
//           [--method lbfgs|levenberg_marquardt|variable_projection|quasilinearization|random_features]
//           [p1 p2 p3ivp p3bvp p4]
//
// For each problem it prints one line
//   problem=<id> max_abs_error=<e> extrapolation_error=<x> seconds=<s>
// with e the largest |y - exact| on 501 equally spaced points of the interval (over both components for p4),
// x the same on 101 points of the next 20% beyond it, and s the wall time of solve(). With --seeds M it
// solves from seeds S to S + M - 1 instead and prints the median and worst e, how many runs reached e <= 1e-7
// and how many converged, and the median seconds and iterations. variable_projection is for p1 to p3bvp,
// quasilinearization for p4, random_features for all (p4 on the whole of [0, 3] needs more than one network);
// --start random_features starts the other methods from the random-features fit.
#include <trialode/trialode.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include <trialode_examples/lagaris_problems.hpp>

namespace {

int usage(const char* program) {
  std::fprintf(stderr,
               "usage: %s [--hidden H] [--points N] [--seed S] [--starts K] [--seeds M] [--start random_features] "
               "[--method lbfgs|levenberg_marquardt|variable_projection|quasilinearization|random_features] "
               "[p1 p2 p3ivp p3bvp p4]\n",
               program);
  return 2;
}

/// The median, NaN counted as +infinity (worse than any error).
double median(std::vector<double> values) {
  for (double& value : values) {
    if (std::isnan(value)) value = std::numeric_limits<double>::infinity();
  }
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

template <typename Problem, typename Exact>
void study(const char* id, const Problem& problem, Exact exact, trialode::SolveOptions<double> options, int seeds) {
  std::vector<double> errors, seconds, iterations;
  int converged = 0;
  for (int k = 0; k < seeds; ++k) {
    const auto start = std::chrono::steady_clock::now();
    const auto solution = trialode::solve(problem, options);
    seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    errors.push_back(lagaris::max_abs_error(solution, exact, false));
    iterations.push_back(solution.report.iterations);
    if (solution.converged()) ++converged;
    ++options.seed;
  }
  const auto not_finite = std::count_if(errors.begin(), errors.end(), [](double e) { return !std::isfinite(e); });
  double worst = 0;
  for (double e : errors) worst = std::isnan(e) ? std::numeric_limits<double>::infinity() : std::max(worst, e);
  const auto within = std::count_if(errors.begin(), errors.end(), [](double e) { return e <= 1e-7; });
  std::printf("problem=%s seeds=%d median_error=%.3e worst_error=%.3e within_1e-7=%d not_finite=%d converged=%d "
              "median_seconds=%.3g median_iterations=%.0f\n",
              id, seeds, median(errors), worst, static_cast<int>(within), static_cast<int>(not_finite), converged,
              median(seconds), median(iterations));
}

template <typename Problem, typename Exact>
void run(const char* id, const Problem& problem, Exact exact, const trialode::SolveOptions<double>& options,
         int seeds) {
  if (seeds > 1) {
    study(id, problem, exact, options, seeds);
    return;
  }
  const auto start = std::chrono::steady_clock::now();
  const auto solution = trialode::solve(problem, options);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("problem=%s max_abs_error=%.3e extrapolation_error=%.3e seconds=%.3g\n", id,
              lagaris::max_abs_error(solution, exact, false), lagaris::max_abs_error(solution, exact, true), seconds);
  if (!solution.converged()) {
    std::printf("  (%s: %s after %d iterations)\n", id, trialode::to_string(solution.report.status),
                solution.report.iterations);
  }
}

}  // namespace

int main(int argc, char** argv) {
  trialode::SolveOptions<double> options;
  std::vector<std::string> wanted;
  int seeds = 1;
  for (int i = 1; i < argc; ++i) {
    const bool has_value = i + 1 < argc;
    if (std::strcmp(argv[i], "--hidden") == 0 && has_value) {
      options.hidden_units = std::atol(argv[++i]);
    } else if (std::strcmp(argv[i], "--points") == 0 && has_value) {
      options.points = std::atol(argv[++i]);
    } else if (std::strcmp(argv[i], "--seed") == 0 && has_value) {
      options.seed = std::strtoull(argv[++i], nullptr, 10);
    } else if (std::strcmp(argv[i], "--starts") == 0 && has_value) {
      options.starts = std::atoi(argv[++i]);
    } else if (std::strcmp(argv[i], "--seeds") == 0 && has_value) {
      seeds = std::atoi(argv[++i]);
      if (seeds < 1) return usage(argv[0]);
    } else if (std::strcmp(argv[i], "--method") == 0 && has_value) {
      const std::string method = argv[++i];
      if (method == "lbfgs") {
        options.method = trialode::Method::lbfgs;
      } else if (method == "levenberg_marquardt") {
        options.method = trialode::Method::levenberg_marquardt;
      } else if (method == "variable_projection") {
        options.method = trialode::Method::variable_projection;
      } else if (method == "quasilinearization") {
        options.method = trialode::Method::quasilinearization;
      } else if (method == "random_features") {
        options.method = trialode::Method::random_features;
      } else {
        return usage(argv[0]);
      }
    } else if (std::strcmp(argv[i], "--start") == 0 && has_value) {
      if (std::strcmp(argv[++i], "random_features") != 0) return usage(argv[0]);
      options.start = trialode::Start::random_features;
    } else if (argv[i][0] != '-') {
      wanted.emplace_back(argv[i]);
    } else {
      return usage(argv[0]);
    }
  }
  // With no problem named, those the method does not take are left out: variable projection takes the
  // scalar problems, quasilinearization the system p4.
  const auto selected = [&wanted, &options](const char* id) {
    if (wanted.empty()) {
      const bool system = std::strcmp(id, "p4") == 0;
      return !(system && options.method == trialode::Method::variable_projection) &&
             (system || options.method != trialode::Method::quasilinearization);
    }
    for (const std::string& w : wanted) {
      if (w == id) return true;
    }
    return false;
  };
  try {
    if (selected("p1")) run("p1", lagaris::p1(), lagaris::p1_exact, options, seeds);
    if (selected("p2")) run("p2", lagaris::p2(), lagaris::p2_exact, options, seeds);
    if (selected("p3ivp")) run("p3ivp", lagaris::p3ivp(), lagaris::p3_exact, options, seeds);
    if (selected("p3bvp")) run("p3bvp", lagaris::p3bvp(), lagaris::p3_exact, options, seeds);
    if (selected("p4")) run("p4", lagaris::p4(), lagaris::p4_exact, options, seeds);
  } catch (const std::invalid_argument& error) {
    std::fprintf(stderr, "%s\n", error.what());
    return usage(argv[0]);
  }
  return 0;
}
