// SPDX-License-Identifier: MIT
// The per-unit work shared by the costs of second-order and system problems: one network's N, N', N'' at
// a point, and the weight-derivatives of alpha dN/dp + beta dN'/dp + gamma dN''/dp, in one pass.
#pragma once

#include <Eigen/Core>

#include "../network.hpp"
#include "../weights.hpp"

namespace trialode {
namespace detail {

/// Workspace for one network of \f$H\f$ sigmoid units at one point \f$t\f$. `evaluate()` keeps
/// \f$s, s', s''\f$ (and \f$s'''\f$ when `Order == 2`) of every unit, \f$z_k = w_k t + u_k\f$; `accumulate()`
/// then adds, for the same weights and point,
/// \f$\alpha\, \partial N/\partial p + \beta\, \partial N'/\partial p + \gamma\, \partial N''/\partial p\f$
/// to a gradient segment or a Jacobian row, using
/// \f[ \frac{\partial N}{\partial (v_k, w_k, u_k)} = (s,\ v_k t s',\ v_k s'), \quad
///     \frac{\partial N'}{\partial (v_k, w_k, u_k)} = (w_k s',\ v_k s' + v_k w_k t s'',\ v_k w_k s''), \f]
/// \f[ \frac{\partial N''}{\partial (v_k, w_k, u_k)} = (w_k^2 s'',\ 2 v_k w_k s'' + v_k w_k^2 t s''',\ v_k w_k^2 s'''). \f]
/// `Order` is the highest derivative of \f$N\f$ in the residual (1 or 2). Nothing is allocated after construction.
template <typename Scalar, int Hidden, int Order>
class UnitKernel {
  static_assert(Order == 1 || Order == 2, "UnitKernel: Order is 1 or 2");

 public:
  using UnitArray = Eigen::Array<Scalar, Hidden, 1>;

  explicit UnitKernel(Eigen::Index hidden) : layout_(hidden) {
    // setZero, not a size argument to the constructor: a fixed-size Array would take it as a fill value
    for (UnitArray* a : {&s_, &s1_, &s2_, &s3_, &du_}) a->setZero(hidden);  // zero: copies read no garbage
  }

  Eigen::Index hidden_units() const { return s_.size(); }

  /// \f$N, N', N''\f$ of the network with weights `p` (\f$3H\f$ of them, ordered \f$(v, w, u)\f$) at `t`.
  /// \f$N''\f$ is only computed when `Order == 2`.
  template <typename P>
  NetworkValues<Scalar> evaluate(const P& p, Scalar t) {
    const Eigen::Index h = s_.size();  // the units of layout_, as the arrays' size: no resizing in the passes below
    const auto v = p.segment(layout_.v_index(0), h).array();
    const auto w = p.segment(layout_.w_index(0), h).array();
    const auto u = p.segment(layout_.u_index(0), h).array();
    s_ = (Scalar(1) + (-(w * t + u)).exp()).inverse();  // one exponential per unit serves all derivatives
    s1_ = s_ * (Scalar(1) - s_);
    s2_ = s1_ * (Scalar(1) - Scalar(2) * s_);
    if (Order == 2) s3_ = s2_ * (Scalar(1) - Scalar(2) * s_) - Scalar(2) * s1_.square();
    static_cast<void>(v);
    return values(p);
  }

  /// \f$N, N', N''\f$ for the output weights of `p` from the sigmoids of the last `evaluate()` (or `load()`),
  /// whose \f$(w, u)\f$ must be those of `p`. \f$N''\f$ only when `Order == 2`.
  template <typename P>
  NetworkValues<Scalar> values(const P& p) const {
    const Eigen::Index h = s_.size();
    const auto v = p.segment(layout_.v_index(0), h).array();
    const auto w = p.segment(layout_.w_index(0), h).array();
    NetworkValues<Scalar> out;
    out.n = (v * s_).sum();
    out.dn = (v * w * s1_).sum();
    if (Order == 2) out.d2n = (v * w.square() * s2_).sum();
    return out;
  }

  /// Copies the sigmoids of the last `evaluate()` to `out` (4H entries: s and its first three
  /// derivatives), so that `load()` can bring them back for the same \f$(w, u)\f$ and point without
  /// exponentials.
  template <typename Out>
  void store(Out&& out) const {
    const Eigen::Index h = s_.size();
    out.segment(0, h) = s_.matrix();
    out.segment(h, h) = s1_.matrix();
    out.segment(2 * h, h) = s2_.matrix();
    out.segment(3 * h, h) = s3_.matrix();
  }
  /// Brings back sigmoids kept by `store()`.
  template <typename In>
  void load(const In& in) {
    const Eigen::Index h = s_.size();
    s_ = in.segment(0, h).array();
    s1_ = in.segment(h, h).array();
    s2_ = in.segment(2 * h, h).array();
    s3_ = in.segment(3 * h, h).array();
  }

  /// Adds \f$\alpha \partial N/\partial p + \beta \partial N'/\partial p + \gamma \partial N''/\partial p\f$
  /// at the point and weights of the last `evaluate()` to `out`, a vector expression of \f$3H\f$ entries
  /// (a gradient segment, or a transposed Jacobian row). `gamma` is ignored when `Order == 1`.
  template <typename P, typename Out>
  void accumulate(const P& p, Scalar t, Scalar alpha, Scalar beta, Scalar gamma, Out&& out) {
    const Eigen::Index h = s_.size();  // the units of layout_, as the arrays' size: no resizing in the passes below
    const auto v = p.segment(layout_.v_index(0), h).array();
    const auto w = p.segment(layout_.w_index(0), h).array();
    if (Order == 2) {
      du_ = v * (alpha * s1_ + w * (beta * s2_ + gamma * w * s3_));
      out.segment(layout_.v_index(0), h).array() += alpha * s_ + w * (beta * s1_ + gamma * w * s2_);
      out.segment(layout_.w_index(0), h).array() += t * du_ + v * (beta * s1_ + Scalar(2) * gamma * w * s2_);
    } else {
      du_ = v * (alpha * s1_ + beta * w * s2_);
      out.segment(layout_.v_index(0), h).array() += alpha * s_ + beta * w * s1_;
      out.segment(layout_.w_index(0), h).array() += t * du_ + beta * v * s1_;
    }
    out.segment(layout_.u_index(0), h).array() += du_;
  }

  /// \f$\alpha\, \partial N/\partial v + \beta\, \partial N'/\partial v + \gamma\, \partial N''/\partial v
  /// = \alpha s + \beta w s' + \gamma w^2 s''\f$ (per unit) at the point and weights of the last `evaluate()`
  /// into `out`, \f$H\f$ entries: the derivatives by the output weights alone. `gamma` is ignored when
  /// `Order == 1`.
  template <typename P, typename Out>
  void output_derivatives(const P& p, Scalar alpha, Scalar beta, Scalar gamma, Out&& out) const {
    const Eigen::Index h = s_.size();
    const auto w = p.segment(layout_.w_index(0), h).array();
    if (Order == 2) {
      out.array() = alpha * s_ + w * (beta * s1_ + gamma * w * s2_);
    } else {
      out.array() = alpha * s_ + beta * w * s1_;
    }
  }

 private:
  WeightLayout layout_;  ///< one network's weights
  UnitArray s_, s1_, s2_, s3_, du_;
};

}  // namespace detail
}  // namespace trialode
