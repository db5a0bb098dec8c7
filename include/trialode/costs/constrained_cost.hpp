// SPDX-License-Identifier: MIT
// The collocation cost of an equation of order 1 to 4 with general linear conditions, through the constrained
// expression y = N + sum_j phi_j eta(N): residuals, the exact gradient and the residual Jacobian.
#pragma once

#include <Eigen/Core>
#include <Eigen/LU>

#include <array>
#include <cmath>
#include <cstddef>
#include <vector>

#include "../approximation/constrained_trial.hpp"
#include "../approximation/detail/sigmoid_derivatives.hpp"
#include "../problems/linear_conditions.hpp"
#include "detail/cost_base.hpp"

namespace trialode {
namespace detail {

/// Cost, gradient and Jacobian of the constrained expression \f$y = N + \sum_j \phi_j \eta_j\f$,
/// \f$\eta = \eta_0 - E v\f$ with \f$\eta_0 = S^{-1} \kappa\f$ and \f$E = S^{-1} C[\sigma]\f$ (column k the
/// conditions applied to unit k, \f$\sigma_k(t) = s(w_k t + u_k)\f$), for \f$y^{(m)} = f(t, y, \dots, y^{(m-1)})\f$:
/// \f[ I = \sum_i r_i^2, \quad r_i = y^{(m)}(t_i) - f(t_i, y(t_i), \dots, y^{(m-1)}(t_i)), \quad
///     y^{(d)}(t) = \sum_k v_k \sigma_k^{(d)}(t) + q_d(t)^T \eta, \f]
/// with \f$q_d(t) = (\phi_j^{(d)}(t))_j\f$. \f$y\f$ is linear in \f$v\f$; with \f$c_d = -\partial f/\partial y^{(d)}\f$
/// for \f$d < m\f$, \f$c_m = 1\f$ and \f$\rho_i = \sum_d c_d\, q_d(t_i)\f$:
/// \f[ \frac{\partial r_i}{\partial v_k} = \sum_d c_d \sigma_k^{(d)}(t_i) - \rho_i^T E_{:k}, \quad
///     \frac{\partial r_i}{\partial w_k} = v_k \Big(\sum_d c_d \partial_w \sigma_k^{(d)}(t_i) - \rho_i^T E^w_{:k}\Big), \f]
/// and the same for \f$u_k\f$, where \f$\sigma^{(d)} = w^d s^{(d)}\f$, \f$\partial_w \sigma^{(d)} = d w^{d-1} s^{(d)} +
/// w^d t s^{(d+1)}\f$, \f$\partial_u \sigma^{(d)} = w^d s^{(d+1)}\f$ and \f$E^w = S^{-1} \partial_w C[\sigma]\f$ (the
/// integral of a unit by `unit_integral`). The sigmoids and \f$E\f$ are kept while \f$(w, u)\f$ stay the same.
/// Same interface as the other costs; the object must not be shared between threads.
template <typename Problem, int Hidden = Eigen::Dynamic>
class ConstrainedCost : public CostBase<Problem, Hidden> {
  using Base = CostBase<Problem, Hidden>;
  using Base::hidden_;
  using Base::layout_;
  using Base::problem_;
  using Base::t_;
  static constexpr int m = Problem::order;

 public:
  using typename Base::Jacobian;
  using typename Base::Parameters;
  using typename Base::Points;
  using typename Base::Residuals;
  using typename Base::Scalar;
  using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
  using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
  using UnitArray = Eigen::Array<Scalar, Hidden, 1>;

