// SPDX-License-Identifier: MIT
// The collocation cost of a first-order problem, I(p) = sum_i (y'(t_i) - f(t_i, y(t_i)))^2, and its exact
// gradient with respect to all 3H weights, computed in one pass that shares the sigmoid values.
#pragma once

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <limits>

#include "../approximation/detail/sigmoid_block.hpp"
#include "../approximation/network.hpp"
#include "../approximation/trial.hpp"
#include "../approximation/weights.hpp"
#include "detail/cost_base.hpp"
#include "residual.hpp"

namespace trialode {
namespace detail {

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
/// The points are processed in blocks (SigmoidBlock): for a block the \f$[\text{points} \times H]\f$
/// arrays \f$s\f$ and \f$s'\f$ and the network's \f$N, N'\f$ at its points come from one SIMD pass (one
/// exponential per point and unit serves \f$s, s', s''\f$), then the residuals are formed point by point,
/// and a second pass adds, per unit, six sums over the points from which the gradient is assembled.
///
/// The object holds its own workspace: evaluating it allocates nothing, and one object must not be used
/// from two threads at once.
template <typename Problem, int Hidden = Eigen::Dynamic>
class FirstOrderCost : public CostBase<Problem, Hidden> {
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

  /// The cost of `problem` at `points` in \f$[t_0, t_1]\f$ for a network of `hidden` units; the problem
  /// and the points are the caller's to check (`solve()` does).
  FirstOrderCost(const Problem& problem, Eigen::Index hidden, const Points& points) : Base(problem, hidden, points) {
    const FirstOrderTrial<Scalar> trial = trial_for(problem_);
    b_.resize(t_.size());
    for (Eigen::Index i = 0; i < t_.size(); ++i) b_[i] = trial.basis(t_[i]).b;

    // Blocks of at most about block_elements points x units, each a whole number of SIMD packets long so
    // that the array passes have no scalar tail. The padding repeats the last point with zero weight.
    const Eigen::Index packet = SigmoidBlock<Scalar>::packet_size;
    const Eigen::Index n = t_.size();
    const Eigen::Index most_rows = std::max(packet, block_elements / hidden_ / packet * packet);
    blocks_ = (n + most_rows - 1) / most_rows;
    rows_ = ((n + blocks_ - 1) / blocks_ + packet - 1) / packet * packet;
    tp_.setConstant(blocks_ * rows_, t_[n - 1]);
    bp_.setConstant(blocks_ * rows_, b_[n - 1]);
    tp_.head(n) = t_;
    bp_.head(n) = b_;
    spacing_ = equal_spacing(t_);
    s_.resize(rows_, hidden_);
    s1_.resize(rows_, hidden_);
    for (Column* column : {&n_, &dn_, &alpha_, &beta_, &t_alpha_, &t_beta_}) column->resize(rows_);
    sums_.resize(hidden_, 6);
    theta_.resize(2 * hidden_);
  }

  /// \f$I(p)\f$, and its gradient into `grad` (resized if needed).
  ///
  /// With \f$\alpha_i = 2 r_i (1 - f_y B_i)\f$ and \f$\beta_i = 2 r_i B_i\f$, the sums over the points are
  /// \f$\partial I/\partial v_k = \sum_i \alpha_i s_{ik} + w_k \beta_i s'_{ik}\f$,
  /// \f$\partial I/\partial u_k = v_k \sum_i \alpha_i s'_{ik} + w_k \beta_i s''_{ik}\f$ and
  /// \f$\partial I/\partial w_k = v_k \sum_i t_i (\alpha_i s'_{ik} + w_k \beta_i s''_{ik}) + \beta_i s'_{ik}\f$.
  Scalar operator()(const Parameters& p, Parameters& grad) {
    const Eigen::Index h = hidden_;
    grad.resize(layout_.size());
    const auto v = layout_.v(p);
    const auto w = layout_.w(p);
    sums_.setZero();
    Scalar cost(0);
    for (Eigen::Index block = 0; block < blocks_; ++block) {
      const Eigen::Index first = block * rows_;
      const Eigen::Index count = std::min(rows_, t_.size() - first);
      sigmoids(p, first);
      for (Eigen::Index i = 0; i < count; ++i) {
        const auto [t, b, y] = point(first, i);
        const auto [r, df] = residual_with_partials(problem_, t, y);
        const Scalar fy = df[0];
        cost += r * r;
        alpha_[i] = Scalar(2) * r * (Scalar(1) - fy * b);  // 2 r (B' - f_y B)
        beta_[i] = Scalar(2) * r * b;                      // 2 r B
        t_alpha_[i] = t * alpha_[i];
        t_beta_[i] = t * beta_[i];
      }
      for (Eigen::Index i = count; i < rows_; ++i) alpha_[i] = beta_[i] = t_alpha_[i] = t_beta_[i] = Scalar(0);
      SigmoidBlock<Scalar>::gradient_sums(h, rows_, s_.data(), s1_.data(), alpha_.data(), beta_.data(),
                                          t_alpha_.data(), t_beta_.data(), sums_.data());
    }
    const auto va = v.array();
    const auto wa = w.array();
    layout_.v(grad).array() = sums_.col(0).array() + wa * sums_.col(1).array();
    layout_.w(grad).array() = va * (sums_.col(4).array() + wa * sums_.col(5).array() + sums_.col(1).array());
    layout_.u(grad).array() = va * (sums_.col(2).array() + wa * sums_.col(3).array());
    return cost;
  }

