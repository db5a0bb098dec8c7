// SPDX-License-Identifier: MIT
// The collocation cost of a second-order problem y'' = f(t, y, y'), initial or boundary value, with its
// exact gradient and its residual Jacobian; the trial form comes from the problem.
#pragma once

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <vector>

#include "../approximation/detail/unit_kernel.hpp"
#include "../approximation/network.hpp"
#include "../approximation/trial.hpp"
#include "../approximation/weights.hpp"
#include "detail/cost_base.hpp"
#include "residual.hpp"

namespace trialode {
namespace detail {

/// Cost and gradient of the trial solution \f$y = A + B N\f$ of \f$y'' = f(t, y, y')\f$ at the
/// collocation points \f$t_i\f$ (Lagaris, Likas & Fotiadis 1998, section III):
/// \f[ I(p) = \sum_i r_i^2, \qquad r_i = y''(t_i) - f(t_i, y(t_i), y'(t_i)), \f]
/// with \f$y'' = A'' + B'' N + 2 B' N' + B N''\f$ and
/// \f[ \frac{\partial r_i}{\partial p} = (B'' - f_y B - f_{y'} B') \frac{\partial N}{\partial p}
///     + (2 B' - f_{y'} B) \frac{\partial N'}{\partial p} + B \frac{\partial N''}{\partial p}. \f]
/// `Problem` is a `SecondOrderProblem` (trial \f$A = y_0 + y'_0 (t - t_0)\f$, \f$B = (t - t_0)^2\f$) or a
/// `BoundaryValueProblem` (`DirichletTrial`). Same interface as `FirstOrderCost`; the object holds its
/// workspace, allocates nothing when evaluated, and must not be shared between threads.
template <typename Problem, int Hidden = Eigen::Dynamic>
class SecondOrderCost : public CostBase<Problem, Hidden> {
  using Base = CostBase<Problem, Hidden>;
  using Base::hidden_;
  using Base::layout_;
  using Base::problem_;
  using Base::t_;

 public:
  using typename Base::Jacobian;
  using typename Base::Parameters;
  using typename Base::Points;
  using typename Base::Residuals;
  using typename Base::Scalar;
  using Trial = TrialFor<Problem>;

  /// The cost of `problem` at `points` in \f$[t_0, t_1]\f$ for a network of `hidden` units; the problem
  /// and the points are the caller's to check (`solve()` does).
  SecondOrderCost(const Problem& problem, Eigen::Index hidden, const Points& points)
      : Base(problem, hidden, points), kernel_(hidden_) {
    const Trial trial = trial_for(problem_);
    basis_.reserve(static_cast<std::size_t>(t_.size()));
    for (Eigen::Index i = 0; i < t_.size(); ++i) basis_.push_back(trial.basis(t_[i]));
    kept_.resize(4 * hidden_, t_.size());
    kept_theta_.resize(2 * hidden_);
  }

  /// \f$I(p)\f$, and its gradient into `grad` (resized if needed).
  Scalar operator()(const Parameters& p, Parameters& grad) {
    grad.resize(layout_.size());
    grad.setZero();
    Scalar cost(0);
    for (Eigen::Index i = 0; i < t_.size(); ++i) {
      Coefficients c = residual_at(p, i);
      cost += c.r * c.r;
      const Scalar twice_r = Scalar(2) * c.r;
      kernel_.accumulate(p, t_[i], twice_r * c.alpha, twice_r * c.beta, twice_r * c.gamma, grad);
    }
    return cost;
  }

  /// The residuals \f$r_i\f$ and their Jacobian (both resized if needed); \f$I = \|r\|^2\f$ and
  /// \f$\nabla I = 2 J^T r\f$. For least-squares minimizers.
  void residuals(const Parameters& p, Residuals& r, Jacobian& jacobian) {
    r.resize(t_.size());
    jacobian.setZero(t_.size(), layout_.size());
    for (Eigen::Index i = 0; i < t_.size(); ++i) {
      Coefficients c = residual_at(p, i);
      r[i] = c.r;
      kernel_.accumulate(p, t_[i], c.alpha, c.beta, c.gamma, jacobian.row(i).transpose());
    }
  }