  /// The cost of `problem` (checked, its support chosen) at `points` for a network of `hidden` units.
  ConstrainedCost(const Problem& problem, Eigen::Index hidden, const Points& points)
      : Base(problem, hidden, points), trial_(trial_for(problem_)) {
    lu_ = SupportSolver<Scalar>(support_matrix(trial_.conditions, trial_.t0, trial_.t1, trial_.support));
    eta0_ = trial_.eta;
    const Eigen::Index p = t_.size();
    const Scalar length = problem_.t1 - problem_.t0;
    for (int d = 0; d <= m; ++d) {
      q_[static_cast<std::size_t>(d)].resize(p, m);
      for (Eigen::Index i = 0; i < p; ++i) {
        for (int j = 0; j < m; ++j) {
          Scalar q = monomial_derivative(trial_.support[static_cast<std::size_t>(j)], d, (t_[i] - problem_.t0) / length);
          for (int k = 0; k < d && q != Scalar(0); ++k) q /= length;
          q_[static_cast<std::size_t>(d)](i, j) = q;
        }
      }
    }
    for (Matrix& s_d : sigmoid_) s_d.resize(p, hidden_);
    for (UnitArray& w_d : w_power_) w_d.resize(hidden_);
    for (Matrix* a : {&g_, &g_w_, &g_u_, &e_, &e_w_, &e_u_}) a->resize(m, hidden_);
    for (UnitArray* a : {&sum_v_, &sum_w_, &sum_u_, &correction_}) a->setZero(hidden_);
  }

  /// \f$I(p)\f$, and its gradient into `grad` (resized if needed).
  Scalar operator()(const Parameters& p, Parameters& grad) {
    prepare(p);
    grad.resize(layout_.size());
    grad.setZero();
    auto gv = grad.segment(layout_.v_index(0), hidden_).array();
    auto gw = grad.segment(layout_.w_index(0), hidden_).array();
    auto gu = grad.segment(layout_.u_index(0), hidden_).array();
    Eigen::Matrix<Scalar, m, 1> rho_sum = Eigen::Matrix<Scalar, m, 1>::Zero();
    Scalar cost(0);
    for (Eigen::Index i = 0; i < t_.size(); ++i) {
      const Point point = at(p, i);
      cost += point.r * point.r;
      const Scalar twice_r = Scalar(2) * point.r;
      unit_sums(i, point.c, true);
      gv += twice_r * sum_v_;
      gw += twice_r * sum_w_;
      gu += twice_r * sum_u_;
      rho_sum += twice_r * point.rho;
    }
    const auto v = p.segment(layout_.v_index(0), hidden_).array();
    correction_.matrix().noalias() = e_.transpose() * rho_sum;
    gv -= correction_;
    correction_.matrix().noalias() = e_w_.transpose() * rho_sum;
    gw = v * (gw - correction_);
    correction_.matrix().noalias() = e_u_.transpose() * rho_sum;
    gu = v * (gu - correction_);
    return cost;
  }

  /// The residuals and their Jacobian (both resized if needed).
  void residuals(const Parameters& p, Residuals& r, Jacobian& jacobian) {
    prepare(p);
    r.resize(t_.size());
    jacobian.setZero(t_.size(), layout_.size());
    const auto v = p.segment(layout_.v_index(0), hidden_).array();
    for (Eigen::Index i = 0; i < t_.size(); ++i) {
      const Point point = at(p, i);
      r[i] = point.r;
      auto row = jacobian.row(i);
      unit_sums(i, point.c, true);
      correction_.matrix().transpose().noalias() = point.rho.transpose() * e_;
      row.segment(layout_.v_index(0), hidden_).array() = sum_v_ - correction_;
      correction_.matrix().transpose().noalias() = point.rho.transpose() * e_w_;
      row.segment(layout_.w_index(0), hidden_).array() = v * (sum_w_ - correction_);
      correction_.matrix().transpose().noalias() = point.rho.transpose() * e_u_;
      row.segment(layout_.u_index(0), hidden_).array() = v * (sum_u_ - correction_);
    }
  }

  /// The residuals and their derivatives by the output weights alone (`phi`, a row per point and a column
  /// per unit, sized by the caller): for random features.
  template <typename Phi>
  void output_residuals(const Parameters& p, Residuals& r, Phi& phi) {
    prepare(p);
    r.resize(t_.size());
    for (Eigen::Index i = 0; i < t_.size(); ++i) {
      const Point point = at(p, i);
      r[i] = point.r;
      unit_sums(i, point.c, false);
      correction_.matrix().transpose().noalias() = point.rho.transpose() * e_;
      phi.row(i).transpose().array() = sum_v_ - correction_;
    }
  }

