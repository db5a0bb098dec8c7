// SPDX-License-Identifier: MIT
// The collocation cost of a first-order problem, I(p) = sum_i (y'(t_i) - f(t_i, y(t_i)))^2, and its exact
// gradient with respect to all 3H weights, computed in one pass that shares the sigmoid values.
#pragma once

#include <Eigen/Core>

#include <algorithm>
#include <cmath>

#include "collocation.hpp"
#include "network.hpp"
#include "trial.hpp"

namespace trialode {

/// Cost and gradient of the trial solution \f$y = A + B N\f$ of \f$y' = f(t, y)\f$ at the collocation
/// points \f$t_i\f$ (Lagaris, Likas & Fotiadis 1998, eq. (11)):
/// \f[ I(p) = \sum_i r_i^2, \qquad r_i = y'(t_i) - f(t_i, y(t_i)). \f]
/// With \f$\partial y/\partial p = B\, \partial N/\partial p\f$ and
/// \f$\partial y'/\partial p = B'\, \partial N/\partial p + B\, \partial N'/\partial p\f$,
/// \f[ \frac{\partial r_i}{\partial p} = (B' - f_y B)\frac{\partial N}{\partial p} + B \frac{\partial N'}{\partial p}, \f]
/// where, for unit \f$k\f$ with \f$z = w_k t + u_k\f$,
/// \f$\partial N/\partial(v_k, w_k, u_k) = (s,\; v_k t s',\; v_k s')\f$ and
/// \f$\partial N'/\partial(v_k, w_k, u_k) = (w_k s',\; v_k s' + v_k w_k t s'',\; v_k w_k s'')\f$.
///
/// The object holds its own workspace: evaluating it allocates nothing, and one object must not be used
/// from two threads at once.
template <typename Problem, int Hidden = Eigen::Dynamic>
class FirstOrderCost {
 public:
  using Scalar = typename Problem::scalar_type;
  using Network = SigmoidNetwork<Scalar, Hidden>;
  using Parameters = typename Network::Parameters;
  using Points = Eigen::Array<Scalar, Eigen::Dynamic, 1>;
  /// One residual per collocation point.
  using Residuals = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
  /// \f$J_{ij} = \partial r_i / \partial p_j\f$: a row per point, a column per weight, ordered \f$(v, w, u)\f$.
  using Jacobian = Eigen::Matrix<Scalar, Eigen::Dynamic, Network::parameter_size>;

  /// The cost of `problem` at `points` (checked to lie in \f$[t_0, t_1]\f$) for a network of `hidden` units.
  FirstOrderCost(const Problem& problem, Eigen::Index hidden, const Points& points)
      : problem_(problem), hidden_(Network(hidden).hidden_units()), t_(points) {
    problem_.check();
    check_collocation_points(t_, problem_.t0, problem_.t1);
    const FirstOrderTrial<Scalar> trial{problem_.t0, problem_.y0};
    b_.resize(t_.size());
    for (Eigen::Index i = 0; i < t_.size(); ++i) b_[i] = trial.basis(t_[i]).b;
    s_.resize(hidden_);
    s1_.resize(hidden_);
    vs1_.resize(hidden_);
    du_.resize(hidden_);
  }

  Eigen::Index hidden_units() const { return hidden_; }
  Eigen::Index parameter_count() const { return 3 * hidden_; }
  /// Number of residuals, one per collocation point.
  Eigen::Index residual_count() const { return t_.size(); }
  const Points& points() const { return t_; }
  const Problem& problem() const { return problem_; }
  FirstOrderTrial<Scalar> trial() const { return {problem_.t0, problem_.y0}; }

  /// \f$I(p)\f$, and its gradient into `grad` (resized if needed).
  Scalar operator()(const Parameters& p, Parameters& grad) {
    grad.resize(3 * hidden_);
    grad.setZero();
    const Eigen::Index h = hidden_;
    const auto v = p.segment(0, h).array();
    const auto w = p.segment(h, h).array();
    const auto u = p.segment(2 * h, h).array();
    auto gv = grad.segment(0, h).array();
    auto gw = grad.segment(h, h).array();
    auto gu = grad.segment(2 * h, h).array();
    Scalar cost(0);
    for (Eigen::Index i = 0; i < t_.size(); ++i) {
      const Scalar t = t_[i];
      const Scalar b = b_[i];
      s_ = (Scalar(1) + (-(w * t + u)).exp()).inverse();  // one exponential per unit serves s, s', s''
      s1_ = s_ * (Scalar(1) - s_);
      vs1_ = v * s1_;
      const Scalar n = (v * s_).sum();
      const Scalar dn = (w * vs1_).sum();
      const Scalar y = problem_.y0 + b * n;
      const Scalar r = n + b * dn - static_cast<Scalar>(problem_.f(t, y));  // y' = B' N + B N' with B' = 1
      const Scalar fy = static_cast<Scalar>(problem_.dfdy(t, y));
      cost += r * r;
      const Scalar alpha = Scalar(2) * r * (Scalar(1) - fy * b);  // 2 r (B' - f_y B)
      const Scalar beta = Scalar(2) * r * b;                     // 2 r B
      // dr/du_k = alpha v s' + beta v w s'', with s'' = s'(1 - 2s)
      du_ = vs1_ * (alpha + beta * w * (Scalar(1) - Scalar(2) * s_));
      gv += alpha * s_ + beta * w * s1_;
      gu += du_;
      gw += t * du_ + beta * vs1_;  // dN/dw = t dN/du, dN'/dw = t dN'/du + v s'
    }
    return cost;
  }

