// SPDX-License-Identifier: MIT
// Multi-start: the best start is kept, by its residual between the collocation points, whatever the number
// of threads, for variable projection and for L-BFGS with a fixed size; no more threads than starts.
#include <catch2/catch.hpp>

#include <trialode/trialode.hpp>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <limits>

#include "support/solved_problems.hpp"

using trialode::Method;
using trialode_test::decay_problem;

TEST_CASE("multi-start keeps the best start, whatever the number of threads", "[solve][variable_projection]") {
  const auto problem = decay_problem<double>();
  trialode::SolveOptions<double> options;
  options.method = Method::variable_projection;
  options.seed = 11;
  options.starts = 4;

  options.threads = 1;
  const auto serial = trialode_test::solve(problem, options);
  options.threads = 2;
  const auto parallel = trialode_test::solve(problem, options);
  CHECK(serial.network().parameters() == parallel.network().parameters());
  CHECK(serial.seed == parallel.seed);
  CHECK(serial.report.iterations == parallel.report.iterations);

  // The kept start is the one with the smallest residual on the check grid among seeds 11..14.
  double best = std::numeric_limits<double>::infinity();
  std::uint64_t best_seed = 0;
  for (std::uint64_t seed = 11; seed <= 14; ++seed) {
    trialode::SolveOptions<double> single = options;
    single.starts = 1;
    single.seed = seed;
    const auto solution = trialode_test::solve(problem, single);
    if (solution.max_residual_check < best) {
      best = solution.max_residual_check;
      best_seed = seed;
    }
  }
  CHECK(serial.seed == best_seed);
  CHECK(serial.max_residual_check == best);
}

TEST_CASE("multi-start with L-BFGS and a fixed size is also independent of the threads", "[solve][lbfgs]") {
  trialode::SolveOptions<double> options;
  options.points = 11;
  options.starts = 3;
  options.threads = 1;
  const auto serial = trialode_test::solve<10>(decay_problem<double>(), options);
  options.threads = 3;
  const auto parallel = trialode_test::solve<10>(decay_problem<double>(), options);
  CHECK(serial.network().parameters() == parallel.network().parameters());
  CHECK(serial.converged());
}

TEST_CASE("a thread count far beyond the starts runs on no more threads than starts, with the result of one", "[solve][variable_projection]") {
  const auto problem = decay_problem<double>();
  trialode::SolveOptions<double> options;
  options.method = Method::variable_projection;
  options.starts = 2;
  options.threads = 1;
  const auto serial = trialode_test::solve(problem, options);
  for (const int threads : {100000, INT_MAX}) {
    CAPTURE(threads);
    options.threads = threads;
    CHECK(trialode::detail::start_threads(options) <= 2);
    const auto parallel = trialode_test::solve(problem, options);
    CHECK(parallel.network().parameters() == serial.network().parameters());
    CHECK(parallel.seed == serial.seed);
  }
  // Many starts: as many threads as asked, up to the bound.
  options.starts = 1000;
  CHECK(trialode::detail::start_threads(options) >= 1);
  CHECK(trialode::detail::start_threads(options) <= trialode::detail::most_start_threads());
  CHECK(trialode::detail::most_start_threads() >= 1);
  options.threads = 3;
  CHECK(trialode::detail::start_threads(options) == std::min(3, trialode::detail::most_start_threads()));
}
