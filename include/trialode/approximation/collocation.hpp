// SPDX-License-Identifier: MIT
// Collocation points: where the residual of the equation is driven to zero, and the finer grid on which
// the solution is checked between them.
#pragma once

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "../problems/detail/interval.hpp"

namespace trialode {

/// How collocation points are placed in \f$[t_0, t_1]\f$.
enum class CollocationRule {
  equally_spaced,     ///< \f$t_i = t_0 + (t_1 - t_0)\, i/(n-1)\f$
  chebyshev_lobatto,  ///< Chebyshev-Gauss-Lobatto: \f$t_i = \tfrac{t_0+t_1}{2} - \tfrac{t_1-t_0}{2}\cos(\pi i/(n-1))\f$
  automatic,          ///< the method's own: Chebyshev-Lobatto for random features, else equally spaced
};

namespace detail {

/// `n >= 2` points of `[t0, t1]` by the given rule, both ends included, in increasing order
/// (`CollocationRule::automatic`, which `solve()` resolves before, counts as equally spaced here). Throws
/// `std::invalid_argument` when two neighbours round to the same number of `Scalar`: the interval is too short
/// for `n` points in that type (in float, \f$[10^6, 10^6 + 1]\f$ holds 17 numbers, 0.0625 apart).
template <typename Scalar>
Eigen::Array<Scalar, Eigen::Dynamic, 1> collocation_points(Scalar t0, Scalar t1, Eigen::Index n,
                                                           CollocationRule rule = CollocationRule::equally_spaced) {
  if (n < 2) throw std::invalid_argument("collocation_points: need at least 2 points, got " + std::to_string(n));
  Eigen::Array<Scalar, Eigen::Dynamic, 1> t(n);
  const Scalar length = t1 - t0;
  const auto last = static_cast<Scalar>(n - 1);
  for (Eigen::Index i = 0; i < n; ++i) {
    const auto fraction = static_cast<Scalar>(i) / last;
    if (rule != CollocationRule::chebyshev_lobatto) {
      t[i] = t0 + length * fraction;
    } else {
      using std::cos;
      const Scalar pi = Scalar(3.141592653589793238462643383279502884L);
      t[i] = t0 + length * (Scalar(1) - cos(pi * fraction)) / Scalar(2);
    }
  }
  t[n - 1] = t1;
  for (Eigen::Index i = 1; i < n; ++i) {
    if (!(t[i] > t[i - 1])) {
      throw std::invalid_argument("collocation points: [t0, t1] = [" + number_text(t0) + ", " + number_text(t1) +
                                  "] is too short for " + std::to_string(n) +
                                  " points in " + type_name<Scalar>() +
                                  ": neighbouring points round to the same number (lower points, or solve on a longer "
                                  "interval or in a wider type)");
    }
  }
  return t;
}

/// Throws `std::invalid_argument` unless `t` holds at least one point, all finite, inside `[t0, t1]` and
/// distinct (a repeated point adds nothing but weight, and hides how few points the fit really has).
template <typename Derived, typename Scalar>
void check_collocation_points(const Eigen::DenseBase<Derived>& t, Scalar t0, Scalar t1) {
  using std::isfinite;
  if (t.size() < 1) throw std::invalid_argument("collocation points: none given");
  std::vector<Scalar> sorted(static_cast<std::size_t>(t.size()));
  for (Eigen::Index i = 0; i < t.size(); ++i) sorted[static_cast<std::size_t>(i)] = t.derived().coeff(i);
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) {
    throw std::invalid_argument("collocation points: a point is repeated");
  }
  for (Eigen::Index i = 0; i < t.size(); ++i) {
    const Scalar ti = t.derived().coeff(i);
    if (!isfinite(ti)) throw std::invalid_argument("collocation points: point " + std::to_string(i) + " is not finite");
    if (ti < t0 || ti > t1) {
      throw std::invalid_argument("collocation points: point " + std::to_string(i) + " = " + std::to_string(static_cast<double>(ti)) +
                                  " lies outside [t0, t1]");
    }
  }
}

/// A grid finer than the collocation points for checking the solution between them: the ends
/// \f$t_0, t_1\f$ and the distinct points split the interval into \f$P\f$ pieces, and the grid has
/// \f$P \cdot\f$ `subdivisions` equal steps over \f$[t_0, t_1]\f$, ends included. For equally spaced points
/// that cuts every gap into `subdivisions` steps; for others (Chebyshev-Lobatto, the user's) the grid has as
/// many points, equally spaced, so that it can be evaluated a run of equally spaced points at a time.
template <typename Derived, typename Scalar>
Eigen::Array<Scalar, Eigen::Dynamic, 1> check_grid(const Eigen::DenseBase<Derived>& points, Scalar t0, Scalar t1,
                                                   Eigen::Index subdivisions) {
  if (subdivisions < 1) throw std::invalid_argument("check_grid: subdivisions must be at least 1");
  std::vector<Scalar> knots;
  knots.reserve(static_cast<std::size_t>(points.size()) + 2);
  knots.push_back(t0);
  for (Eigen::Index i = 0; i < points.size(); ++i) knots.push_back(points.derived().coeff(i));
  knots.push_back(t1);
  std::sort(knots.begin(), knots.end());
  const auto pieces = static_cast<Eigen::Index>(std::unique(knots.begin(), knots.end()) - knots.begin()) - 1;
  const Eigen::Index steps = std::max<Eigen::Index>(1, pieces) * subdivisions;
  Eigen::Array<Scalar, Eigen::Dynamic, 1> grid(steps + 1);
  for (Eigen::Index j = 0; j < steps; ++j) grid[j] = t0 + (t1 - t0) * (static_cast<Scalar>(j) / static_cast<Scalar>(steps));
  grid[steps] = t1;
  return grid;
}

}  // namespace detail

}  // namespace trialode