  /// The residuals alone (`r` resized if needed).
  void residuals(const Parameters& p, Residuals& r) {
    prepare(p);
    r.resize(t_.size());
    for (Eigen::Index i = 0; i < t_.size(); ++i) r[i] = at(p, i).r;
  }

  /// \f$I(p)\f$ alone.
  Scalar value(const Parameters& p) {
    prepare(p);
    Scalar cost(0);
    for (Eigen::Index i = 0; i < t_.size(); ++i) {
      const Scalar r = at(p, i).r;
      cost += r * r;
    }
    return cost;
  }

 private:
  /// The residual at one point, \f$c_d\f$ for \f$d = 0..m\f$ and \f$\rho\f$.
  struct Point {
    Scalar r;
    std::array<Scalar, m + 1> c;
    Eigen::Matrix<Scalar, m, 1> rho;
  };

  /// Sigmoids at every point, powers of w and \f$E, E^w, E^u\f$ for the \f$(w, u)\f$ of `p`, unless kept.
  void prepare(const Parameters& p) {
    const auto v = p.segment(layout_.v_index(0), hidden_);
    if (prepared_ && layout_.theta(p, 0) == theta_) {
      eta_.noalias() = eta0_ - e_ * v;
      return;
    }
    theta_ = layout_.theta(p, 0);
    prepared_ = true;
    const auto w = p.segment(layout_.w_index(0), hidden_).array();
    const auto u = p.segment(layout_.u_index(0), hidden_).array();
    w_power_[0].setOnes();
    for (int d = 1; d <= m + 1; ++d) w_power_[static_cast<std::size_t>(d)] = w_power_[static_cast<std::size_t>(d - 1)] * w;
    for (Eigen::Index i = 0; i < t_.size(); ++i) {
      for (Eigen::Index k = 0; k < hidden_; ++k) {
        const std::array<Scalar, m + 2> s = sigmoid_derivatives<m + 1>(w[k] * t_[i] + u[k]);
        for (int d = 0; d <= m + 1; ++d) sigmoid_[static_cast<std::size_t>(d)](i, k) = s[static_cast<std::size_t>(d)];
      }
    }
    // C[sigma_k] and its derivatives by w_k and u_k
    for (Eigen::Index k = 0; k < hidden_; ++k) {
      const UnitIntegral<Scalar> integral = unit_integral(w[k], u[k], problem_.t0, problem_.t1);
      for (int c = 0; c < m; ++c) {
        const LinearFunctional<Scalar>& functional = problem_.conditions[static_cast<std::size_t>(c)].functional;
        Scalar value = functional.integral * integral.value;
        Scalar by_w = functional.integral * integral.dw;
        Scalar by_u = functional.integral * integral.du;
        for (const ConditionTerm<Scalar>& term : functional.terms) {
          const std::array<Scalar, m + 1> s = sigmoid_derivatives<m>(w[k] * term.point + u[k]);
          const int d = term.order;
          const Scalar power = w_power_[static_cast<std::size_t>(d)][k];
          const Scalar lower = d > 0 ? Scalar(d) * w_power_[static_cast<std::size_t>(d - 1)][k] : Scalar(0);
          const Scalar sd = s[static_cast<std::size_t>(d)];
          const Scalar next = s[static_cast<std::size_t>(d + 1)];
          value += term.coefficient * power * sd;
          by_w += term.coefficient * (lower * sd + power * term.point * next);
          by_u += term.coefficient * power * next;
        }
        g_(c, k) = value;
        g_w_(c, k) = by_w;
        g_u_(c, k) = by_u;
      }
    }
    // SupportSolver::solve returns a new matrix (and Eigen's FullPivLU::solve takes a temporary of its own):
    // the allocations left at a new (w, u).
    e_ = lu_.solve(g_);
    e_w_ = lu_.solve(g_w_);
    e_u_ = lu_.solve(g_u_);
    eta_.noalias() = eta0_ - e_ * v;
  }

