// SPDX-License-Identifier: MIT
// The tutorial problem of the trial-function method: dy/dt = -y, y(0) = 1 on [0, 5], solved with
// y(t) = 1 + t * sum_k v_k s(w_k t + u_k) and compared with exp(-t).
//
//   decay [--hidden H] [--points N] [--method M] [--start rf] [--starts K] [--seed S] [--csv FILE]
//   decay [--hidden H] [--points N] [--method M] [--start rf] [--starts K] --seeds K
//
// M is lbfgs (the default), lm (Levenberg-Marquardt), varpro (variable projection) or rf (random features);
// --start rf starts lm or varpro from the random-features fit; --starts K keeps the best of K seeds from S on
// (default 1). Without --hidden and --points each method takes its own sizes.
// The first form prints the minimizer's summary and a table, writes the CSV (default decay.csv) for
// plot_decay.gp, and ends with the line max_abs_error=<value>, the largest |y - exp(-t)| on 501 equally
// spaced points of [0, 5]. The second solves with seeds 1..K and prints the spread of the error and of the
// solve time; its last line is the worst error over the seeds.
#include <trialode/trialode.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

int usage(const char* program) {
  std::fprintf(stderr,
               "usage: %s [--hidden H] [--points N] [--method lbfgs|lm|varpro|rf] [--start rf] [--starts K] "
               "[--seed S | --seeds K] [--csv FILE]\n",
               program);
  return 2;
}

// dy/dt = f(t, y) = -y, so df/dy = -1; y(0) = 1 on [0, 5].
const trialode::InitialValueProblem decay{[](double, double y) { return -y; }, [](double, double) { return -1.0; },
                                          0.0, 5.0, 1.0};

template <typename Solution>
double max_abs_error(const Solution& solution) {
  double worst = 0.0;
  for (int i = 0; i <= 500; ++i) {
    const double t = 5.0 * i / 500.0;
    worst = std::fmax(worst, std::fabs(solution(t) - std::exp(-t)));
  }
  return worst;
}

double quantile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  return values[static_cast<std::size_t>(q * static_cast<double>(values.size() - 1) + 0.5)];
}

const char* method_title(trialode::Method method) {
  switch (method) {
    case trialode::Method::lbfgs: return "L-BFGS";
    case trialode::Method::levenberg_marquardt: return "Levenberg-Marquardt";
    case trialode::Method::variable_projection: return "variable projection";
    case trialode::Method::quasilinearization: return "quasilinearization (systems only)";
    case trialode::Method::random_features: return "random features";
  }
  return "?";
}

