// SPDX-License-Identifier: MIT
// The plumbing every minimizer's loop shares: the limit tests, the gradient tests, the iteration callback,
// the end of the report and the sentences for the statuses they have in common. Knows nothing of ODEs.
#pragma once

#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "../report.hpp"

namespace trialode {
namespace detail {

/// The limit tests made before every step: true, with `status` set, when `report` has reached
/// `max_iterations` accepted steps or `max_evaluations` objective calls.
template <typename Scalar>
bool limit_reached(const MinimizerReport<Scalar>& report, int max_iterations, int max_evaluations,
                   MinimizerStatus& status) {
  if (report.iterations >= max_iterations) {
    status = MinimizerStatus::iteration_limit;
    return true;
  }
  if (report.evaluations >= max_evaluations) {
    status = MinimizerStatus::evaluation_limit;
    return true;
  }
  return false;
}

/// The gradient tests every minimizer shares: \f$\|g\| \le\f$ `absolute`, then
/// \f$\|g\| \le\f$ `relative` \f$\cdot \|g_0\|\f$. On success sets `status` and returns true.
template <typename Scalar>
bool gradient_converged(Scalar gradient_norm, Scalar initial_gradient_norm, Scalar absolute, Scalar relative,
                        MinimizerStatus& status) {
  if (gradient_norm <= absolute) {
    status = MinimizerStatus::converged_gradient;
    return true;
  }
  if (gradient_norm <= relative * initial_gradient_norm) {
    status = MinimizerStatus::converged_relative_gradient;
    return true;
  }
  return false;
}

/// Tells `callback` (when there is one) about the step just accepted, with the counts of `report`; false,
/// with `status` set to `stopped_by_callback`, when it asks to stop.
template <typename Scalar>
bool go_on(const IterationCallback<Scalar>& callback, const MinimizerReport<Scalar>& report, Scalar f,
           Scalar gradient_norm, Scalar step, MinimizerStatus& status) {
  if (!callback) return true;
  IterationInfo<Scalar> info;
  info.iteration = report.iterations;
  info.evaluations = report.evaluations;
  info.f = f;
  info.gradient_norm = gradient_norm;
  info.step = step;
  if (callback(info)) return true;
  status = MinimizerStatus::stopped_by_callback;
  return false;
}

/// The sentence for the statuses every minimizer words alike (the gradient tests, the limits, the callback,
/// `not_run`); empty for the others, which each minimizer words itself.
inline std::string common_message(MinimizerStatus status, int max_iterations, int max_evaluations) {
  switch (status) {
    case MinimizerStatus::converged_gradient:
      return "Converged: the gradient norm fell to the absolute tolerance.";
    case MinimizerStatus::converged_relative_gradient:
      return "Converged: the gradient norm fell to the relative tolerance times its initial value.";
    case MinimizerStatus::iteration_limit:
      return "Stopped at the iteration limit (" + std::to_string(max_iterations) +
             ") before any convergence test was met.";
    case MinimizerStatus::evaluation_limit:
      return "Stopped at the evaluation limit (" + std::to_string(max_evaluations) +
             ") before any convergence test was met.";
    case MinimizerStatus::stopped_by_callback:
      return "Stopped by the iteration callback.";
    case MinimizerStatus::not_run:
      return "No minimization has run.";
    default:
      return "";
  }
}

/// Ends `report` with the status, the final values and the sentence: `own`, the minimizer's wording, for the
/// statuses `common_message` leaves empty. A decrease or step test met while f has not fallen below its
/// start by more than \f$\sqrt\varepsilon\f$ of it (`report.initial_f`) is a plateau, not a minimum: the
/// status becomes `stalled`.
template <typename Scalar>
void finish_report(MinimizerReport<Scalar>& report, MinimizerStatus status, Scalar f, Scalar gradient_norm,
                   int max_iterations, int max_evaluations, std::string own) {
  using std::sqrt;
  const Scalar margin = sqrt(std::numeric_limits<Scalar>::epsilon());
  if ((status == MinimizerStatus::converged_decrease || status == MinimizerStatus::converged_step) &&
      !(f < report.initial_f * (Scalar(1) - margin))) {
    own = std::string("Stalled: the ") + (status == MinimizerStatus::converged_step ? "step" : "decrease") +
          " test was met, but f did not fall below its starting value (a plateau or a first step that changed "
          "nothing, not a minimum).";
    status = MinimizerStatus::stalled;
  }
  report.status = status;
  report.f = f;
  report.gradient_norm = gradient_norm;
  report.message = common_message(status, max_iterations, max_evaluations);
  if (report.message.empty()) report.message = own.empty() ? "Stopped." : std::move(own);
}

}  // namespace detail
}  // namespace trialode