  /// The residual at point i for the weights of the last `prepare()`.
  Point at(const Parameters& p, Eigen::Index i) const {
    const auto v = p.segment(layout_.v_index(0), hidden_);
    std::array<Scalar, m + 1> y{};
    for (int d = 0; d <= m; ++d) {
      const std::size_t dd = static_cast<std::size_t>(d);
      y[dd] = (v.array() * w_power_[dd] * sigmoid_[dd].row(i).transpose().array()).sum() + q_[dd].row(i).dot(eta_);
    }
    std::array<Scalar, m> state{};
    for (int d = 0; d < m; ++d) state[static_cast<std::size_t>(d)] = y[static_cast<std::size_t>(d)];
    const Partials<Scalar, m> partials = problem_.partials(t_[i], state);
    Point out;
    out.r = y[m] - partials.f;
    for (int d = 0; d < m; ++d) out.c[static_cast<std::size_t>(d)] = -partials.df[d];
    out.c[m] = Scalar(1);
    out.rho.setZero();
    for (int d = 0; d <= m; ++d) out.rho += out.c[static_cast<std::size_t>(d)] * q_[static_cast<std::size_t>(d)].row(i).transpose();
    return out;
  }

  /// Into `sum_v_`, \f$\sum_d c_d \sigma_k^{(d)}(t_i) = \sum_d c_d w_k^d s^{(d)}\f$ for every unit, and with
  /// `all`, into `sum_w_` and `sum_u_`, \f$\sum_d c_d \partial_w \sigma_k^{(d)}(t_i) = \sum_d c_d (d w^{d-1} s^{(d)} +
  /// w^d t_i s^{(d+1)})\f$ and \f$\sum_d c_d \partial_u \sigma_k^{(d)}(t_i) = \sum_d c_d w^d s^{(d+1)}\f$.
  void unit_sums(Eigen::Index i, const std::array<Scalar, m + 1>& c, bool all) {
    sum_v_.setZero();
    if (all) {
      sum_w_.setZero();
      sum_u_.setZero();
    }
    for (int d = 0; d <= m; ++d) {
      const std::size_t dd = static_cast<std::size_t>(d);
      if (c[dd] == Scalar(0)) continue;
      sum_v_ += c[dd] * w_power_[dd] * sigmoid_[dd].row(i).transpose().array();
      if (!all) continue;
      sum_u_ += c[dd] * w_power_[dd] * sigmoid_[dd + 1].row(i).transpose().array();
      sum_w_ += (c[dd] * t_[i]) * w_power_[dd] * sigmoid_[dd + 1].row(i).transpose().array();
      if (d > 0) sum_w_ += c[dd] * Scalar(d) * w_power_[dd - 1] * sigmoid_[dd].row(i).transpose().array();
    }
  }

  ConstrainedTrial<Scalar> trial_;                    ///< the support and \f$\eta_0 = S^{-1}\kappa\f$
  SupportSolver<Scalar> lu_;                          ///< \f$S\f$
  Eigen::Matrix<Scalar, m, 1> eta0_;                  ///< \f$S^{-1}\kappa\f$
  Eigen::Matrix<Scalar, m, 1> eta_;                   ///< \f$\eta = \eta_0 - E v\f$ for the last weights
  UnitArray sum_v_, sum_w_, sum_u_;                   ///< `unit_sums()`
  UnitArray correction_;                              ///< \f$E^T \rho\f$ (or \f$E^w, E^u\f$): the share through \f$\eta\f$
  std::array<Matrix, m + 1> q_;                       ///< \f$\phi_j^{(d)}(t_i)\f$, a row per point
  std::array<Matrix, m + 2> sigmoid_;                 ///< \f$s^{(d)}(w_k t_i + u_k)\f$, a row per point
  std::array<UnitArray, m + 2> w_power_;              ///< \f$w_k^d\f$
  Matrix g_, g_w_, g_u_;                              ///< \f$C[\sigma], \partial_w C[\sigma], \partial_u C[\sigma]\f$
  Matrix e_, e_w_, e_u_;                              ///< \f$E, E^w, E^u\f$
  Eigen::Matrix<Scalar, Eigen::Dynamic, 1> theta_;    ///< the \f$(w, u)\f$ prepared
  bool prepared_ = false;
};

}  // namespace detail
}  // namespace trialode
