// SPDX-License-Identifier: MIT
// trialode's L-BFGS against liblbfgs (Okazaki's C library, used as a library only), side by side in one
// run: both minimize the same trialode cost (dy/dt = -y on [0, 5], 10 units) from the same starting
// points (solve()'s seeded initialisation, seeds 1 to 20) with the same memory (m = 10), the same
// More-Thuente line search parameters and the same stopping rule, and the summary prints the ratio of
// the median solve times and of the evaluation counts.
//
// The stopping rule. liblbfgs stops when ||g|| <= epsilon * max(1, ||x||) and trialode when
// ||g|| <= gradient_tolerance or ||g|| <= relative_gradient_tolerance * ||g0||: neither can express the
// other exactly. So both get one absolute test, ||g|| <= tol with tol = sqrt(eps) / 4 * ||g0|| per start
// (the relative tolerance solve() uses): trialode as its gradient_tolerance, liblbfgs through its
// progress callback, which sees ||g|| after every iteration and stops the run when it returns non-zero.
// The other tests are off on both sides (epsilon = 0 and past = 0 for liblbfgs; the relative test and
// past = 0 for trialode).
#include <benchmark/benchmark.h>
#include <lbfgs.h>

#include <trialode/trialode.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <map>
#include <string>
#include <vector>

#include "bench_support.hpp"

namespace {

constexpr int seeds = 20;         // timed starts per number of points
constexpr int study_starts = 200;  // starts of many_starts_study()

using Problem = decltype(trialode_bench::decay_problem<double>());
using Cost = trialode::detail::FirstOrderCost<Problem>;
using Vector = Cost::Parameters;

/// One start: the cost on `points` points and the seeded initial weights, with the tolerance on ||g||.
struct Start {
  Cost cost;
  Vector x0;
  double tolerance;