  /// The residuals \f$r_i\f$ and their Jacobian (both resized if needed); \f$I = \|r\|^2\f$ and
  /// \f$\nabla I = 2 J^T r\f$. For least-squares minimizers.
  void residuals(const Parameters& p, Residuals& r, Jacobian& jacobian) {
    const Eigen::Index h = hidden_;
    r.resize(t_.size());
    jacobian.resize(t_.size(), layout_.size());
    const auto v = layout_.v(p);
    const auto w = layout_.w(p);
    for (Eigen::Index block = 0; block < blocks_; ++block) {
      const Eigen::Index first = block * rows_;
      const Eigen::Index count = residual_block(p, first, r);
      const auto t = tp_.segment(first, count);
      const auto b = bp_.segment(first, count);
      const auto alpha = alpha_.head(count).array();
      for (Eigen::Index k = 0; k < h; ++k) {
        const auto s = s_.col(k).head(count);
        const auto s1 = s1_.col(k).head(count);
        // dr/du_k = v_k (alpha s' + B w_k s''), dr/dw_k = t dr/du_k + B v_k s', dr/dv_k = alpha s + B w_k s'
        auto du = jacobian.col(layout_.u_index(0, k)).segment(first, count).array();
        du = v[k] * (alpha * s1 + w[k] * b * (s1 * (Scalar(1) - Scalar(2) * s)));
        jacobian.col(layout_.w_index(0, k)).segment(first, count).array() = t * du + v[k] * b * s1;
        jacobian.col(layout_.v_index(0, k)).segment(first, count).array() = alpha * s + w[k] * b * s1;
      }
    }
  }

  /// The residuals \f$r_i\f$ and their derivatives by the output weights alone (`phi`, a row per point and a
  /// column per unit, sized by the caller), the \f$v\f$ columns of `residuals()`' Jacobian: for random features.
  template <typename Phi>
  void output_residuals(const Parameters& p, Residuals& r, Phi& phi) {
    const Eigen::Index h = hidden_;
    r.resize(t_.size());
    const auto w = layout_.w(p);
    for (Eigen::Index block = 0; block < blocks_; ++block) {
      const Eigen::Index first = block * rows_;
      const Eigen::Index count = residual_block(p, first, r);
      const auto b = bp_.segment(first, count);
      const auto alpha = alpha_.head(count).array();
      for (Eigen::Index k = 0; k < h; ++k) {  // dr/dv_k = alpha s + B w_k s'
        phi.col(k).segment(first, count).array() = alpha * s_.col(k).head(count) + w[k] * b * s1_.col(k).head(count);
      }
    }
  }

  /// The residuals \f$r_i\f$ alone (`r` resized if needed).
  void residuals(const Parameters& p, Residuals& r) {
    r.resize(t_.size());
    for (Eigen::Index block = 0; block < blocks_; ++block) {
      const Eigen::Index first = block * rows_;
      const Eigen::Index count = std::min(rows_, t_.size() - first);
      sigmoids(p, first);
      for (Eigen::Index i = 0; i < count; ++i) {
        const auto [t, b, y] = point(first, i);
        r[first + i] = residual(problem_, t, y);
      }
    }
  }

  /// \f$I(p)\f$ alone.
  Scalar value(const Parameters& p) {
    Scalar cost(0);
    for (Eigen::Index block = 0; block < blocks_; ++block) {
      const Eigen::Index first = block * rows_;
      const Eigen::Index count = std::min(rows_, t_.size() - first);
      sigmoids(p, first);
      for (Eigen::Index i = 0; i < count; ++i) {
        const auto [t, b, y] = point(first, i);
        const Scalar r = residual(problem_, t, y);
        cost += r * r;
      }
    }
    return cost;
  }

 private:
  using Column = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
  using Block = Eigen::Array<Scalar, Eigen::Dynamic, Hidden>;
  /// Target size of a block, points times units: three such arrays stay in a 48 KiB level-1 cache.
  static constexpr Eigen::Index block_elements = 2048;

