// SPDX-License-Identifier: MIT
// The targets of Method::random_features with no option but the method set: for each problem the median and
// worst error on 501 equally spaced points over seeds 1..100, against the exact solution, and the median time
// of one solve (every call timed on its own). Then the question whether polishing all the weights of a
// random-features fit (Start::random_features with variable projection or Levenberg-Marquardt) beats a larger
// random layer in the same time.
//
//   random_features_targets [--quick]
//
// --quick solves 5 seeds once each, for CI; the numbers are then not the targets' measurement.
#include <trialode/trialode.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {

using trialode::Method;
using trialode::SolveOptions;

struct Settings {
  int seeds = 100;
  int repeats = 5;  // timed calls per seed
};

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

/// Solves `problem` with `options` for seeds 1..settings.seeds, and prints the spread of the error on 501
/// points and the median time per solve. Returns false if a target is missed (when targets are given).
template <typename Problem, typename Exact>
bool run(const char* name, const Problem& problem, Exact exact, SolveOptions<double> options, const Settings& settings,
         double median_target = 0, double worst_target = 0, double time_target = 0) {
  std::vector<double> errors, times;
  int converged = 0;
  long units = 0;
  long points = 0;
  for (int seed = 1; seed <= settings.seeds; ++seed) {
    options.seed = static_cast<std::uint64_t>(seed);
    for (int repeat = 0; repeat < settings.repeats; ++repeat) {
      const auto start = std::chrono::steady_clock::now();
      const auto solution = trialode::solve(problem, options);
      times.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
      if (repeat > 0) continue;
      double worst = 0;
      for (int i = 0; i <= 500; ++i) {
        const double t = problem.t0 + (problem.t1 - problem.t0) * i / 500.0;
        worst = std::max(worst, std::abs(solution(t) - exact(t)));
      }
      errors.push_back(std::isnan(worst) ? HUGE_VAL : worst);
      converged += solution.converged() ? 1 : 0;
      units = static_cast<long>(solution.networks().front().hidden_units());
      points = static_cast<long>(solution.collocation.size());
    }
  }
  const double worst = *std::max_element(errors.begin(), errors.end());
  const double middle = median(errors);
  const double time = median(times);
  std::printf("%-38s H %3ld, %3ld points: median %.2e  worst %.2e  %8.1f us  converged %d/%d", name, units, points,
              middle, worst, time, converged, settings.seeds);
  const bool met = median_target == 0 || (middle <= median_target && worst <= worst_target && time <= time_target);
  if (median_target > 0) {
    std::printf("  target %.0e / %.0e / %.0f us: %s", median_target, worst_target, time_target, met ? "met" : "MISSED");
  }
  std::printf("\n");
  return met;
}

double p1_rate(double t) { return t + (1 + 3 * t * t) / (1 + t + t * t * t); }

}  // namespace

