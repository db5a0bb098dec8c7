// SPDX-License-Identifier: MIT
// The safeguarded interpolation step of the More & Thuente (1994) line search: from the interval of
// uncertainty and a new trial value it picks the next trial step and updates the interval.
#pragma once

#include <algorithm>
#include <cmath>

namespace trialode {
namespace detail {

/// The interval of uncertainty of the More-Thuente search. `best_*` is the end with the lowest value
/// seen so far (\f$\alpha_l\f$ in the paper), `other_*` the other end (\f$\alpha_u\f$); `*_slope` are the
/// directional derivatives there. Until `bracketed` is true the interval only grows.
template <typename Scalar>
struct SearchInterval {
  Scalar best_step;
  Scalar best_value;
  Scalar best_slope;
  Scalar other_step;
  Scalar other_value;
  Scalar other_slope;
  bool bracketed;
};

/// Minimizer of the cubic through \f$(a, f_a, f'_a)\f$ and \f$(b, f_b, f'_b)\f$, written as
/// \f$a + r (b - a)\f$ with \f$r = (\gamma - f'_a + \theta) / (2\gamma - f'_a + f'_b)\f$, where
/// \f$\theta = 3 (f_a - f_b) / (b - a) + f'_a + f'_b\f$ and
/// \f$\gamma = \mathrm{sign}(b - a) \sqrt{\theta^2 - f'_a f'_b}\f$ (Nocedal & Wright, eq. 3.59).
/// The terms are scaled by their largest magnitude so that nothing overflows. A negative radicand
/// (the cubic has no local minimizer) is taken as zero. Returns \f$r\f$; `gamma` receives \f$\gamma\f$.
template <typename Scalar>
Scalar cubic_minimizer_ratio(Scalar a, Scalar fa, Scalar da, Scalar b, Scalar fb, Scalar db, Scalar& gamma) {
  using std::abs;
  using std::sqrt;
  const Scalar theta = Scalar(3) * (fa - fb) / (b - a) + da + db;
  const Scalar scale = std::max({abs(theta), abs(da), abs(db)});
  if (!(scale > Scalar(0))) {
    gamma = Scalar(0);
    return Scalar(0.5);
  }
  const Scalar radicand = (theta / scale) * (theta / scale) - (da / scale) * (db / scale);
  gamma = scale * sqrt(std::max(Scalar(0), radicand));
  if (b < a) gamma = -gamma;
  const Scalar numerator = (gamma - da) + theta;
  const Scalar denominator = ((gamma - da) + gamma) + db;
  return numerator / denominator;
}

/// Minimizer of the quadratic through \f$(a, f_a, f'_a)\f$ and \f$(b, f_b)\f$:
/// \f$a + \frac{1}{2} \frac{f'_a}{f'_a - (f_b - f_a)/(b - a)} (b - a)\f$.
template <typename Scalar>
Scalar quadratic_minimizer(Scalar a, Scalar fa, Scalar da, Scalar b, Scalar fb) {
  return a + Scalar(0.5) * (da / (da - (fb - fa) / (b - a))) * (b - a);
}

/// Zero of the secant of the derivative through \f$(a, f'_a)\f$ and \f$(b, f'_b)\f$.
template <typename Scalar>
Scalar secant_zero(Scalar a, Scalar da, Scalar b, Scalar db) {
  return a + (da / (da - db)) * (b - a);
}

/// One step of the More-Thuente update. Given the interval, a trial `step` with value `value` and
/// derivative `slope`, and the bounds `lower`, `upper` for the next trial, returns the next trial step
/// and updates the interval. The four cases are those of More & Thuente (1994), section 4:
///  1. higher value than the best end: the minimizer is bracketed; take the cubic step if it is closer
///     to the best end than the quadratic one, otherwise the midpoint of the two;
///  2. lower value, derivative of opposite sign: bracketed; the cubic or the secant step, whichever is
///     farther from the trial;
///  3. lower value, same sign, derivative decreasing in magnitude: extrapolate with the cubic if its
///     minimizer lies beyond the trial, else with the secant, kept within 0.66 of the bracket;
///  4. lower value, same sign, derivative not decreasing: the cubic through the trial and the other end
///     when bracketed, otherwise the bound in the direction of descent.
/// Any non-finite interpolation falls back to bisection or to the bound.
template <typename Scalar>
Scalar more_thuente_next_step(SearchInterval<Scalar>& interval, Scalar step, Scalar value, Scalar slope,
                              Scalar lower, Scalar upper) {
  using std::abs;
  using std::isfinite;
  // The best end (a, fa, da) and the other end (b, fb, db) before the update.
  const Scalar a = interval.best_step;
  const Scalar fa = interval.best_value;
  const Scalar da = interval.best_slope;
  const Scalar b = interval.other_step;
  const Scalar fb = interval.other_value;
  const Scalar db = interval.other_slope;
  const bool opposite_signs = (slope > 0 && da < 0) || (slope < 0 && da > 0);
  const Scalar beyond_bound = step > a ? upper : lower;
  Scalar next;
  Scalar gamma;

  if (value > fa) {
    const Scalar cubic = a + cubic_minimizer_ratio(a, fa, da, step, value, slope, gamma) * (step - a);
    const Scalar quadratic = quadratic_minimizer(a, fa, da, step, value);
    next = abs(cubic - a) < abs(quadratic - a) ? cubic : cubic + Scalar(0.5) * (quadratic - cubic);
    if (!isfinite(next)) next = a + Scalar(0.5) * (step - a);
    interval.bracketed = true;
  } else if (opposite_signs) {
    const Scalar cubic = step + cubic_minimizer_ratio(step, value, slope, a, fa, da, gamma) * (a - step);
    const Scalar secant = secant_zero(step, slope, a, da);
    next = abs(cubic - step) > abs(secant - step) ? cubic : secant;
    if (!isfinite(next)) next = step + Scalar(0.5) * (a - step);
    interval.bracketed = true;
  } else if (abs(slope) < abs(da)) {
    const Scalar ratio = cubic_minimizer_ratio(step, value, slope, a, fa, da, gamma);
    // A negative ratio puts the cubic's minimizer beyond the trial, away from the best end.
    const Scalar cubic = (ratio < 0 && gamma != 0) ? step + ratio * (a - step) : beyond_bound;
    const Scalar secant = secant_zero(step, slope, a, da);
    if (interval.bracketed) {
      next = abs(cubic - step) < abs(secant - step) ? cubic : secant;
      const Scalar limit = step + Scalar(0.66) * (b - step);
      next = step > a ? std::min(limit, next) : std::max(limit, next);
      if (!isfinite(next)) next = limit;
    } else {
      next = abs(cubic - step) > abs(secant - step) ? cubic : secant;
      if (!isfinite(next)) next = beyond_bound;
      next = std::max(lower, std::min(upper, next));
    }
  } else if (interval.bracketed) {
    next = step + cubic_minimizer_ratio(step, value, slope, b, fb, db, gamma) * (b - step);
    if (!isfinite(next)) next = step + Scalar(0.5) * (b - step);
  } else {
    next = beyond_bound;
  }

  if (value > fa) {
    interval.other_step = step;
    interval.other_value = value;
    interval.other_slope = slope;
  } else {
    if (opposite_signs) {
      interval.other_step = a;
      interval.other_value = fa;
      interval.other_slope = da;
    }
    interval.best_step = step;
    interval.best_value = value;
    interval.best_slope = slope;
  }
  return next;
}

}  // namespace detail
}  // namespace trialode
