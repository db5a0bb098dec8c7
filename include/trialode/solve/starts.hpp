// SPDX-License-Identifier: MIT
// Multi-start: the per-start pipeline run from several seeds, in parallel with OpenMP, keeping the start
// whose solution has the smallest residual between the collocation points.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <exception>
#include <memory>
#include <thread>
#include <utility>

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

/// True when a start's solution with residual `candidate` (start `k`) is to be kept over the one with
/// `incumbent` (start `kept`): the smaller residual, NaN counting as the largest, the earlier start on a tie.
/// A strict order on (residual, start), so the start kept does not depend on the order the starts end in.
template <typename Scalar>
bool better_start(Scalar candidate, int k, Scalar incumbent, int kept) {
  using std::isnan;
  if (isnan(incumbent)) return !isnan(candidate) || k < kept;
  if (isnan(candidate)) return false;
  return candidate < incumbent || (candidate == incumbent && k < kept);
}

/// Runs `solve_one(options_k)` for the starts \f$k = 0, \dots,\f$ `options.starts - 1`, with seed
/// `options.seed + k` and one start each, in parallel on `start_threads(options)` threads when compiled with
/// OpenMP, and returns the solution with the smallest `max_residual_check` (NaN counts as largest; the
/// earliest start on a tie), so that the result does not depend on the number of threads. Only the best
/// solution so far and those of the running starts are kept: memory does not grow with the starts. An
/// exception of a start is rethrown after every start has run, the earliest start's.
template <typename Scalar, typename SolveOne>
auto best_of_starts(const SolveOptions<Scalar>& options, SolveOne&& solve_one) {
  SolveOptions<Scalar> single = options;
  single.starts = 1;
  if (options.starts == 1) return solve_one(static_cast<const SolveOptions<Scalar>&>(single));
  using Result = decltype(solve_one(static_cast<const SolveOptions<Scalar>&>(single)));
  std::unique_ptr<Result> best;
  int best_start = -1;
  std::exception_ptr error;
  const int starts = options.starts;
  int error_start = starts;
#ifdef _OPENMP
#pragma omp parallel for schedule(dynamic, 1) num_threads(start_threads(options))
#endif
  for (int k = 0; k < starts; ++k) {
    try {
      SolveOptions<Scalar> mine = single;
      mine.seed = options.seed + static_cast<std::uint64_t>(k);
      if (k > 0) mine.initial_weights.resize(0);
      auto result = std::make_unique<Result>(solve_one(static_cast<const SolveOptions<Scalar>&>(mine)));
      // Only pointers change hands here; the solution that loses is freed outside, when `result` goes.
#ifdef _OPENMP
#pragma omp critical(trialode_best_of_starts)
#endif
      {
        if (!best || better_start(result->max_residual_check, k, best->max_residual_check, best_start)) {
          best.swap(result);
          best_start = k;
        }
      }
    } catch (...) {
#ifdef _OPENMP
#pragma omp critical(trialode_best_of_starts)
#endif
      {
        if (k < error_start) {
          error = std::current_exception();
          error_start = k;
        }
      }
    }
  }
  if (error) std::rethrow_exception(error);
  return std::move(*best);
}

}  // namespace detail
}  // namespace trialode
