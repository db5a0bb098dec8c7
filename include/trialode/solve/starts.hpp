// SPDX-License-Identifier: MIT
// Multi-start: the per-start pipeline run from several seeds, in parallel with OpenMP, keeping the start
// whose solution has the smallest residual between the collocation points.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "options.hpp"

namespace trialode {
namespace detail {

/// The most threads a multi-start runs on, whatever `SolveOptions::threads` asks: 256, or the hardware's
/// threads when there are more, and never more than OpenMP's thread limit (`OMP_THREAD_LIMIT`). The starts
/// are bound by the processor, so threads beyond the hardware's only take turns; 256 leaves room for a
/// deliberate excess and stays far below the thousands at which creating threads fails (60000 threads of
/// libgomp ended the process, 100000 crashed it).
inline int most_start_threads() {
  int most = std::max(256, static_cast<int>(std::min(std::thread::hardware_concurrency(), 1u << 20)));
#ifdef _OPENMP
  most = std::min(most, std::max(1, omp_get_thread_limit()));
#endif
  return most;
}

/// The threads the starts of `options` run on: `options.threads`, but no more than `options.starts` (a thread
/// without a start would only be created and joined) and no more than `most_start_threads()`; at least 1.
template <typename Scalar>
int start_threads(const SolveOptions<Scalar>& options) {
  return std::max(1, std::min({options.threads, options.starts, most_start_threads()}));
}

/// Runs `solve_one(options_k)` for the starts \f$k = 0, \dots,\f$ `options.starts - 1`, with seed
/// `options.seed + k` and one start each, in parallel on `start_threads(options)` threads when compiled with
/// OpenMP, and returns the solution with the smallest `max_residual_check` (NaN counts as largest; the
/// earliest start on a tie), so that the result does not depend on the number of threads. An exception of
/// a start is rethrown, the earliest start's first.
template <typename Scalar, typename SolveOne>
auto best_of_starts(const SolveOptions<Scalar>& options, SolveOne&& solve_one) {
  SolveOptions<Scalar> single = options;
  single.starts = 1;
  if (options.starts == 1) return solve_one(static_cast<const SolveOptions<Scalar>&>(single));
  using Result = decltype(solve_one(static_cast<const SolveOptions<Scalar>&>(single)));
  std::vector<std::optional<Result>> results(static_cast<std::size_t>(options.starts));
  std::vector<std::exception_ptr> errors(results.size());
  const int starts = options.starts;
#ifdef _OPENMP
#pragma omp parallel for schedule(dynamic, 1) num_threads(start_threads(options))
#endif
  for (int k = 0; k < starts; ++k) {
    const auto index = static_cast<std::size_t>(k);
    try {
      SolveOptions<Scalar> mine = single;
      mine.seed = options.seed + static_cast<std::uint64_t>(k);
      if (k > 0) mine.initial_weights.resize(0);
      results[index].emplace(solve_one(static_cast<const SolveOptions<Scalar>&>(mine)));
    } catch (...) {
      errors[index] = std::current_exception();
    }
  }
  for (const std::exception_ptr& error : errors) {
    if (error) std::rethrow_exception(error);
  }
  std::size_t best = 0;
  for (std::size_t k = 1; k < results.size(); ++k) {
    const Scalar candidate = results[k]->max_residual_check;
    const Scalar incumbent = results[best]->max_residual_check;
    using std::isnan;
    if (isnan(incumbent) ? !isnan(candidate) : candidate < incumbent) best = k;
  }
  return std::move(*results[best]);
}

}  // namespace detail
}  // namespace trialode