int main(int argc, char** argv) {
  Settings settings;
  if (argc == 2 && std::strcmp(argv[1], "--quick") == 0) {
    settings.seeds = 5;
    settings.repeats = 1;
  } else if (argc != 1) {
    std::fprintf(stderr, "usage: %s [--quick]\n", argv[0]);
    return 2;
  }
  const trialode::InitialValueProblem decay{[](double, double y) { return -y; }, [](double, double) { return -1.0; }, 0.0,
                                            5.0, 1.0};
  const auto decay_exact = [](double t) { return std::exp(-t); };
  const trialode::InitialValueProblem p1{
      [](double t, double y) { return t * t * t + 2 * t + t * t * (1 + 3 * t * t) / (1 + t + t * t * t) - p1_rate(t) * y; },
      [](double t, double) { return -p1_rate(t); }, 0.0, 1.0, 1.0};
  const auto p1_exact = [](double t) { return std::exp(-t * t / 2) / (1 + t + t * t * t) + t * t; };
  const trialode::InitialValueProblem p2{[](double t, double y) { return std::exp(-t / 5) * std::cos(t) - y / 5; },
                                         [](double, double) { return -0.2; }, 0.0, 2.0, 0.0};
  const auto p23_exact = [](double t) { return std::exp(-t / 5) * std::sin(t); };
  const auto p3 = [](double t, double y, double dy) { return -std::exp(-t / 5) * std::cos(t) / 5 - dy / 5 - y; };
  const auto p3_dy = [](double, double, double) { return -1.0; };
  const auto p3_ddy = [](double, double, double) { return -0.2; };
  const trialode::SecondOrderProblem p3ivp{p3, p3_dy, p3_ddy, 0.0, 2.0, 0.0, 1.0};
  const trialode::BoundaryValueProblem p3bvp{p3, p3_dy, p3_ddy, 0.0, 1.0, 0.0, std::sin(1.0) * std::exp(-0.2)};
  const trialode::InitialValueProblem inverse{[](double, double y) { return -y * y; }, [](double, double y) { return -2 * y; },
                                              0.0, 5.0, 1.0};
  const trialode::BoundaryValueProblem quadratic{[](double, double y, double) { return 1.5 * y * y; },
                                                 [](double, double y, double) { return 3 * y; },
                                                 [](double, double, double) { return 0.0; }, 0.0, 1.0, 4.0, 1.0};

  SolveOptions<double> options;
  options.method = Method::random_features;
  std::printf("Method::random_features with its defaults: errors on 501 points, seeds 1..%d, median time per solve\n",
              settings.seeds);
  bool met = true;
  met &= run("dy/dt = -y on [0, 5]", decay, decay_exact, options, settings, 1e-12, 1e-9, 25);
  met &= run("Lagaris p1", p1, p1_exact, options, settings, 1e-12, 1e-9, 100);
  met &= run("Lagaris p2", p2, p23_exact, options, settings, 1e-12, 1e-9, 100);
  met &= run("Lagaris p3, initial values", p3ivp, p23_exact, options, settings, 1e-12, 1e-9, 100);
  met &= run("Lagaris p3, boundary values", p3bvp, p23_exact, options, settings, 1e-12, 1e-9, 100);
  met &= run("y' = -y^2 on [0, 5]", inverse, [](double t) { return 1 / (1 + t); }, options, settings, 1e-11, 1e-8, 300);
  met &= run("y'' = 1.5 y^2, y(0) = 4, y(1) = 1", quadratic, [](double t) { return 4 / ((1 + t) * (1 + t)); }, options,
             settings, 1e-11, 1e-8, 300);
  std::printf("targets: %s\n\n", met ? "all met" : "some MISSED");

  // Polishing a random-features fit against a larger random layer, on dy/dt = -y.
  Settings polish = settings;
  polish.seeds = std::min(settings.seeds, 20);
  polish.repeats = 1;
  std::printf("Polishing all the weights from the random-features fit (Start::random_features, 3 H Chebyshev-Lobatto\n"
              "points), against larger random layers; dy/dt = -y, seeds 1..%d:\n", polish.seeds);
  for (const long units : {26L, 34L, 40L, 50L}) {
    SolveOptions<double> larger = options;
    larger.hidden_units = units;
    run(("random features, " + std::to_string(units) + " units").c_str(), decay, decay_exact, larger, polish);
  }
  for (const Method method : {Method::variable_projection, Method::levenberg_marquardt}) {
    for (const long units : {10L, 16L, 20L}) {
      SolveOptions<double> polished;
      polished.method = method;
      polished.start = trialode::Start::random_features;
      polished.hidden_units = units;
      polished.points = 3 * units;
      polished.rule = trialode::CollocationRule::chebyshev_lobatto;
      const std::string name = std::string(trialode::to_string(method)) + " from it, " + std::to_string(units) + " units";
      run(name.c_str(), decay, decay_exact, polished, polish);
    }
  }
  return 0;
}