  Start(Eigen::Index points, std::uint64_t seed)
      : cost(trialode_bench::decay_problem<double>(), 10,
             trialode::detail::collocation_points(0.0, 5.0, points)) {
    trialode::SigmoidNetwork<double> network(10);
    network.initialize(seed, 0.0, 5.0);
    x0 = network.parameters();
    Vector g(x0.size());
    cost(x0, g);
    tolerance = std::sqrt(std::numeric_limits<double>::epsilon()) / 4 * g.norm();
  }
};

/// What a run ends with, as counters.
void set_counters(benchmark::State& state, const Vector& x, int iterations, int evaluations, bool converged) {
  trialode::SigmoidNetwork<double> network(10, x);
  const trialode::Solution<double> solution({0.0, 1.0}, network, 0.0, 5.0);
  double error = 0;
  for (int i = 0; i <= 500; ++i) {
    const double t = 5.0 * i / 500;
    error = std::max(error, std::abs(solution(t) - std::exp(-t)));
  }
  state.counters["iterations"] = iterations;
  state.counters["evaluations"] = evaluations;
  state.counters["converged"] = converged ? 1 : 0;
  state.counters["max_error"] = error;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

/// How one run ended.
struct Outcome {
  int iterations = 0;
  int evaluations = 0;
  bool converged = false;
};

trialode::LbfgsParameters<double> trialode_parameters(const Start& start) {
  trialode::LbfgsParameters<double> parameters;
  parameters.memory = 10;
  parameters.gradient_tolerance = start.tolerance;
  parameters.relative_gradient_tolerance = 0;
  parameters.past = 0;
  parameters.max_iterations = 20000;
  parameters.max_evaluations = 40000;
  return parameters;
}

/// trialode's L-BFGS from `start` into `x`; as solve() does, a fresh minimizer per solve.
Outcome run_trialode(Start& start, const trialode::LbfgsParameters<double>& parameters, Vector& x) {
  x = start.x0;
  trialode::Lbfgs<double> minimizer(parameters);
  const auto report = minimizer.minimize(start.cost, x);
  return {report.iterations, report.evaluations, report.status == trialode::MinimizerStatus::converged_gradient};
}

void trialode_lbfgs(benchmark::State& state) {
  Start start(state.range(0), static_cast<std::uint64_t>(state.range(1)));
  const auto parameters = trialode_parameters(start);
  Vector x;
  Outcome outcome;
  for (auto _ : state) {
    outcome = run_trialode(start, parameters, x);
    benchmark::DoNotOptimize(x.data());
  }
  set_counters(state, x, outcome.iterations, outcome.evaluations, outcome.converged);
}

/// What liblbfgs' callbacks see.
struct LiblbfgsInstance {
  Start* start;
  Vector x, g;  // the cost takes Eigen vectors: liblbfgs' arrays are copied in and out
  Outcome outcome;
};

lbfgsfloatval_t liblbfgs_evaluate(void* instance, const lbfgsfloatval_t* x, lbfgsfloatval_t* g, const int n,
                                  const lbfgsfloatval_t) {
  auto& run = *static_cast<LiblbfgsInstance*>(instance);
  run.x = Eigen::Map<const Vector>(x, n);
  const double f = run.start->cost(run.x, run.g);
  Eigen::Map<Vector>(g, n) = run.g;
  ++run.outcome.evaluations;
  return f;
}

int liblbfgs_progress(void* instance, const lbfgsfloatval_t*, const lbfgsfloatval_t*, const lbfgsfloatval_t,
                      const lbfgsfloatval_t, const lbfgsfloatval_t gnorm, const lbfgsfloatval_t, int, int k, int) {
  auto& run = *static_cast<LiblbfgsInstance*>(instance);
  run.outcome.iterations = k;
  run.outcome.converged = gnorm <= run.start->tolerance;
  return run.outcome.converged ? 1 : 0;
}

lbfgs_parameter_t liblbfgs_parameters() {
  lbfgs_parameter_t parameters;
  lbfgs_parameter_init(&parameters);
  parameters.m = 10;
  parameters.epsilon = 0;  // its own gradient test off: the progress callback applies ||g|| <= tol
  parameters.past = 0;
  parameters.max_iterations = 20000;
  parameters.linesearch = LBFGS_LINESEARCH_MORETHUENTE;
  parameters.max_linesearch = 40;  // as trialode's: c1 = 1e-4 (ftol), c2 = 0.9 (gtol) are both defaults
  return parameters;
}

/// liblbfgs from `start` into `x` (n values, allocated by lbfgs_malloc).
Outcome run_liblbfgs(LiblbfgsInstance& run, lbfgs_parameter_t parameters, lbfgsfloatval_t* x) {
  const int n = static_cast<int>(run.start->x0.size());
  std::copy(run.start->x0.data(), run.start->x0.data() + n, x);
  run.outcome = Outcome{};
  lbfgs(n, x, nullptr, liblbfgs_evaluate, liblbfgs_progress, &run, &parameters);
  return run.outcome;
}

void liblbfgs(benchmark::State& state) {
  Start start(state.range(0), static_cast<std::uint64_t>(state.range(1)));
  const lbfgs_parameter_t parameters = liblbfgs_parameters();
  const int n = static_cast<int>(start.x0.size());
  lbfgsfloatval_t* x = lbfgs_malloc(n);
  LiblbfgsInstance run{&start, Vector(n), Vector(n), {}};
  Outcome outcome;
  for (auto _ : state) {
    outcome = run_liblbfgs(run, parameters, x);
    benchmark::DoNotOptimize(x);
  }
  set_counters(state, Eigen::Map<const Vector>(x, n), outcome.iterations, outcome.evaluations, outcome.converged);
  lbfgs_free(x);
}

/// CPU time of the process in microseconds.
double cpu_microseconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e6 + static_cast<double>(now.tv_nsec) * 1e-3;
}

/// Both minimizers from many more starts than the benchmarks above time one by one. The two runs from one
/// start part ways after a few dozen iterations (rounding differences grow on this non-convex cost), so
/// an evaluation count or a time from one start is a draw from a wide distribution: only many starts
/// compare the algorithms. Each solve runs `repeats` times in turn with the other's, and its CPU time is
/// the median of those.
void many_starts_study(int points, int starts, int repeats) {
  std::vector<double> counts[2], times[2];
  double totals[2] = {0, 0};
  int converged[2] = {0, 0};
  const lbfgs_parameter_t theirs = liblbfgs_parameters();
  for (int seed = 1; seed <= starts; ++seed) {
    Start start(points, static_cast<std::uint64_t>(seed));
    const auto ours = trialode_parameters(start);
    const int n = static_cast<int>(start.x0.size());
    Vector x;
    lbfgsfloatval_t* y = lbfgs_malloc(n);
    LiblbfgsInstance run{&start, Vector(n), Vector(n), {}};
    Outcome outcome[2];
    std::vector<double> repeat_times[2];
    for (int r = 0; r < repeats; ++r) {
      double begin = cpu_microseconds();
      outcome[0] = run_trialode(start, ours, x);
      repeat_times[0].push_back(cpu_microseconds() - begin);
      begin = cpu_microseconds();
      outcome[1] = run_liblbfgs(run, theirs, y);
      repeat_times[1].push_back(cpu_microseconds() - begin);
    }
    lbfgs_free(y);
    for (int side = 0; side < 2; ++side) {
      counts[side].push_back(outcome[side].evaluations);
      times[side].push_back(median(repeat_times[side]));
      totals[side] += outcome[side].evaluations;
      converged[side] += outcome[side].converged ? 1 : 0;
    }
  }
  std::printf("  seeds 1-%d, each solve timed %d times (median CPU time): converged trialode %d, liblbfgs %d\n",
              starts, repeats, converged[0], converged[1]);
  std::printf("    median solve time: trialode %.1f us, liblbfgs %.1f us, ratio %.2f\n", median(times[0]),
              median(times[1]), median(times[0]) / median(times[1]));
  std::printf("    median evaluations: trialode %.0f, liblbfgs %.0f, ratio %.3f; total ratio %.3f\n", median(counts[0]),
              median(counts[1]), median(counts[0]) / median(counts[1]), totals[0] / totals[1]);
}

void starts(benchmark::internal::Benchmark* b) {
  b->ArgNames({"points", "seed"})->Unit(benchmark::kMicrosecond);
  for (int points : {11, 41}) {
    for (int seed = 1; seed <= seeds; ++seed) b->Args({points, seed});
  }
}

BENCHMARK(trialode_lbfgs)->Apply(starts);
BENCHMARK(liblbfgs)->Apply(starts);

/// The console report, plus every repetition's time and counters kept for the summary.
class Collector : public benchmark::ConsoleReporter {
 public:
  struct Result {
    std::vector<double> times;      // microseconds of CPU time per solve, one per repetition
    std::vector<double> wall_times;  // the same in real time
    double evaluations = 0;
    double converged = 0;
    double error = 0;
  };
  std::map<std::string, Result> results;