  /// The residuals \f$r_i\f$ and their derivatives by the output weights alone (`phi`, a row per point and a
  /// column per unit, sized by the caller), the \f$v\f$ columns of `residuals()`' Jacobian: for random features.
  /// The sigmoids at every point are kept between calls and reused while \f$(w, u)\f$ stay the same (random
  /// features change v alone), bit for bit what computing them again would give.
  template <typename Phi>
  void output_residuals(const Parameters& p, Residuals& r, Phi& phi) {
    r.resize(t_.size());
    const bool fresh = !sigmoids_kept(p);
    kept_valid_ = kept_valid_ && !fresh;
    for (Eigen::Index i = 0; i < t_.size(); ++i) {
      const Coefficients c = residual_at(p, i, fresh, true);
      r[i] = c.r;
      kernel_.output_derivatives(p, c.alpha, c.beta, c.gamma, phi.row(i).transpose());
    }
    if (fresh) keep(p);
  }

  /// The residuals \f$r_i\f$ alone (`r` resized if needed), with the sigmoids kept as `output_residuals`
  /// keeps them.
  void residuals(const Parameters& p, Residuals& r) {
    r.resize(t_.size());
    const bool fresh = !sigmoids_kept(p);
    kept_valid_ = kept_valid_ && !fresh;
    for (Eigen::Index i = 0; i < t_.size(); ++i) r[i] = residual_at(p, i, fresh, true).r;
    if (fresh) keep(p);
  }

  /// \f$I(p)\f$ alone.
  Scalar value(const Parameters& p) {
    Scalar cost(0);
    for (Eigen::Index i = 0; i < t_.size(); ++i) {
      const Scalar t = t_[i];
      const Scalar r = residual(problem_, t, combine(basis_[static_cast<std::size_t>(i)], kernel_.evaluate(p, t)));
      cost += r * r;
    }
    return cost;
  }

 private:
  /// The residual at point i and the factors of dN/dp, dN'/dp, dN''/dp in its gradient.
  struct Coefficients {
    Scalar r, alpha, beta, gamma;
  };

  /// With `keep_sigmoids`, the sigmoids of point i are stored as they are computed (`fresh`), or taken
  /// from the store instead of computed (not `fresh`).
  Coefficients residual_at(const Parameters& p, Eigen::Index i, bool fresh = true, bool keep_sigmoids = false) {
    const Scalar t = t_[i];
    const TrialBasis<Scalar>& b = basis_[static_cast<std::size_t>(i)];
    NetworkValues<Scalar> net;
    if (fresh) {
      net = kernel_.evaluate(p, t);
      if (keep_sigmoids) kernel_.store(kept_.col(i));
    } else {
      kernel_.load(kept_.col(i));
      net = kernel_.values(p);
    }
    const auto [r, df] = residual_with_partials(problem_, t, combine(b, net));
    const Scalar fy = df[0];
    const Scalar fdy = df[1];
    return {r, b.d2b - fy * b.b - fdy * b.db, Scalar(2) * b.db - fdy * b.b, b.b};
  }

  /// True when the sigmoids kept for every point are those of the \f$(w, u)\f$ of `p`.
  bool sigmoids_kept(const Parameters& p) const { return kept_valid_ && layout_.theta(p, 0) == kept_theta_; }
  /// Records that the sigmoids just stored for every point are those of the \f$(w, u)\f$ of `p`.
  void keep(const Parameters& p) {
    kept_theta_ = layout_.theta(p, 0);
    kept_valid_ = true;
  }

  std::vector<TrialBasis<Scalar>> basis_;   ///< \f$A, B\f$ and their derivatives at each point
  UnitKernel<Scalar, Hidden, 2> kernel_;
  /// The sigmoids of every point (s and its first three derivatives, a column per point), for random features.
  Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic> kept_;
  Eigen::Matrix<Scalar, Eigen::Dynamic, 1> kept_theta_;  ///< the \f$(w, u)\f$ they belong to
  bool kept_valid_ = false;
};

}  // namespace detail
}  // namespace trialode
