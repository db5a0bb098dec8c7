// SPDX-License-Identifier: MIT
// What every collocation cost holds and answers: the problem, the collocation points, the layout of its
// networks' weights, and the types of its weights, residuals and Jacobian.
#pragma once

#include <Eigen/Core>

#include "../../approximation/network.hpp"
#include "../../approximation/weights.hpp"

namespace trialode {
namespace detail {

/// The part every collocation cost shares. `Networks` is the number of networks when known at compile
/// time (1 for a scalar problem, \f$n\f$ for a system of fixed size), else `Eigen::Dynamic`.
template <typename Problem, int Hidden, int Networks = 1>
class CostBase {
 public:
  using Scalar = typename Problem::scalar_type;
  using Network = SigmoidNetwork<Scalar, Hidden>;
  /// Number of weights, \f$3Hn\f$, when known at compile time.
  static constexpr int parameter_size =
      (Hidden == Eigen::Dynamic || Networks == Eigen::Dynamic) ? Eigen::Dynamic : 3 * Hidden * Networks;
  /// All weights, laid out as `layout()` says.
  using Parameters = Eigen::Matrix<Scalar, parameter_size, 1>;
  using Points = Eigen::Array<Scalar, Eigen::Dynamic, 1>;
  /// The residuals: one per collocation point, or \f$n\f$ per point for a system (row \f$i n + j\f$).
  using Residuals = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
  /// \f$J_{ij} = \partial r_i / \partial p_j\f$: a row per residual, a column per weight.
  using Jacobian = Eigen::Matrix<Scalar, Eigen::Dynamic, parameter_size>;

  Eigen::Index hidden_units() const { return hidden_; }
  Eigen::Index parameter_count() const { return layout_.size(); }
  /// Where every network's weights sit in the parameters.
  const WeightLayout& layout() const { return layout_; }
  /// Number of residuals, one per collocation point and network.
  Eigen::Index residual_count() const { return t_.size() * layout_.networks(); }
  const Points& points() const { return t_; }
  const Problem& problem() const { return problem_; }

 protected:
  /// The cost of `problem` at `points` in \f$[t_0, t_1]\f$ for `networks` networks of `hidden` units; the
  /// problem and the points are the caller's to check (`solve()` does).
  CostBase(const Problem& problem, Eigen::Index hidden, const Points& points, Eigen::Index networks = 1)
      : problem_(problem), hidden_(Network(hidden).hidden_units()), layout_(hidden_, networks), t_(points) {}

  Problem problem_;
  Eigen::Index hidden_;
  WeightLayout layout_;  ///< the networks' weights
  Points t_;             ///< collocation points
};

}  // namespace detail
}  // namespace trialode