  Collector() : benchmark::ConsoleReporter(OO_Tabular) {}  // no colour codes: the output is often a file

  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.run_type != Run::RT_Iteration || run.error_occurred) continue;
      Result& result = results[run.run_name.str()];
      result.times.push_back(run.GetAdjustedCPUTime());
      result.wall_times.push_back(run.GetAdjustedRealTime());
      result.evaluations = run.counters.at("evaluations");
      result.converged = run.counters.at("converged");
      result.error = run.counters.at("max_error");
    }
    ConsoleReporter::ReportRuns(runs);
  }
};


void print_summary(const Collector& collector) {
  std::printf(
      "\nSame cost, same starts (seeds 1-%d), m = 10, More-Thuente line search (c1 = 1e-4, c2 = 0.9, at most 40\n"
      "evaluations), both stopped by ||g|| <= sqrt(eps)/4 * ||g0||, the decrease tests off. Time per solve is\n"
      "the median over repetitions of the CPU time (the machine may be shared), and the medians below are\n"
      "over the seeds.\n",
      seeds);
  for (int points : {11, 41}) {
    std::vector<double> time[2], wall[2], evaluations[2], errors[2], per_evaluation[2];
    double total_evaluations[2] = {0, 0};
    int converged[2] = {0, 0};
    int found = 0;
    for (int seed = 1; seed <= seeds; ++seed) {
      const std::string suffix = "/points:" + std::to_string(points) + "/seed:" + std::to_string(seed);
      const auto ours = collector.results.find("trialode_lbfgs" + suffix);
      const auto theirs = collector.results.find("liblbfgs" + suffix);
      if (ours == collector.results.end() || theirs == collector.results.end()) continue;
      if (found++ == 0) {
        std::printf("\n%d points:  seed  trialode us  evals  liblbfgs us  evals  time ratio  (CPU time per solve)\n",
                    points);
      }
      const Collector::Result* both[2] = {&ours->second, &theirs->second};
      for (int side = 0; side < 2; ++side) {
        time[side].push_back(median(both[side]->times));
        wall[side].push_back(median(both[side]->wall_times));
        evaluations[side].push_back(both[side]->evaluations);
        per_evaluation[side].push_back(time[side].back() / both[side]->evaluations);
        errors[side].push_back(both[side]->error);
        total_evaluations[side] += both[side]->evaluations;
        converged[side] += both[side]->converged > 0.5 ? 1 : 0;
      }
      std::printf("%16d %12.1f %6.0f %12.1f %6.0f %11.2f\n", seed, time[0].back(), evaluations[0].back(),
                  time[1].back(), evaluations[1].back(), time[0].back() / time[1].back());
    }
    if (found == 0) continue;
    std::printf("  converged: trialode %d / %d, liblbfgs %d / %d\n", converged[0], found, converged[1], found);
    std::printf("  median solve time (CPU): trialode %.1f us, liblbfgs %.1f us, ratio %.2f\n", median(time[0]),
                median(time[1]), median(time[0]) / median(time[1]));
    std::printf("  median solve time (real): trialode %.1f us, liblbfgs %.1f us, ratio %.2f\n", median(wall[0]),
                median(wall[1]), median(wall[0]) / median(wall[1]));
    std::printf("  median evaluations: trialode %.0f, liblbfgs %.0f; total ratio %.3f\n", median(evaluations[0]),
                median(evaluations[1]), total_evaluations[0] / total_evaluations[1]);
    std::printf("  median time per evaluation, line search and direction included: trialode %.2f us, liblbfgs %.2f us, "
                "ratio %.2f\n",
                median(per_evaluation[0]), median(per_evaluation[1]), median(per_evaluation[0]) / median(per_evaluation[1]));
    std::printf("  median max |y - exp(-t)|: trialode %.2e, liblbfgs %.2e\n", median(errors[0]), median(errors[1]));
    many_starts_study(points, study_starts, 3);
  }
}

}  // namespace

int main(int argc, char** argv) {
  // Defaults that the command line may override: repetitions, interleaved so that both minimizers see
  // the same load on a shared machine.
  std::vector<char*> arguments(argv, argv + argc);
  std::string repetitions = "--benchmark_repetitions=3";
  std::string interleave = "--benchmark_enable_random_interleaving=true";
  arguments.insert(arguments.begin() + 1, {&repetitions[0], &interleave[0]});
  int count = static_cast<int>(arguments.size());
  benchmark::Initialize(&count, arguments.data());
  if (benchmark::ReportUnrecognizedArguments(count, arguments.data())) return 1;
  Collector collector;
  benchmark::RunSpecifiedBenchmarks(&collector);
  print_summary(collector);
  benchmark::Shutdown();
  return 0;
}