  /// \f$t\f$, \f$B\f$ and the trial values \f$y = y_0 + B N\f$, \f$y' = B' N + B N'\f$ at point i of a block.
  struct PointValues {
    Scalar t, b;
    TrialValues<Scalar> y;
  };

  /// The sigmoids of the block of points starting at `first`, the residuals of its points into `r` and
  /// their \f$B' - f_y B\f$ into alpha_: what `residuals()` and `output_residuals()` share. Returns the
  /// block's number of points.
  Eigen::Index residual_block(const Parameters& p, Eigen::Index first, Residuals& r) {
    const Eigen::Index count = std::min(rows_, t_.size() - first);
    sigmoids(p, first);
    for (Eigen::Index i = 0; i < count; ++i) {
      const auto [t, b, y] = point(first, i);
      const auto [ri, df] = residual_with_partials(problem_, t, y);
      r[first + i] = ri;
      alpha_[i] = Scalar(1) - df[0] * b;  // B' - f_y B
    }
    return count;
  }

  /// The values at point `i` of the block starting at `first`, after `sigmoids()` for that block.
  PointValues point(Eigen::Index first, Eigen::Index i) const {
    const Scalar t = tp_[first + i];
    const Scalar b = bp_[first + i];
    TrialValues<Scalar> y;
    y.y = problem_.y0 + b * n_[i];
    y.dy = n_[i] + b * dn_[i];  // B' = 1
    return {t, b, y};
  }

  /// \f$s, s'\f$ of the block of points starting at `first` into s_, s1_, and the network's \f$N, N'\f$ there
  /// into n_, dn_.
  /// With one block, the sigmoids depend on \f$(w, u)\f$ alone: when those equal the last call's (random
  /// features fit v alone), s_ and s1_ are kept and only \f$N, N'\f$ are formed again, bit for bit as
  /// `SigmoidBlock::sigmoids` forms them.
  void sigmoids(const Parameters& p, Eigen::Index first) {
    const Eigen::Index h = hidden_;
    const auto theta = layout_.theta(p, 0);
    if (blocks_ == 1 && cached_ && theta == theta_) {
      SigmoidBlock<Scalar>::sums(h, rows_, p.data() + layout_.v_index(0), p.data() + layout_.w_index(0), s_.data(),
                                 s1_.data(), n_.data(), dn_.data());
      return;
    }
    SigmoidBlock<Scalar>::sigmoids(h, rows_, std::min(rows_, t_.size() - first), p.data() + layout_.v_index(0),
                                   p.data() + layout_.w_index(0), p.data() + layout_.u_index(0), tp_.data() + first,
                                   spacing_, s_.data(), s1_.data(), n_.data(), dn_.data());
    if (blocks_ == 1) {
      theta_ = theta;
      cached_ = true;
    }
  }

  /// The distance \f$h\f$ of the points if \f$t_i = t_0 + i h\f$ for all of them, each to within a few
  /// units in the last place of the largest \f$|t|\f$, with \f$h > 0\f$; else 0.
  static Scalar equal_spacing(const Points& t) {
    using std::abs;
    const Eigen::Index n = t.size();
    if (n < 3) return Scalar(0);
    const Scalar h = (t[n - 1] - t[0]) / Scalar(n - 1);
    const Scalar slack = Scalar(8) * std::numeric_limits<Scalar>::epsilon() * t.abs().maxCoeff();
    if (!(h > slack)) return Scalar(0);
    for (Eigen::Index i = 1; i < n - 1; ++i) {
      if (abs(t[i] - (t[0] + Scalar(i) * h)) > slack) return Scalar(0);
    }
    return h;
  }

  Points b_;                   ///< \f$B(t_i) = t_i - t_0\f$
  Eigen::Index blocks_ = 0;    ///< number of blocks of points
  Eigen::Index rows_ = 0;      ///< points per block, padding included
  Scalar spacing_ = Scalar(0);  ///< the distance of equally spaced points, else 0 (SigmoidBlock)
  Points tp_, bp_;             ///< t_ and b_ padded to blocks_ * rows_ with copies of the last point
  Block s_, s1_;               ///< \f$s, s'\f$ of one block: a row per point, a column per unit
  Column n_, dn_;              ///< \f$N, N'\f$ at the block's points
  Column alpha_, beta_;        ///< the residual weights of the gradient at the block's points (0 on padding)
  Column t_alpha_, t_beta_;    ///< the same times \f$t_i\f$
  Eigen::Matrix<Scalar, Hidden, 6> sums_;    ///< the six sums over the points of the gradient formulas
  Column theta_;               ///< the \f$(w, u)\f$ of the sigmoids in s_, s1_ (one block only)
  bool cached_ = false;        ///< s_, s1_ hold the sigmoids of theta_
};

}  // namespace detail
}  // namespace trialode
