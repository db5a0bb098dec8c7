// SPDX-License-Identifier: MIT
// One call from a problem and options to a trained solution, for every problem family: the inputs checked
// once, then per start one pipeline (detail/pipeline.hpp), in segments when time marching, or in the loop
// that meets a tolerance (detail/march.hpp).
#pragma once

#include <Eigen/Core>

#include <stdexcept>

#include "../approximation/trial.hpp"
#include "detail/march.hpp"
#include "detail/pipeline.hpp"
#include "options.hpp"
#include "solution.hpp"

namespace trialode {


/// Solves a problem of any family with its trial solution (Lagaris, Likas & Fotiadis 1998), minimizing the
/// collocation cost with `options.method` (L-BFGS by default), from `options.starts` seeds:
/// - `InitialValueProblem`, \f$y' = f(t, y)\f$, \f$y(t_0) = y_0\f$: \f$y = y_0 + (t - t_0) N(t)\f$;
/// - `SecondOrderProblem`, \f$y'' = f(t, y, y')\f$, \f$y(t_0) = y_0\f$, \f$y'(t_0) = y'_0\f$:
///   \f$y = y_0 + y'_0 (t - t_0) + (t - t_0)^2 N(t)\f$;
/// - `BoundaryValueProblem`, \f$y'' = f(t, y, y')\f$, \f$y(a) = y_a\f$, \f$y(b) = y_b\f$:
///   \f$y = y_a \frac{b - t}{b - a} + y_b \frac{t - a}{b - a} + (t - a)(b - t) N(t)\f$;
/// - `SystemProblem`, \f$y' = f(t, y)\f$, \f$y(t_0) = y_0 \in \mathbb{R}^n\f$: one network per component,
///   \f$y_j = y_{0j} + (t - t_0) N_j(t)\f$; `options.initial_weights`, when given, holds all \f$3Hn\f$
///   weights as `WeightLayout` places them.
///
/// `Method::variable_projection` is for scalar problems whose f is linear, `Method::quasilinearization` for
/// systems; `Method::random_features` fits only the output weights of a drawn hidden layer, for every family. The residual in `max_residual_collocation` and `max_residual_check` is \f$y' - f\f$, or
/// \f$y'' - f\f$ for second order (the largest component for a system). `Hidden` fixes the number of units
/// at compile time (`options.hidden_units` must then be 0 or equal to it). Returns a `Solution`, or a `SystemSolution`
/// for a system: `SolutionFor<Problem, Hidden>`.
///
/// Every solve fits in normalized variables (`detail::Normalization`): the time \f$z = (t - t_0)/(t_1 - t_0)\f$
/// in \f$[0, 1]\f$ and the solution \f$Y = y/c\f$, with \f$c\f$ the size of the conditions (\f$|y_0|\f$,
/// \f$\max(|y_0|, L|y'_0|)\f$, \f$\max(|y_a|, |y_b|)\f$; from f where they are 0). So a problem shifted
/// in time, stretched, or with a solution of size \f$10^{-100}\f$ or \f$10^{100}\f$ is fitted as the
/// plain one, to the same relative error. The networks returned are the problem's own, re-expressed: unit k
/// is \f$s(w_k (t - t_0) + u_k)\f$ (origin \f$t_0\f$, `SigmoidNetwork::origin`), and `initial_weights` are
/// read the same way. `report.f` and `report.initial_f` are the cost in the problem's units; the gradient
/// norms in the report and what the callback sees are those of the normalized fit.
///
/// Throws `std::invalid_argument` for a bad problem or bad options, before any work. Numerical trouble (a
/// non-finite f, a failed step, a limit) is reported in `solution.report.status`; the weights are then the
/// best finite ones found.
template <int Hidden = Eigen::Dynamic, typename Problem>
auto solve(const Problem& problem, const SolveOptions<typename Problem::scalar_type>& options = {}) {
  static_assert(detail::has_trial_form<Problem>,
                "solve: the problem must be an InitialValueProblem, a SecondOrderProblem, a BoundaryValueProblem, a "
                "SystemProblem or a LinearConditionProblem (trial_for chooses the trial form from the problem's type)");
  const auto run = [&options](const Problem& checked) {
    if (options.tolerance > 0) {
      checked.check();
      options.check(detail::network_count(checked));
      return detail::solve_to_tolerance<Hidden>(checked, options);
    }
    if (options.segments > 1) {
      if constexpr (detail::marches<Problem>) {
        checked.check();
        options.check(detail::network_count(checked));
        return detail::march<Hidden>(checked, options, detail::equal_ends(checked.t0, checked.t1, options.segments));
      } else {
        throw std::invalid_argument("solve: segments > 1 is for initial value problems and systems only");
      }
    }
    return detail::solve_checked<Hidden>(checked, options);
  };
  if constexpr (detail::is_constrained_trial<TrialFor<Problem>>) {
    if (problem.support.empty()) {  // chosen once, not again by every step that needs the trial form
      problem.check();
      Problem chosen = problem;
      chosen.support = trial_for(problem).support;
      return run(chosen);
    }
  }
  return run(problem);
}

}  // namespace trialode
