// SPDX-License-Identifier: MIT
// What a minimizer reports when it stops: why it stopped, how much work it did and where it ended.
// Shared by every minimizer of the library; knows nothing of ODEs.
#pragma once

#include <functional>
#include <string>

namespace trialode {

/// Why a minimizer stopped. The first five are convergence, the rest are limits or failures, each named
/// for what happened; a minimizer reports only the statuses its own tests can produce.
enum class MinimizerStatus {
  converged_gradient,           ///< \f$\|g\| \le\f$ the absolute gradient tolerance
  converged_relative_gradient,  ///< \f$\|g\| \le\f$ the relative tolerance times \f$\|g_0\|\f$
  converged_decrease,           ///< relative decrease of f over the last few iterations below the tolerance
  converged_step,               ///< the step fell below the relative step tolerance (least-squares
                                ///< minimizers: f cannot be lowered at working precision)
  converged_linear,             ///< random features with a linear f (tested, or declared and checked after
                                ///< the solve): one least-squares solve gave the minimum
  iteration_limit,              ///< the iteration limit was reached first
  evaluation_limit,             ///< the evaluation limit was reached first
  line_search_failed,           ///< L-BFGS: no acceptable step, even after a restart from steepest descent
  damping_limit,                ///< Levenberg-Marquardt: no step lowered f, even with the largest damping
  stalled,                      ///< the cost stopped falling, but not at a minimum: random features whose
                                ///< residual is not orthogonal to the features, or a decrease or step test
                                ///< met while f had not fallen below its start (a plateau)
  rank_deficient,               ///< random features: the feature matrix has no usable column (rank 0), so
                                ///< nothing could be fitted
  diverged,                     ///< quasilinearization: the linearizations did not settle (a fit gave more
                                ///< than twice the best cost, or NaN); the best weights are kept
  non_finite,                   ///< f or its gradient was NaN or infinite at the start point, or such
                                ///< values stopped every step
  conditions_violated,          ///< `LinearConditionProblem`: the fit ended, but rounding in its large output
                                ///< weights left a condition violated (`condition_violations`, over the sum
                                ///< of the condition's weights \f$|a_i|/L^{d_i}\f$ and \f$|b| L\f$), or could
                                ///< (\f$\varepsilon\f$ times the sum of their sizes), by more than
                                ///< \f$\sqrt\varepsilon\f$ times the solution's scale
  converged_tolerance,          ///< `solve()` with `SolveOptions::tolerance`: the solution's error bound met it
  tolerance_not_met,            ///< `solve()` with `SolveOptions::tolerance`: the limits (segments, units) were
                                ///< reached with the error bound still above it; the best solution is returned
  stopped_by_callback,          ///< the iteration callback asked to stop
  not_run                       ///< no minimization has run: a default-constructed report, such as that
                                ///< of a solution read by `load`
};

/// Short lower-case name of a status, e.g. "converged_gradient".
inline const char* to_string(MinimizerStatus status) {
  switch (status) {
    case MinimizerStatus::converged_gradient: return "converged_gradient";
    case MinimizerStatus::converged_relative_gradient: return "converged_relative_gradient";
    case MinimizerStatus::converged_decrease: return "converged_decrease";
    case MinimizerStatus::converged_step: return "converged_step";
    case MinimizerStatus::converged_linear: return "converged_linear";
    case MinimizerStatus::iteration_limit: return "iteration_limit";
    case MinimizerStatus::evaluation_limit: return "evaluation_limit";
    case MinimizerStatus::line_search_failed: return "line_search_failed";
    case MinimizerStatus::damping_limit: return "damping_limit";
    case MinimizerStatus::stalled: return "stalled";
    case MinimizerStatus::rank_deficient: return "rank_deficient";
    case MinimizerStatus::diverged: return "diverged";
    case MinimizerStatus::non_finite: return "non_finite";
    case MinimizerStatus::stopped_by_callback: return "stopped_by_callback";
    case MinimizerStatus::conditions_violated: return "conditions_violated";
    case MinimizerStatus::converged_tolerance: return "converged_tolerance";
    case MinimizerStatus::tolerance_not_met: return "tolerance_not_met";
    case MinimizerStatus::not_run: return "not_run";
  }
  return "unknown";
}

namespace detail {

/// True for the statuses that mean a convergence test was met.
inline bool is_converged(MinimizerStatus status) {
  return status == MinimizerStatus::converged_gradient ||
         status == MinimizerStatus::converged_relative_gradient ||
         status == MinimizerStatus::converged_decrease || status == MinimizerStatus::converged_step ||
         status == MinimizerStatus::converged_linear || status == MinimizerStatus::converged_tolerance;
}

}  // namespace detail

/// The outcome of one minimization. The point the minimizer leaves behind is always the best finite
/// point it evaluated, and `f` and `gradient_norm` are the values there.
template <typename Scalar>
struct MinimizerReport {
  MinimizerStatus status = MinimizerStatus::not_run;  ///< why it stopped; `not_run` until a minimization has run
  int iterations = 0;                ///< accepted steps
  int evaluations = 0;               ///< calls of the objective (value and gradient together)
  Scalar f = Scalar(0);              ///< objective at the returned point
  Scalar gradient_norm = Scalar(0);  ///< Euclidean norm of the gradient at the returned point
  Scalar initial_f = Scalar(0);      ///< objective at the start point
  Scalar initial_gradient_norm = Scalar(0);  ///< Euclidean norm of the gradient at the start point, \f$\|g_0\|\f$
  int restarts = 0;                  ///< times the memory was discarded (non-descent direction or failed line search)
  std::string message = "No minimization has run.";  ///< one sentence saying why it stopped, for people

  /// True when `status` says a convergence test was met (one of the `converged_*` statuses).
  bool converged() const { return detail::is_converged(status); }
};

/// What an iteration callback sees after every accepted step. Return `false` from the callback to stop.
template <typename Scalar>
struct IterationInfo {
  int iteration = 0;                 ///< number of accepted steps so far (1 after the first)
  int evaluations = 0;               ///< objective calls so far
  Scalar f = Scalar(0);              ///< objective at the new point
  Scalar gradient_norm = Scalar(0);  ///< gradient norm at the new point
  Scalar step = Scalar(0);           ///< step length taken along the search direction
};

/// The one callback type of every minimizer and of `solve()`: called after every accepted step, it returns
/// false to stop the run (`MinimizerStatus::stopped_by_callback`). An empty one is never called.
template <typename Scalar>
using IterationCallback = std::function<bool(const IterationInfo<Scalar>&)>;

}  // namespace trialode
