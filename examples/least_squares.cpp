// SPDX-License-Identifier: MIT
// L-BFGS, Levenberg-Marquardt and variable projection side by side over many seeds, on dy/dt = -y and on
// the problems of Lagaris, Likas & Fotiadis (1998), with default options otherwise.
//
//   least_squares [--seeds K] [--points N] [decay p1 p2 p3ivp p3bvp p4]
//
// For each problem and method it prints a Markdown table row: how many of seeds 1..K (default 100) met a
// convergence test, the median and worst max |y - exact| on 501 equally spaced points of the interval,
// the median wall time of solve() and the median iteration count. Variable projection is only offered
// for linear scalar problems; for the others its row says so.
#include <trialode/trialode.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include <trialode_examples/lagaris_problems.hpp>

namespace {

double quantile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  return values[static_cast<std::size_t>(q * static_cast<double>(values.size() - 1) + 0.5)];
}

template <typename Problem, typename Exact>
void study(const char* id, const Problem& problem, Exact exact, trialode::Method method, long seeds, long points) {
  std::vector<double> errors, milliseconds, iterations;
  int converged = 0;
  for (long seed = 1; seed <= seeds; ++seed) {
    trialode::SolveOptions<double> options;
    options.method = method;
    options.seed = static_cast<std::uint64_t>(seed);
    if (points > 0) options.points = points;
    try {
      const auto start = std::chrono::steady_clock::now();
      const auto solution = trialode::solve(problem, options);
      milliseconds.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
      double worst = 0;
      for (int i = 0; i <= 500; ++i) {
        const double t = problem.t0 + (problem.t1 - problem.t0) * i / 500.0;
        worst = std::max(worst, lagaris::largest_abs(solution(t) - exact(t)));
      }
      errors.push_back(worst);
      iterations.push_back(solution.report.iterations);
      converged += solution.converged() ? 1 : 0;
    } catch (const std::invalid_argument&) {
      std::printf("| %s | %s | not offered | | | | |\n", id, trialode::to_string(method));
      return;
    }
  }
  std::printf("| %s | %s | %d / %ld | %.2e | %.2e | %.2f ms | %.0f |\n", id, trialode::to_string(method), converged,
              seeds, quantile(errors, 0.5), quantile(errors, 1.0), quantile(milliseconds, 0.5),
              quantile(iterations, 0.5));
}

}  // namespace

int main(int argc, char** argv) {
  long seeds = 100;
  long points = 0;
  std::vector<std::string> wanted;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--seeds") == 0 && i + 1 < argc) {
      seeds = std::atol(argv[++i]);
    } else if (std::strcmp(argv[i], "--points") == 0 && i + 1 < argc) {
      points = std::atol(argv[++i]);
    } else if (argv[i][0] != '-') {
      wanted.emplace_back(argv[i]);
    } else {
      std::fprintf(stderr, "usage: %s [--seeds K] [--points N] [decay p1 p2 p3ivp p3bvp p4]\n", argv[0]);
      return 2;
    }
  }
  if (seeds < 1) return 2;
  const auto selected = [&wanted](const char* id) {
    return wanted.empty() || std::find(wanted.begin(), wanted.end(), id) != wanted.end();
  };
  const trialode::InitialValueProblem decay{[](double, double y) { return -y; }, [](double, double) { return -1.0; },
                                            0.0, 5.0, 1.0};
  std::printf("| problem | method | converged | median error | worst error | median time | median iterations |\n");
  std::printf("|---|---|---|---|---|---|---|\n");
  for (const trialode::Method method :
       {trialode::Method::lbfgs, trialode::Method::levenberg_marquardt, trialode::Method::variable_projection}) {
    if (selected("decay")) study("decay", decay, [](double t) { return std::exp(-t); }, method, seeds, points);
    if (selected("p1")) study("p1", lagaris::p1(), lagaris::p1_exact, method, seeds, points);
    if (selected("p2")) study("p2", lagaris::p2(), lagaris::p2_exact, method, seeds, points);
    if (selected("p3ivp")) study("p3ivp", lagaris::p3ivp(), lagaris::p3_exact, method, seeds, points);
    if (selected("p3bvp")) study("p3bvp", lagaris::p3bvp(), lagaris::p3_exact, method, seeds, points);
    if (selected("p4")) study("p4", lagaris::p4(), lagaris::p4_exact, method, seeds, points);
  }
  return 0;
}
