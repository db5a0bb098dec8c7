// SPDX-License-Identifier: MIT
// The ODE problems of Lagaris, Likas & Fotiadis (1998) solved with default options: two first-order
// problems, a second-order initial and boundary value problem, and a system of two equations.
//
//   lagaris [--hidden H] [--points N] [--seed S] [--method lbfgs|levenberg_marquardt] [p1 p2 p3ivp p3bvp p4]
//
// For each problem it prints one line
//   problem=<id> max_abs_error=<e> extrapolation_error=<x> seconds=<s>
// with e the largest |y - exact| on 501 equally spaced points of the interval (over both components for p4),
// x the same on 101 points of the next 20% beyond it, and s the wall time of solve().
#include <trialode/trialode.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "lagaris_problems.hpp"

namespace {

int usage(const char* program) {
  std::fprintf(stderr,
               "usage: %s [--hidden H] [--points N] [--seed S] [--method lbfgs|levenberg_marquardt] "
               "[p1 p2 p3ivp p3bvp p4]\n",
               program);
  return 2;
}

template <typename Problem, typename Exact>
void run(const char* id, const Problem& problem, Exact exact, const trialode::SolveOptions<double>& options) {
  const auto start = std::chrono::steady_clock::now();
  const auto solution = trialode::solve(problem, options);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("problem=%s max_abs_error=%.3e extrapolation_error=%.3e seconds=%.4f\n", id,
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
  for (int i = 1; i < argc; ++i) {
    const bool has_value = i + 1 < argc;
    if (std::strcmp(argv[i], "--hidden") == 0 && has_value) {
      options.hidden_units = std::atol(argv[++i]);
    } else if (std::strcmp(argv[i], "--points") == 0 && has_value) {
      options.points = std::atol(argv[++i]);
    } else if (std::strcmp(argv[i], "--seed") == 0 && has_value) {
      options.seed = std::strtoull(argv[++i], nullptr, 10);
    } else if (std::strcmp(argv[i], "--method") == 0 && has_value) {
      const std::string method = argv[++i];
      if (method == "lbfgs") {
        options.method = trialode::Method::lbfgs;
      } else if (method == "levenberg_marquardt") {
        options.method = trialode::Method::levenberg_marquardt;
      } else {
        return usage(argv[0]);
      }
    } else if (argv[i][0] != '-') {
      wanted.emplace_back(argv[i]);
    } else {
      return usage(argv[0]);
    }
  }
  const auto selected = [&wanted](const char* id) {
    if (wanted.empty()) return true;
    for (const std::string& w : wanted) {
      if (w == id) return true;
    }
    return false;
  };
  try {
    if (selected("p1")) run("p1", lagaris::p1(), lagaris::p1_exact, options);
    if (selected("p2")) run("p2", lagaris::p2(), lagaris::p2_exact, options);
    if (selected("p3ivp")) run("p3ivp", lagaris::p3ivp(), lagaris::p3_exact, options);
    if (selected("p3bvp")) run("p3bvp", lagaris::p3bvp(), lagaris::p3_exact, options);
    if (selected("p4")) run("p4", lagaris::p4(), lagaris::p4_exact, options);
  } catch (const std::invalid_argument& error) {
    std::fprintf(stderr, "%s\n", error.what());
    return usage(argv[0]);
  }
  return 0;
}
