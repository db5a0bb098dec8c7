// SPDX-License-Identifier: MIT
// Issue 10's coverage target for solution.error_bound: on dy/dt = -y, Lagaris p1 to p4 and the nonlinear
// problems of the random-features targets, over seeds 1..100 and every method that applies, the bound must be
// at least the true error in every run and at most 10 times it in the median. The true error is the largest
// |y - exact| on 2001 equally spaced points (the largest component for a system). Prints one row per problem
// and method, then "targets: all met" or the misses. Usage: bound_coverage [--seeds N]
#include <trialode/trialode.hpp>

#include <trialode_examples/lagaris_problems.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

using trialode::Method;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

struct Row {
  int runs = 0, below = 0, converged = 0;
  double median_ratio = 0, smallest_ratio = 0, median_error = 0, median_bound = 0;
};

template <typename Problem, typename Exact>
bool run(const char* name, const Problem& problem, const Exact& exact, Method method, int seeds) {
  std::vector<double> ratios, errors, bounds;
  Row row;
  for (int seed = 1; seed <= seeds; ++seed) {
    trialode::SolveOptions<double> options;
    options.method = method;
    options.seed = static_cast<std::uint64_t>(seed);
    const auto solution = trialode::solve(problem, options);
    const double error = lagaris::error_on_2001_points(solution, exact);
    const double bound = solution.error_bound;
    ++row.runs;
    if (solution.converged()) ++row.converged;
    if (!(bound >= error)) {
      ++row.below;
      std::printf("  below: %s %s seed %d error %.3e bound %.3e (absolute %.3e, estimate %.3e)\n", name,
                  trialode::to_string(method), seed, error, bound, solution.error_bound_absolute, solution.error_estimate);
    }
    ratios.push_back(bound / error);
    errors.push_back(error);
    bounds.push_back(bound);
  }
  row.median_ratio = median(ratios);
  row.smallest_ratio = *std::min_element(ratios.begin(), ratios.end());
  row.median_error = median(errors);
  row.median_bound = median(bounds);
  const bool met = row.below == 0 && row.median_ratio <= 10;
  std::printf("| %-28s | %-20s | %3d/%3d | %9.2e | %9.2e | %7.2f | %7.2f | %3d | %s |\n", name, trialode::to_string(method),
              row.converged, row.runs, row.median_error, row.median_bound, row.median_ratio, row.smallest_ratio, row.below,
              met ? "met" : "MISSED");
  return met;
}

}  // namespace

int main(int argc, char** argv) {
  int seeds = 100;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--seeds") == 0 && i + 1 < argc) {
      seeds = std::atoi(argv[++i]);
    } else {
      std::fprintf(stderr, "usage: bound_coverage [--seeds N]\n");
      return 2;
    }
  }
  if (seeds < 1) {
    std::fprintf(stderr, "bound_coverage: --seeds must be at least 1\n");
    return 2;
  }
  const trialode::InitialValueProblem decay{[](auto, auto y) { return -y; }, 0.0, 5.0, 1.0};
  const auto decay_exact = [](double t) { return std::exp(-t); };
  const trialode::InitialValueProblem inverse{[](auto, auto y) { return -y * y; }, 0.0, 5.0, 1.0};
  const auto inverse_exact = [](double t) { return 1 / (1 + t); };
  const trialode::BoundaryValueProblem quadratic{[](auto, auto y, auto) { return 1.5 * y * y; }, 0.0, 1.0, 4.0, 1.0};
  const auto quadratic_exact = [](double t) { return 4 / ((1 + t) * (1 + t)); };
  const Method scalar_linear[] = {Method::lbfgs, Method::levenberg_marquardt, Method::variable_projection,
                                  Method::random_features};
  const Method scalar_nonlinear[] = {Method::lbfgs, Method::levenberg_marquardt, Method::random_features};
  const Method system[] = {Method::lbfgs, Method::levenberg_marquardt, Method::quasilinearization, Method::random_features};

  std::printf("error_bound against the true error (2001 points), seeds 1..%d, solve()'s defaults\n\n", seeds);
  std::printf("| problem | method | converged | median error | median bound | median bound/error | smallest | below | target |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|\n");
  bool met = true;
  for (Method m : scalar_linear) met &= run("dy/dt = -y on [0, 5]", decay, decay_exact, m, seeds);
  for (Method m : scalar_linear) met &= run("Lagaris p1", lagaris::p1(), lagaris::p1_exact, m, seeds);
  for (Method m : scalar_linear) met &= run("Lagaris p2", lagaris::p2(), lagaris::p2_exact, m, seeds);
  for (Method m : scalar_linear) met &= run("Lagaris p3, initial values", lagaris::p3ivp(), lagaris::p3_exact, m, seeds);
  for (Method m : scalar_linear) met &= run("Lagaris p3, boundary values", lagaris::p3bvp(), lagaris::p3_exact, m, seeds);
  for (Method m : system) met &= run("Lagaris p4", lagaris::p4(), lagaris::p4_exact, m, seeds);
  for (Method m : scalar_nonlinear) met &= run("y' = -y^2 on [0, 5]", inverse, inverse_exact, m, seeds);
  for (Method m : scalar_nonlinear) met &= run("y'' = 1.5 y^2, y(0) = 4, y(1) = 1", quadratic, quadratic_exact, m, seeds);
  std::printf("\ntargets: %s\n", met ? "all met" : "some MISSED");
  return met ? 0 : 1;
}
