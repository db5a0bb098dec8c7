// SPDX-License-Identifier: MIT
// The collocation cost of a system of n first-order equations, one network per component, with its exact
// gradient (through the Jacobian df/dy) and its residual Jacobian.
#pragma once

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <vector>

#include "../approximation/detail/unit_kernel.hpp"
#include "../approximation/network.hpp"
#include "../approximation/weights.hpp"
#include "detail/cost_base.hpp"

namespace trialode {
namespace detail {

/// Cost and gradient of the trial solution \f$y_j = y_{0j} + (t - t_0) N_j(t)\f$, \f$j = 1..n\f$, of
/// \f$y' = f(t, y)\f$, one network \f$N_j\f$ with weights \f$p_j\f$ per component (Lagaris, Likas & Fotiadis
/// 1998, section III):
/// \f[ I = \sum_i \sum_j r_{ij}^2, \qquad r_{ij} = y_j'(t_i) - f_j(t_i, y(t_i)), \f]
/// \f[ \frac{\partial r_{ij}}{\partial p_k} = \delta_{jk} \Bigl(\frac{\partial N_k}{\partial p_k}
///     + B \frac{\partial N_k'}{\partial p_k}\Bigr) - \frac{\partial f_j}{\partial y_k} B \frac{\partial N_k}{\partial p_k},
///     \qquad B = t_i - t_0, \f]
/// so that \f$\partial I/\partial p_k = \sum_i 2\bigl(r_{ik} - B (J^T r_i)_k\bigr) \partial N_k/\partial p_k
/// + 2 r_{ik} B\, \partial N_k'/\partial p_k\f$.
///
/// The parameters are the \f$n\f$ networks' weights as `WeightLayout` places them: \f$3Hn\f$ of them. The residuals are ordered point by point, the components of a point together
/// (row \f$i n + j\f$). Same interface as `FirstOrderCost`; the workspace lives in the object (an `f` that
/// returns a dynamic-size vector, or the automatic Jacobian of a run-time \f$n\f$, allocates in `f` itself).
template <typename Problem, int Hidden = Eigen::Dynamic>
class SystemCost : public CostBase<Problem, Hidden, Problem::components_at_compile_time> {
  using Base = CostBase<Problem, Hidden, Problem::components_at_compile_time>;
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
  using Vector = typename Problem::Vector;
  using Matrix = typename Problem::Matrix;

  /// The cost of `problem` at `points` in \f$[t_0, t_1]\f$ for \f$n\f$ networks of `hidden` units each;
  /// the problem (sizes included) and the points are the caller's to check (`solve()` does).
  SystemCost(const Problem& problem, Eigen::Index hidden, const Points& points)
      : Base(problem, hidden, points, problem.size()) {
    const Eigen::Index n = problem_.size();
    kernels_.assign(static_cast<std::size_t>(n), UnitKernel<Scalar, Hidden, 1>(hidden_));
    y_.resize(n);
    dy_.resize(n);
    f_.resize(n);
    r_.resize(n);
    jtr_.resize(n);
    df_.resize(n, n);
  }

  /// Number of equations \f$n\f$.
  Eigen::Index components() const { return problem_.size(); }

  /// \f$I(p)\f$, and its gradient into `grad` (resized if needed).
  Scalar operator()(const Parameters& p, Parameters& grad) {
    grad.resize(this->parameter_count());
    grad.setZero();
    const Eigen::Index n = components();
    Scalar cost(0);
    for (Eigen::Index i = 0; i < t_.size(); ++i) {
      const Scalar t = t_[i];
      const Scalar b = t - problem_.t0;
      residual_at(p, t, b);
      cost += r_.squaredNorm();
      jtr_.noalias() = df_.transpose() * r_;
      for (Eigen::Index k = 0; k < n; ++k) {
        const Scalar alpha = Scalar(2) * (r_[k] - b * jtr_[k]);
        kernels_[static_cast<std::size_t>(k)].accumulate(layout_.network(p, k), t, alpha, Scalar(2) * r_[k] * b,
                                                          Scalar(0), layout_.network(grad, k));
      }
    }
    return cost;
  }