  /// The residuals \f$r_i\f$ and their Jacobian (both resized if needed); \f$I = \|r\|^2\f$ and
  /// \f$\nabla I = 2 J^T r\f$. For least-squares minimizers.
  void residuals(const Parameters& p, Residuals& r, Jacobian& jacobian) {
    const Eigen::Index h = hidden_;
    r.resize(t_.size());
    jacobian.resize(t_.size(), 3 * h);
    const auto v = p.segment(0, h).array();
    const auto w = p.segment(h, h).array();
    const auto u = p.segment(2 * h, h).array();
    for (Eigen::Index i = 0; i < t_.size(); ++i) {
      const Scalar t = t_[i];
      const Scalar b = b_[i];
      s_ = (Scalar(1) + (-(w * t + u)).exp()).inverse();
      s1_ = s_ * (Scalar(1) - s_);
      vs1_ = v * s1_;
      const Scalar n = (v * s_).sum();
      const Scalar dn = (w * vs1_).sum();
      const Scalar y = problem_.y0 + b * n;
      r[i] = n + b * dn - static_cast<Scalar>(problem_.f(t, y));
      const Scalar alpha = Scalar(1) - static_cast<Scalar>(problem_.dfdy(t, y)) * b;  // B' - f_y B
      du_ = vs1_ * (alpha + b * w * (Scalar(1) - Scalar(2) * s_));
      jacobian.row(i).segment(0, h) = (alpha * s_ + b * w * s1_).matrix().transpose();
      jacobian.row(i).segment(h, h) = (t * du_ + b * vs1_).matrix().transpose();
      jacobian.row(i).segment(2 * h, h) = du_.matrix().transpose();
    }
  }

  /// \f$I(p)\f$ alone.
  Scalar value(const Parameters& p) {
    const Eigen::Index h = hidden_;
    const auto v = p.segment(0, h).array();
    const auto w = p.segment(h, h).array();
    const auto u = p.segment(2 * h, h).array();
    Scalar cost(0);
    for (Eigen::Index i = 0; i < t_.size(); ++i) {
      const Scalar t = t_[i];
      s_ = (Scalar(1) + (-(w * t + u)).exp()).inverse();
      const Scalar n = (v * s_).sum();
      const Scalar dn = (w * v * s_ * (Scalar(1) - s_)).sum();
      const Scalar y = problem_.y0 + b_[i] * n;
      const Scalar r = n + b_[i] * dn - static_cast<Scalar>(problem_.f(t, y));
      cost += r * r;
    }
    return cost;
  }

 private:
  Problem problem_;
  Eigen::Index hidden_;
  Points t_;  ///< collocation points
  Points b_;  ///< \f$B(t_i) = t_i - t_0\f$
  typename Network::UnitArray s_, s1_, vs1_, du_;
};

/// \f$\max_j |y'(t_j) - f(t_j, y(t_j))|\f$ of a trial solution over the points `t`; NaN if any residual is.
template <typename Problem, typename Solution, typename Derived>
typename Problem::scalar_type max_abs_residual(const Problem& problem, const Solution& solution,
                                               const Eigen::DenseBase<Derived>& t) {
  using Scalar = typename Problem::scalar_type;
  using std::abs;
  using std::isnan;
  Scalar worst(0);
  for (Eigen::Index j = 0; j < t.size(); ++j) {
    const Scalar tj = t.derived().coeff(j);
    const auto values = solution.evaluate(tj);
    const Scalar r = abs(values.dy - static_cast<Scalar>(problem.f(tj, values.y)));
    if (isnan(r)) return r;
    worst = std::max(worst, r);
  }
  return worst;
}

}  // namespace trialode
