// SPDX-License-Identifier: MIT
// The whole solve of dy/dt = -y, y(0) = 1 on [0, 5] with solve()'s defaults (10 units): the time of one
// solve, with its iterations, evaluations and max |y - exp(-t)| on 501 points as counters; by L-BFGS (the
// default) and, side by side, by the least-squares methods.
#include <benchmark/benchmark.h>

#include <trialode/trialode.hpp>

#include "bench_support.hpp"

namespace {

/// Times `solve<Hidden>` of the decay problem with `options`, and sets the counters of the last solve.
template <int Hidden>
void time_solve(benchmark::State& state, const trialode::SolveOptions<double>& options) {
  const auto problem = trialode_bench::decay_problem<double>();
  auto solution = trialode::solve<Hidden>(problem, options);
  for (auto _ : state) {
    solution = trialode::solve<Hidden>(problem, options);
    benchmark::DoNotOptimize(solution.report.f);
  }
  state.counters["iterations"] = solution.report.iterations;
  state.counters["evaluations"] = solution.report.evaluations;
  state.counters["converged"] = solution.converged() ? 1 : 0;
  state.counters["max_error"] = trialode_bench::decay_error(solution);
}

template <int Hidden>
void solve_decay(benchmark::State& state) {
  trialode::SolveOptions<double> options;
  options.points = state.range(0);
  options.seed = static_cast<std::uint64_t>(state.range(1));
  time_solve<Hidden>(state, options);
}

/// The same with `Method` number `state.range(0)` (0 L-BFGS, 1 Levenberg-Marquardt, 2 variable
/// projection), 41 points, seed `state.range(1)`.
void solve_decay_by_method(benchmark::State& state) {
  static constexpr trialode::Method methods[] = {trialode::Method::lbfgs, trialode::Method::levenberg_marquardt,
                                                 trialode::Method::variable_projection};
  static const char* const names[] = {"lbfgs", "levenberg_marquardt", "variable_projection"};
  trialode::SolveOptions<double> options;
  options.method = methods[state.range(0)];
  options.seed = static_cast<std::uint64_t>(state.range(1));
  state.SetLabel(names[state.range(0)]);
  time_solve<Eigen::Dynamic>(state, options);
}

/// Multi-start: `state.range(0)` starts from seed 1 on `state.range(1)` threads (OpenMP), L-BFGS, 41 points.
/// The result is the same for any number of threads; the time shows what the second core buys.
void solve_decay_multistart(benchmark::State& state) {
  const auto problem = trialode_bench::decay_problem<double>();
  trialode::SolveOptions<double> options;
  options.starts = static_cast<int>(state.range(0));
  options.threads = static_cast<int>(state.range(1));
  auto solution = trialode::solve(problem, options);
  for (auto _ : state) {
    solution = trialode::solve(problem, options);
    benchmark::DoNotOptimize(solution.report.f);
  }
  state.counters["seed_kept"] = static_cast<double>(solution.seed);
  state.counters["max_error"] = trialode_bench::decay_error(solution);
}

}  // namespace

BENCHMARK(solve_decay_multistart)
    ->ArgNames({"starts", "threads"})
    ->ArgsProduct({{8}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(solve_decay_by_method)
    ->ArgNames({"method", "seed"})
    ->ArgsProduct({{0, 1, 2}, {1, 2, 3, 4, 5}})
    ->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(solve_decay, Eigen::Dynamic)
    ->ArgNames({"points", "seed"})
    ->Args({11, 1})
    ->Args({41, 1})
    ->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(solve_decay, 10)->ArgNames({"points", "seed"})->Args({41, 1})->Unit(benchmark::kMillisecond);