// Solves with seeds 1..count and prints how the error and the time spread over them.
int study_seeds(trialode::SolveOptions<double> options, long count) {
  std::vector<double> errors, microseconds, iterations;
  int converged = 0;
  long units = 0;
  long points = 0;
  for (long seed = 1; seed <= count; ++seed) {
    options.seed = static_cast<std::uint64_t>(seed);
    const auto start = std::chrono::steady_clock::now();
    const auto solution = trialode::solve(decay, options);
    microseconds.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
    errors.push_back(max_abs_error(solution));
    iterations.push_back(solution.report.iterations);
    converged += solution.converged() ? 1 : 0;
    units = static_cast<long>(solution.network().hidden_units());
    points = static_cast<long>(solution.collocation.size());
  }
  std::printf("dy/dt = -y on [0, 5]: %ld hidden units, %ld points, seeds 1..%ld, %s", units, points, count,
              method_title(options.method));
  if (options.start == trialode::Start::random_features && options.method != trialode::Method::random_features) {
    std::printf(" from the random-features fit");
  }
  if (options.starts > 1) std::printf(", best of %d starts each", options.starts);
  std::printf("\n");
  std::printf("converged: %d of %ld\n", converged, count);
  std::printf("max |y - exp(-t)| on 501 points: median %.2e, 90%% %.2e, max %.2e\n", quantile(errors, 0.5),
              quantile(errors, 0.9), quantile(errors, 1.0));
  std::printf("solve time: median %.1f us, 90%% %.1f us, max %.1f us\n", quantile(microseconds, 0.5),
              quantile(microseconds, 0.9), quantile(microseconds, 1.0));
  std::printf("iterations: median %.0f, max %.0f\n", quantile(iterations, 0.5), quantile(iterations, 1.0));
  std::printf("max_abs_error=%.3e\n", quantile(errors, 1.0));
  return converged == count ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  trialode::SolveOptions<double> options;
  std::string csv_path = "decay.csv";
  long seeds = 0;
  for (int i = 1; i < argc; ++i) {
    if (i + 1 >= argc) return usage(argv[0]);
    const char* value = argv[++i];
    if (std::strcmp(argv[i - 1], "--hidden") == 0) {
      options.hidden_units = std::atol(value);
    } else if (std::strcmp(argv[i - 1], "--points") == 0) {
      options.points = std::atol(value);
    } else if (std::strcmp(argv[i - 1], "--seed") == 0) {
      options.seed = std::strtoull(value, nullptr, 10);
    } else if (std::strcmp(argv[i - 1], "--seeds") == 0) {
      seeds = std::atol(value);
      if (seeds < 1) return usage(argv[0]);
    } else if (std::strcmp(argv[i - 1], "--method") == 0) {
      if (std::strcmp(value, "lbfgs") == 0) {
        options.method = trialode::Method::lbfgs;
      } else if (std::strcmp(value, "lm") == 0) {
        options.method = trialode::Method::levenberg_marquardt;
      } else if (std::strcmp(value, "varpro") == 0) {
        options.method = trialode::Method::variable_projection;
      } else if (std::strcmp(value, "rf") == 0) {
        options.method = trialode::Method::random_features;
      } else {
        return usage(argv[0]);
      }
    } else if (std::strcmp(argv[i - 1], "--start") == 0) {
      if (std::strcmp(value, "rf") != 0) return usage(argv[0]);
      options.start = trialode::Start::random_features;
    } else if (std::strcmp(argv[i - 1], "--starts") == 0) {
      options.starts = std::atoi(value);
    } else if (std::strcmp(argv[i - 1], "--csv") == 0) {
      csv_path = value;
    } else {
      return usage(argv[0]);
    }
  }

  if (seeds > 0) return study_seeds(options, seeds);

  const auto start = std::chrono::steady_clock::now();
  const auto solution = trialode::solve(decay, options);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  const auto& report = solution.report;
  std::printf("trialode %s: dy/dt = -y, y(0) = 1 on [0, 5]\n", TRIALODE_VERSION_STRING);
  std::printf("network: %ld hidden units, %ld collocation points, seed %llu\n",
              static_cast<long>(solution.network().hidden_units()), static_cast<long>(solution.collocation.size()),
              static_cast<unsigned long long>(solution.seed));
  std::printf("%s: %s after %d iterations, %d evaluations, %.3g ms\n", method_title(options.method),
              trialode::to_string(report.status), report.iterations, report.evaluations, seconds * 1e3);
  std::printf("  %s\n", report.message.c_str());
  std::printf("  cost %.3e -> %.3e, |gradient| %.3e -> %.3e\n", report.initial_f, report.f,
              report.initial_gradient_norm, report.gradient_norm);
  std::printf("  max |residual|: %.3e at the collocation points, %.3e on %ld check points\n",
              solution.max_residual_collocation, solution.max_residual_check,
              static_cast<long>(solution.check_points));
  std::printf("error bound: |y - exp(-t)| <= %.3e on [0, 5] (estimate %.3e)\n", solution.error_bound,
              solution.error_estimate);

  std::printf("\n%6s  %14s  %14s  %10s\n", "t", "network y", "exp(-t)", "error");
  for (int i = 0; i <= 10; ++i) {
    const double t = 0.5 * i;
    const double y = solution(t);
    std::printf("%6.2f  %14.10f  %14.10f  %10.2e\n", t, y, std::exp(-t), y - std::exp(-t));
  }

  std::FILE* csv = std::fopen(csv_path.c_str(), "w");
  if (csv == nullptr) {
    std::fprintf(stderr, "cannot write %s\n", csv_path.c_str());
    return 1;
  }
  std::fprintf(csv, "t,network,exact,error\n");
  for (int i = 0; i <= 500; ++i) {
    const double t = 5.0 * i / 500.0;
    const double y = solution(t);
    std::fprintf(csv, "%.6f,%.17g,%.17g,%.6e\n", t, y, std::exp(-t), y - std::exp(-t));
  }
  std::fclose(csv);
  std::printf("\nwrote %s (501 points)\n", csv_path.c_str());
  std::printf("max_abs_error=%.3e\n", max_abs_error(solution));
  return solution.converged() ? 0 : 1;
}