  /// The residuals and their Jacobian (both resized if needed); \f$I = \|r\|^2\f$, \f$\nabla I = 2 J^T r\f$.
  void residuals(const Parameters& p, Residuals& r, Jacobian& jacobian) {
    const Eigen::Index n = components();
    r.resize(this->residual_count());
    jacobian.setZero(this->residual_count(), this->parameter_count());
    for (Eigen::Index i = 0; i < t_.size(); ++i) {
      const Scalar t = t_[i];
      const Scalar b = t - problem_.t0;
      residual_at(p, t, b);
      r.segment(i * n, n) = r_;
      for (Eigen::Index j = 0; j < n; ++j) {
        for (Eigen::Index k = 0; k < n; ++k) {
          const Scalar alpha = (j == k ? Scalar(1) : Scalar(0)) - df_(j, k) * b;
          const Scalar beta = j == k ? b : Scalar(0);
          auto row = jacobian.row(i * n + j).transpose();
          kernels_[static_cast<std::size_t>(k)].accumulate(layout_.network(p, k), t, alpha, beta, Scalar(0),
                                                            layout_.network(row, k));
        }
      }
    }
  }

  /// The residuals and their derivatives by the output weights alone (`phi`, a row per residual and a column
  /// per unit of all networks, network after network, sized by the caller): for random features.
  template <typename Phi>
  void output_residuals(const Parameters& p, Residuals& r, Phi& phi) {
    const Eigen::Index n = components();
    const Eigen::Index h = hidden_;
    r.resize(this->residual_count());
    for (Eigen::Index i = 0; i < t_.size(); ++i) {
      const Scalar t = t_[i];
      const Scalar b = t - problem_.t0;
      residual_at(p, t, b);
      r.segment(i * n, n) = r_;
      for (Eigen::Index j = 0; j < n; ++j) {
        for (Eigen::Index k = 0; k < n; ++k) {
          const Scalar alpha = (j == k ? Scalar(1) : Scalar(0)) - df_(j, k) * b;
          const Scalar beta = j == k ? b : Scalar(0);
          kernels_[static_cast<std::size_t>(k)].output_derivatives(layout_.network(p, k), alpha, beta, Scalar(0),
                                                                   phi.row(i * n + j).segment(k * h, h).transpose());
        }
      }
    }
  }

  /// The residuals alone (`r` resized if needed), ordered as in `residuals(p, r, J)`.
  void residuals(const Parameters& p, Residuals& r) {
    const Eigen::Index n = components();
    r.resize(this->residual_count());
    for (Eigen::Index i = 0; i < t_.size(); ++i) {
      const Scalar t = t_[i];
      const Scalar b = t - problem_.t0;
      trial_values(p, t, b);
      r.segment(i * n, n) = dy_ - problem_.value(t, y_);
    }
  }

  /// \f$I(p)\f$ alone.
  Scalar value(const Parameters& p) {
    Scalar cost(0);
    for (Eigen::Index i = 0; i < t_.size(); ++i) {
      const Scalar t = t_[i];
      const Scalar b = t - problem_.t0;
      trial_values(p, t, b);
      cost += (dy_ - problem_.value(t, y_)).squaredNorm();
    }
    return cost;
  }

 private:
  /// y, y', f, df/dy and r = y' - f at t, for the weights p; leaves the sigmoids of every network at t
  /// in the kernels.
  void residual_at(const Parameters& p, Scalar t, Scalar b) {
    trial_values(p, t, b);
    problem_.partials(t, y_, f_, df_);
    r_ = dy_ - f_;
  }

  /// The trial solution y = y0 + B N and y' = N + B N' (B = t - t0 = `b`, B' = 1) at t into y_ and dy_;
  /// leaves the sigmoids of every network at t in the kernels.
  void trial_values(const Parameters& p, Scalar t, Scalar b) {
    for (Eigen::Index k = 0; k < components(); ++k) {
      const NetworkValues<Scalar> net = kernels_[static_cast<std::size_t>(k)].evaluate(layout_.network(p, k), t);
      y_[k] = problem_.y0[k] + b * net.n;
      dy_[k] = net.n + b * net.dn;
    }
  }

  std::vector<UnitKernel<Scalar, Hidden, 1>> kernels_;  ///< one per component's network
  Vector y_, dy_, f_, r_, jtr_;
  Matrix df_;
};

}  // namespace detail
}  // namespace trialode
