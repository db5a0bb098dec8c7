// SPDX-License-Identifier: MIT
// One evaluation of the collocation cost with its gradient (and of the residuals with their Jacobian),
// for H hidden units and P points. The counter `per_point_unit` is the time divided by P * H: flat when
// the cost of an evaluation grows linearly in both.
#include <benchmark/benchmark.h>

#include <trialode/approximation/collocation.hpp>
#include <trialode/costs/first_order_cost.hpp>
#include <trialode/approximation/network.hpp>

#include "bench_support.hpp"

namespace {

template <typename Scalar, int Hidden>
void cost_gradient(benchmark::State& state) {
  const Eigen::Index hidden = Hidden == Eigen::Dynamic ? state.range(0) : Hidden;
  const Eigen::Index points = state.range(1);
  const auto problem = trialode_bench::decay_problem<Scalar>();
  trialode::detail::FirstOrderCost<decltype(problem), Hidden> cost(
      problem, hidden, trialode::detail::collocation_points(problem.t0, problem.t1, points));
  trialode::SigmoidNetwork<Scalar, Hidden> network(hidden);
  network.initialize(1, problem.t0, problem.t1);
  const typename decltype(cost)::Parameters p = network.parameters();
  typename decltype(cost)::Parameters grad(p.size());
  for (auto _ : state) {
    benchmark::DoNotOptimize(cost(p, grad));
    benchmark::ClobberMemory();
  }
  state.counters["per_point_unit"] = benchmark::Counter(static_cast<double>(points * hidden),
                                                        benchmark::Counter::kIsIterationInvariantRate |
                                                            benchmark::Counter::kInvert);
}

template <typename Scalar>
void residuals_jacobian(benchmark::State& state) {
  const Eigen::Index hidden = state.range(0);
  const Eigen::Index points = state.range(1);
  const auto problem = trialode_bench::decay_problem<Scalar>();
  trialode::detail::FirstOrderCost<decltype(problem)> cost(problem, hidden,
                                                   trialode::detail::collocation_points(problem.t0, problem.t1, points));
  trialode::SigmoidNetwork<Scalar> network(hidden);
  network.initialize(1, problem.t0, problem.t1);
  const typename decltype(cost)::Parameters p = network.parameters();
  typename decltype(cost)::Residuals r(points);
  typename decltype(cost)::Jacobian jacobian(points, 3 * hidden);
  for (auto _ : state) {
    cost.residuals(p, r, jacobian);
    benchmark::DoNotOptimize(jacobian.data());
    benchmark::ClobberMemory();
  }
  state.counters["per_point_unit"] = benchmark::Counter(static_cast<double>(points * hidden),
                                                        benchmark::Counter::kIsIterationInvariantRate |
                                                            benchmark::Counter::kInvert);
}

void units_and_points(benchmark::internal::Benchmark* b) {
  b->ArgNames({"H", "points"});
  for (int hidden : {10, 32, 100}) {
    for (int points : {11, 50, 200, 1000}) b->Args({hidden, points});
  }
}

}  // namespace

BENCHMARK_TEMPLATE(cost_gradient, double, Eigen::Dynamic)->Apply(units_and_points);
BENCHMARK_TEMPLATE(cost_gradient, float, Eigen::Dynamic)->Apply(units_and_points);
// The same with H = 10 fixed at compile time, as solve<10>() uses it.
BENCHMARK_TEMPLATE(cost_gradient, double, 10)->ArgNames({"H", "points"})->Args({10, 11})->Args({10, 41});
BENCHMARK_TEMPLATE(residuals_jacobian, double)->ArgNames({"H", "points"})->Args({10, 11})->Args({10, 50});
