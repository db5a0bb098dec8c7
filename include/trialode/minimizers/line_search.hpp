// SPDX-License-Identifier: MIT
// A line search along a descent direction that returns a step satisfying the strong Wolfe conditions,
// after More & Thuente (1994). Used by the L-BFGS minimizer; it works on caller-provided vectors only.
#pragma once

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <type_traits>

#include "detail/more_thuente_step.hpp"

namespace trialode {

/// Parameters of the strong Wolfe line search. A step \f$\alpha\f$ along the direction \f$d\f$ from
/// \f$x_0\f$ is accepted when, with \f$\phi(\alpha) = f(x_0 + \alpha d)\f$,
/// \f$\phi(\alpha) \le \phi(0) + c_1 \alpha \phi'(0)\f$ and \f$|\phi'(\alpha)| \le c_2 |\phi'(0)|\f$.
template <typename Scalar>
struct LineSearchParameters {
  /// \f$c_1\f$ of the sufficient decrease (Armijo) condition; default \f$10^{-4}\f$. Needs \f$0 < c_1 < c_2\f$.
  Scalar sufficient_decrease = Scalar(1e-4);
  /// \f$c_2\f$ of the strong curvature condition; default 0.9, the usual value for quasi-Newton methods.
  /// Needs \f$c_1 < c_2 < 1\f$.
  Scalar curvature = Scalar(0.9);
  /// Most objective evaluations one line search may use; default 40.
  int max_evaluations = 40;
  /// Smallest step the search may try; default 0, no bound: L-BFGS starts from \f$1/\|g\|\f$, which is
  /// far below any fixed bound for a badly scaled objective. Needs \f$0 \le\f$ `min_step` \f$<\f$ `max_step`.
  Scalar min_step = Scalar(0);
  /// Largest step the search may try; default \f$10^{20}\f$.
  Scalar max_step = Scalar(1e20);
  /// The search gives up when the bracket \f$[\alpha_l, \alpha_u]\f$ around the step is narrower than
  /// this fraction of its upper end; default the machine epsilon of Scalar.
  Scalar interval_tolerance = std::numeric_limits<Scalar>::epsilon();

  /// Throws `std::invalid_argument` naming the first field out of range (NaN is always out of range).
  void check() const {
    if (!(sufficient_decrease > Scalar(0) && sufficient_decrease < Scalar(1))) {
      throw std::invalid_argument("LineSearchParameters::sufficient_decrease must lie in (0, 1)");
    }
    if (!(curvature > sufficient_decrease && curvature < Scalar(1))) {
      throw std::invalid_argument("LineSearchParameters::curvature must lie in (sufficient_decrease, 1)");
    }
    if (max_evaluations < 1) throw std::invalid_argument("LineSearchParameters::max_evaluations must be at least 1");
    if (!(min_step >= Scalar(0) && min_step < std::numeric_limits<Scalar>::infinity())) {
      throw std::invalid_argument("LineSearchParameters::min_step must be finite and non-negative");
    }
    if (!(max_step > min_step && max_step < std::numeric_limits<Scalar>::infinity())) {
      throw std::invalid_argument("LineSearchParameters::max_step must be finite and greater than min_step");
    }
    if (!(interval_tolerance >= Scalar(0) && interval_tolerance < Scalar(1))) {
      throw std::invalid_argument("LineSearchParameters::interval_tolerance must lie in [0, 1)");
    }
  }
};

namespace detail {

/// How a line search ended. Only `converged` means the returned step satisfies the strong Wolfe conditions.
enum class LineSearchStatus {
  converged,         ///< both strong Wolfe conditions hold at the returned step
  not_descent,       ///< \f$\phi'(0) \ge 0\f$ or not finite: the direction does not go down
  evaluation_limit,  ///< the evaluation limit was reached first
  no_progress,       ///< the bracket became narrower than the tolerance, or rounding stalled the search
  step_at_minimum,   ///< the step reached `min_step` without an acceptable point
  step_at_maximum    ///< the step reached `max_step` while the function still decreased
};

/// What a line search returns.
template <typename Scalar>
struct LineSearchResult {
  LineSearchStatus status = LineSearchStatus::not_descent;
  /// On success the accepted step; otherwise the best end of the final bracket, a finite point no higher
  /// than the start (0 when no trial improved on it).
  Scalar step = Scalar(0);
  /// \f$\phi\f$ at `step`.
  Scalar f = Scalar(0);
  /// Objective calls made by this search.
  int evaluations = 0;
  /// True when some trial point gave a NaN or infinite value or directional derivative.
  bool met_non_finite = false;

