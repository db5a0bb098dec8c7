// SPDX-License-Identifier: MIT
// The whole solve of dy/dt = -y, y(0) = 1 on [0, 5] with solve()'s defaults (10 units), from seed 1:
// the time of one solve, with its iterations, evaluations and max |y - exp(-t)| on 501 points as counters.
#include <benchmark/benchmark.h>

#include <trialode/trialode.hpp>

#include "bench_support.hpp"

namespace {

template <int Hidden>
void solve_decay(benchmark::State& state) {
  const auto problem = trialode_bench::decay_problem<double>();
  trialode::SolveOptions<double> options;
  options.points = state.range(0);
  options.seed = static_cast<std::uint64_t>(state.range(1));
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

}  // namespace

BENCHMARK_TEMPLATE(solve_decay, Eigen::Dynamic)
    ->ArgNames({"points", "seed"})
    ->Args({11, 1})
    ->Args({41, 1})
    ->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(solve_decay, 10)->ArgNames({"points", "seed"})->Args({41, 1})->Unit(benchmark::kMillisecond);