  bool converged() const { return status == LineSearchStatus::converged; }
};


/// The body of more_thuente_line_search, for callers that know the initial slope
/// \f$\phi'(0) = \nabla f(x_0)^T d\f$ already (L-BFGS computes it in the pass that forms \f$d\f$).
/// `objective` is called as `Scalar(const Vector& x, Vector& grad, Scalar step)` with
/// \f$x = x_0 + \alpha d\f$ and \f$\alpha\f$ = `step`, so that a caller can tell which trial it sees.
template <typename Scalar, int Size, typename Objective>
LineSearchResult<Scalar> more_thuente_search(Objective&& objective, const Eigen::Matrix<Scalar, Size, 1>& x0,
                                             Scalar f0, Scalar slope0,
                                             const Eigen::Matrix<Scalar, Size, 1>& direction, Scalar initial_step,
                                             Eigen::Matrix<Scalar, Size, 1>& x, Eigen::Matrix<Scalar, Size, 1>& g,
                                             const LineSearchParameters<Scalar>& parameters, int evaluation_budget) {
  using Vector = Eigen::Matrix<Scalar, Size, 1>;
  using std::abs;
  using std::isfinite;
  constexpr Scalar extrapolate_min = Scalar(1.1);  // the next unbracketed trial lies in
  constexpr Scalar extrapolate_max = Scalar(4);    // [t + 1.1 (t - a), t + 4 (t - a)]
  const Scalar infinity = std::numeric_limits<Scalar>::infinity();

  LineSearchResult<Scalar> result;
  result.f = f0;
  if (!(slope0 < Scalar(0)) || !isfinite(slope0)) return result;

  const int limit = std::min(parameters.max_evaluations, evaluation_budget);
  const Scalar decrease_slope = parameters.sufficient_decrease * slope0;  // c1 phi'(0)
  const Scalar curvature_bound = parameters.curvature * -slope0;          // c2 |phi'(0)|
  const Scalar min_step = parameters.min_step;
  const Scalar max_step = parameters.max_step;

  SearchInterval<Scalar> interval{Scalar(0), f0, slope0, Scalar(0), f0, slope0, false};
  bool auxiliary = true;  // interpolate psi instead of phi (stage 1 of the paper)
  Scalar width = max_step - min_step;
  Scalar previous_width = Scalar(2) * width;
  Scalar step = initial_step > Scalar(0) ? initial_step : Scalar(1);
  step = std::max(min_step, std::min(max_step, step));
  Scalar lower = Scalar(0);
  Scalar upper = step + extrapolate_max * step;
  Scalar bad_above = infinity;  // the nearest non-finite trials above and below the best end
  Scalar bad_below = -infinity;

  const auto finish = [&](LineSearchStatus status) {
    result.status = status;
    result.step = interval.best_step;
    result.f = interval.best_value;
    return result;
  };

  while (true) {
    if (result.evaluations >= limit) return finish(LineSearchStatus::evaluation_limit);
    x = x0 + step * direction;
    const Scalar value = static_cast<Scalar>(objective(static_cast<const Vector&>(x), g, step));
    ++result.evaluations;
    const Scalar slope = g.dot(direction);

    if (!isfinite(value) || !isfinite(slope)) {
      result.met_non_finite = true;
      if (step <= min_step) return finish(LineSearchStatus::step_at_minimum);
      if (step > interval.best_step) {
        bad_above = std::min(bad_above, step);
      } else {
        bad_below = std::max(bad_below, step);
      }
      const Scalar shorter = std::max(min_step, interval.best_step + Scalar(0.5) * (step - interval.best_step));
      if (shorter == step || shorter == interval.best_step) return finish(LineSearchStatus::no_progress);
      step = shorter;
      continue;
    }

    const Scalar armijo_bound = f0 + step * decrease_slope;
    if (value <= armijo_bound && abs(slope) <= curvature_bound) {
      result.status = LineSearchStatus::converged;
      result.step = step;
      result.f = value;
      return result;
    }
    if (step == max_step && value <= armijo_bound && slope <= decrease_slope) {
      return finish(LineSearchStatus::step_at_maximum);
    }
    if (step == min_step && (value > armijo_bound || slope >= decrease_slope)) {
      return finish(LineSearchStatus::step_at_minimum);
    }
    if (auxiliary && value <= armijo_bound && slope >= decrease_slope) auxiliary = false;

    if (auxiliary && value <= interval.best_value && value > armijo_bound) {
      // Interpolate psi(t) = phi(t) - phi(0) - c1 t phi'(0); the constant phi(0) drops out of every
      // comparison, so the values are shifted by -c1 t phi'(0) only, and shifted back afterwards.
      interval.best_value -= interval.best_step * decrease_slope;
      interval.other_value -= interval.other_step * decrease_slope;
      interval.best_slope -= decrease_slope;
      interval.other_slope -= decrease_slope;
      step = more_thuente_next_step(interval, step, value - step * decrease_slope, slope - decrease_slope,
                                            lower, upper);
      interval.best_value += interval.best_step * decrease_slope;
      interval.other_value += interval.other_step * decrease_slope;
      interval.best_slope += decrease_slope;
      interval.other_slope += decrease_slope;
    } else {
      step = more_thuente_next_step(interval, step, value, slope, lower, upper);
    }

    if (interval.bracketed) {
      // Force a bisection when the bracket did not shrink enough over the last two steps.
      const Scalar new_width = abs(interval.other_step - interval.best_step);
      if (new_width >= Scalar(0.66) * previous_width) {
        step = interval.best_step + Scalar(0.5) * (interval.other_step - interval.best_step);
      }
      previous_width = width;
      width = new_width;
    }
    step = std::max(min_step, std::min(max_step, step));
    if (step >= bad_above) step = interval.best_step + Scalar(0.5) * (bad_above - interval.best_step);
    if (step <= bad_below) step = interval.best_step + Scalar(0.5) * (bad_below - interval.best_step);

    if (interval.bracketed) {
      lower = std::min(interval.best_step, interval.other_step);
      upper = std::max(interval.best_step, interval.other_step);
      if (step <= lower || step >= upper || upper - lower <= parameters.interval_tolerance * upper) {
        return finish(LineSearchStatus::no_progress);
      }
    } else {
      if (bad_above < infinity && bad_above - interval.best_step <= parameters.interval_tolerance * bad_above) {
        return finish(LineSearchStatus::no_progress);  // pressed against a region of non-finite values
      }
      lower = step + extrapolate_min * (step - interval.best_step);
      upper = step + extrapolate_max * (step - interval.best_step);
    }
  }
}


/// Strong Wolfe line search of More & Thuente (1994), "Line search algorithms with guaranteed
/// sufficient decrease", ACM TOMS 20(3). The minimizer of \f$\phi\f$ is bracketed by extrapolation, then
/// the bracket is shrunk by safeguarded cubic and quadratic interpolation (detail::more_thuente_next_step).
/// Until a point with \f$\psi(\alpha) \le 0\f$ and \f$\psi'(\alpha) \ge 0\f$ is found the interpolation
/// works on the auxiliary function \f$\psi(\alpha) = \phi(\alpha) - \phi(0) - c_1 \alpha \phi'(0)\f$.
///
/// A trial point where the value or the directional derivative is NaN or infinite is treated as a step
/// too long: it is never interpolated, the next trial is halfway back towards the best point so far, and
/// later trials stay below it.
///
/// \param objective  callable as `Scalar(const Vector& x, Vector& grad)`, returning \f$f(x)\f$ and
///                   writing \f$\nabla f(x)\f$
/// \param x0, f0, g0 start point, \f$f(x_0)\f$ and \f$\nabla f(x_0)\f$
/// \param direction  search direction \f$d\f$; must satisfy \f$\nabla f(x_0)^T d < 0\f$
/// \param initial_step first trial step, clamped to [`min_step`, `max_step`] (1 if not positive)
/// \param x, g       receive the trial points and their gradients: on success the accepted
///                   \f$x_0 + \alpha d\f$ and its gradient, otherwise the last trial (or unchanged)
/// \param evaluation_budget at most this many evaluations, besides `parameters.max_evaluations`
///
/// Allocates nothing: all vectors must already have the size of `x0`.
template <typename Scalar, int Size, typename Objective>
LineSearchResult<Scalar> more_thuente_line_search(Objective&& objective, const Eigen::Matrix<Scalar, Size, 1>& x0,
                                                  Scalar f0, const Eigen::Matrix<Scalar, Size, 1>& g0,
                                                  const Eigen::Matrix<Scalar, Size, 1>& direction, Scalar initial_step,
                                                  Eigen::Matrix<Scalar, Size, 1>& x, Eigen::Matrix<Scalar, Size, 1>& g,
                                                  const LineSearchParameters<Scalar>& parameters,
                                                  int evaluation_budget = std::numeric_limits<int>::max()) {
  using Vector = Eigen::Matrix<Scalar, Size, 1>;
  static_assert(std::is_invocable_r_v<Scalar, Objective&, const Vector&, Vector&>,
                "The objective must be callable as Scalar f(const Vector& x, Vector& grad): it returns f(x) and "
                "writes the gradient of f at x into grad.");
  return more_thuente_search(
      [&objective](const Vector& point, Vector& grad, Scalar) { return static_cast<Scalar>(objective(point, grad)); },
      x0, f0, g0.dot(direction), direction, initial_step, x, g, parameters, evaluation_budget);
}

}  // namespace detail

}  // namespace trialode
