// SPDX-License-Identifier: MIT
// Variable projection for costs whose residual is linear in the output weights v: for given (w, u) the
// best v is a linear least-squares solution, and what remains is a smaller nonlinear problem in (w, u).
#pragma once

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include "../approximation/weights.hpp"
#include "../costs/constrained_cost.hpp"
#include "../costs/first_order_cost.hpp"
#include "../costs/second_order_cost.hpp"
#include "../minimizers/levenberg_marquardt.hpp"
#include "../minimizers/report.hpp"
#include "detail/linearity.hpp"

namespace trialode {

namespace detail {

/// The projected residual of a cost whose residuals \f$r(v, \theta) = \Phi(\theta) v - c\f$ are linear in
/// the output weights \f$v\f$, as the collocation residual of \f$y' = a(t) y + g(t)\f$ (or of a linear
/// system \f$y' = A(t) y + g(t)\f$) is. The cost's weights are those of \f$n\f$ networks as its
/// `layout()` (a `WeightLayout`) places them; \f$v\f$ gathers the \f$nH\f$ output weights and \f$\theta\f$
/// the \f$2nH\f$ others, network by network, each network's \f$(w, u)\f$. For given \f$\theta\f$,
/// \f[ v^*(\theta) = \arg\min_v \|\Phi(\theta) v - c\|, \qquad
///     \tilde r(\theta) = \Phi v^* - c = -P^\perp_\Phi c, \f]
/// and minimizing \f$\|\tilde r(\theta)\|^2\f$ over \f$2nH\f$ variables is equivalent to minimizing the
/// full cost over \f$3nH\f$ (Golub & Pereyra 1973, "The differentiation of pseudo-inverses and nonlinear
/// least squares problems whose variables separate", SIAM J. Numer. Anal. 10; review: Golub & Pereyra
/// 2003, Inverse Problems 19). The Jacobian is Golub & Pereyra's exact one,
/// \f[ \tilde J_{:,j} = P^\perp_\Phi \frac{\partial \Phi}{\partial \theta_j} v^*
///     - (\Phi^+)^T \frac{\partial \Phi}{\partial \theta_j}^T \tilde r, \f]
/// or, with `exact = false`, Kaufman's approximation that drops the second term, which vanishes with the
/// residual (Kaufman 1975, "A variable projection method for solving separable nonlinear least squares
/// problems", BIT 15). Since \f$\partial \Phi / \partial \theta_j\f$ has a single non-zero column,
/// that of the unit of \f$\theta_j\f$, the second term costs little; on \f$y' = -y\f$ it saved about
/// 10% of the iterations (measured, 100 seeds).
///
/// Everything comes from the cost's `residuals(p, r, J)`: at \f$v = 0\f$ the residual is \f$-c\f$ (once,
/// at construction); at \f$v = 1\f$ the \f$v\f$ columns of \f$J\f$ are \f$\Phi\f$ and, since the
/// derivatives by \f$w_k\f$ and \f$u_k\f$ carry the factor \f$v_k\f$, the other columns times
/// \f$v^*_k\f$ are \f$\partial \Phi / \partial \theta_j\, v^*\f$. \f$\Phi = Q R\f$ is factored by
/// Gram-Schmidt with reorthogonalization; a column whose part orthogonal to the previous ones is below
/// `rank_tolerance` times its norm is left out (its \f$v_k = 0\f$).
///
/// Linearity in \f$v\f$ is the caller's promise; `solve()` checks it once (`check_linear`). The object
/// owns a copy of the cost and its workspace; after the first call it allocates nothing, and it must not
/// be used from two threads at once.
template <typename Cost>
class VariableProjection {
 public:
  using Scalar = typename Cost::Scalar;
  using Parameters = typename Cost::Parameters;
  /// \f$2nH\f$ when the cost's size is fixed.
  static constexpr int theta_size =
      Parameters::SizeAtCompileTime == Eigen::Dynamic ? Eigen::Dynamic : 2 * Parameters::SizeAtCompileTime / 3;
  /// \f$nH\f$ when the cost's size is fixed.
  static constexpr int unit_size =
      Parameters::SizeAtCompileTime == Eigen::Dynamic ? Eigen::Dynamic : Parameters::SizeAtCompileTime / 3;
  /// The nonlinear weights \f$\theta = (w, u)\f$ of every network.
  using Theta = Eigen::Matrix<Scalar, theta_size, 1>;
  using Residuals = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
  using Jacobian = Eigen::Matrix<Scalar, Eigen::Dynamic, theta_size>;

  /// Default `rank_tolerance`, \f$100 \varepsilon\f$: only columns of \f$\Phi\f$ dependent to rounding
  /// are left out. (Larger values, such as \f$10^{-10}\f$, stop the fit early: measured 10x worse.)
  static Scalar default_rank_tolerance() { return Scalar(100) * std::numeric_limits<Scalar>::epsilon(); }

  /// Takes a copy of `cost` and evaluates it once, at \f$v = 0\f$, for \f$c\f$. `exact` chooses Golub &
  /// Pereyra's Jacobian (true) or Kaufman's (false).
  explicit VariableProjection(Cost cost, bool exact = true, Scalar rank_tolerance = default_rank_tolerance())
      : cost_(std::move(cost)), layout_(cost_.layout()), exact_(exact), rank_tolerance_(rank_tolerance) {
    const Eigen::Index units = layout_.units();
    const Eigen::Index m = cost_.residual_count();
    full_ = Parameters::Zero(layout_.size());
    cost_.residuals(full_, r_full_, jacobian_full_);
    c_ = -r_full_;  // r = 0 * Phi - c
    q_.resize(m, units);
    r_factor_.resize(units, units);
    qtc_.resize(units);
    v_.resize(units);
    column_.resize(m);
    projection_.resize(units);
    qtb_.resize(units, 2 * units);
    r_inverse_.resize(units, units);
    dtr_.resize(2 * units);
  }

  const Cost& cost() const { return cost_; }
  Cost& cost() { return cost_; }
  const WeightLayout& layout() const { return layout_; }

  /// The \f$\theta\f$ part of full weights: every network's \f$(w, u)\f$, one network after the other.
  Theta nonlinear_part(const Parameters& p) const {
    Theta theta(2 * layout_.units());
    for (Eigen::Index k = 0; k < layout_.networks(); ++k) layout_.theta_part(theta, k) = layout_.theta(p, k);
    return theta;
  }

  /// The projected residuals \f$\tilde r(\theta)\f$ and their Jacobian, for LevenbergMarquardt.
  void operator()(const Theta& theta, Residuals& r, Jacobian& jacobian) {
    project(theta);
    const Eigen::Index m = c_.size();
    const Eigen::Index units = layout_.units();
    r.resize(m);
    // -P c = Q Q^T c - c is accurate to rounding in c whatever the condition of Phi; Phi v* - c is not.
    r.noalias() = q_ * qtc_;
    r -= c_;
    jacobian.resize(m, 2 * units);
    // dPhi/dtheta_j v* is column j of the v = 1 Jacobian times v*_k of its unit.
    for (Eigen::Index j = 0; j < 2 * units; ++j) jacobian.col(j) = jacobian_full_.col(layout_.theta_to_full(j)) * v_[layout_.unit_of_theta(j)];
    qtb_.noalias() = q_.transpose() * jacobian;
    jacobian.noalias() -= q_ * qtb_;
    if (!exact_) return;
    // Golub & Pereyra's second term, -(Phi^+)' (dPhi/dtheta_j)' r: dPhi/dtheta_j has the one column
    // d_j of unit k, so the term is -Q R^-T e_k (d_j' r).
    for (Eigen::Index j = 0; j < 2 * units; ++j) dtr_[j] = jacobian_full_.col(layout_.theta_to_full(j)).dot(r);
    r_inverse_.setIdentity();
    r_factor_.template triangularView<Eigen::Upper>().solveInPlace(r_inverse_);
    for (Eigen::Index j = 0; j < 2 * units; ++j) qtb_.col(j) = r_inverse_.row(layout_.unit_of_theta(j)).transpose() * dtr_[j];
    jacobian.noalias() -= q_ * qtb_;
  }

  /// The full weights \f$(v^*(\theta), w, u)\f$ of every network.
  Parameters full_parameters(const Theta& theta) {
    project(theta);
    Parameters p(layout_.size());
    for (Eigen::Index k = 0; k < layout_.networks(); ++k) {
      layout_.v(p, k) = layout_.v_part(v_, k);
      layout_.theta(p, k) = layout_.theta_part(theta, k);
    }
    return p;
  }

 private:
  /// Evaluates the cost at \f$(1, \theta)\f$, factors \f$\Phi = QR\f$ and solves for v_.
  void project(const Theta& theta) {
    const Eigen::Index units = layout_.units();
    for (Eigen::Index k = 0; k < layout_.networks(); ++k) {
      layout_.v(full_, k).setOnes();
      layout_.theta(full_, k) = layout_.theta_part(theta, k);
    }
    cost_.residuals(full_, r_full_, jacobian_full_);
    // Classical Gram-Schmidt, twice ("twice is enough"), column by column.
    r_factor_.setZero();
    for (Eigen::Index k = 0; k < units; ++k) {
      column_ = jacobian_full_.col(layout_.v_of_unit(k));
      const Scalar original = column_.norm();
      for (int pass = 0; pass < 2; ++pass) {
        if (k == 0) break;
        projection_.head(k).noalias() = q_.leftCols(k).transpose() * column_;
        column_.noalias() -= q_.leftCols(k) * projection_.head(k);
        r_factor_.col(k).head(k) += projection_.head(k);
      }
      const Scalar norm = column_.norm();
      if (norm > rank_tolerance_ * original && norm > Scalar(0)) {
        q_.col(k) = column_ / norm;
        r_factor_(k, k) = norm;
      } else {  // dependent on the previous columns: v_k = 0
        q_.col(k).setZero();
        r_factor_.col(k).setZero();
        r_factor_(k, k) = Scalar(1);
      }
    }
    qtc_.noalias() = q_.transpose() * c_;
    v_ = qtc_;
    r_factor_.template triangularView<Eigen::Upper>().solveInPlace(v_);
  }

  Cost cost_;
  WeightLayout layout_;  ///< the cost's weights
  bool exact_;
  Scalar rank_tolerance_;
  Parameters full_;                                    ///< (v, w, u) of every network, handed to the cost
  typename Cost::Residuals r_full_;                    ///< the cost's residuals
  typename Cost::Jacobian jacobian_full_;              ///< the cost's Jacobian at v = 1
  Residuals c_;                                        ///< \f$c\f$, the residual's part free of v, negated
  Eigen::Matrix<Scalar, Eigen::Dynamic, unit_size> q_;  ///< orthonormal columns of \f$\Phi\f$ (zero if left out)
  Eigen::Matrix<Scalar, unit_size, unit_size> r_factor_;
  Eigen::Matrix<Scalar, unit_size, 1> qtc_;            ///< \f$Q^T c\f$
  Eigen::Matrix<Scalar, unit_size, 1> v_;              ///< \f$v^*\f$
  Residuals column_;                                   ///< the column being orthogonalized
  Eigen::Matrix<Scalar, unit_size, 1> projection_;
  Eigen::Matrix<Scalar, unit_size, theta_size> qtb_;   ///< \f$Q^T B\f$
  Eigen::Matrix<Scalar, unit_size, unit_size> r_inverse_;  ///< \f$R^{-1}\f$
  Eigen::Matrix<Scalar, theta_size, 1> dtr_;           ///< \f$d_j^T r\f$
};

/// Minimizes `cost` from `weights` by variable projection: Levenberg-Marquardt with `parameters` and
/// `callback` on the projected residual \f$\tilde r(\theta)\f$, then \f$v^*(\theta)\f$. `weights` receive
/// the weights returned, and the report describes them: `f` and `gradient_norm` are the full cost's there,
/// which differ from the projected ones by rounding amplified by the condition of \f$\Phi\f$.
///
/// The projection evaluates f only at \f$v = 0\f$ and \f$v = 1\f$, and takes the rest from linearity, which
/// holds only where f is finite. So when f is NaN or infinite at a collocation point (then \f$c\f$ and
/// \f$v^*\f$ are not finite) or where the solution of \f$v^*\f$ goes (then the full cost is not), the
/// weights found are not a finite point of the cost: the status is then `MinimizerStatus::non_finite` and the
/// weights returned are the best finite ones evaluated on the full cost, those found or the start, as every
/// other method returns them. A converged status is never returned with a cost that is not finite.
template <typename Cost, typename Parameters>
MinimizerReport<typename Cost::Scalar> fit_variable_projection(
    Cost& cost, Parameters& weights, const LevenbergMarquardtParameters<typename Cost::Scalar>& parameters,
    const IterationCallback<typename Cost::Scalar>& callback) {
  using Scalar = typename Cost::Scalar;
  using std::isfinite;
  VariableProjection<Cost> projection(cost);
  LevenbergMarquardt<Scalar, VariableProjection<Cost>::theta_size> minimizer(parameters);
  typename VariableProjection<Cost>::Theta theta = projection.nonlinear_part(weights);
  MinimizerReport<Scalar> report = minimizer.minimize(projection, theta, callback);
  const Parameters found = projection.full_parameters(theta);
  Parameters gradient(weights.size());
  const Scalar f = found.allFinite() ? cost(found, gradient) : std::numeric_limits<Scalar>::quiet_NaN();
  const Scalar gradient_norm = found.allFinite() ? gradient.norm() : std::numeric_limits<Scalar>::quiet_NaN();
  const bool found_finite = isfinite(f) && isfinite(gradient_norm);
  if (found_finite && report.status != MinimizerStatus::non_finite) {
    weights = found;
    report.f = f;
    report.gradient_norm = gradient_norm;
    return report;
  }
  // f was not finite somewhere on the way: the start or the weights found, whichever has the lower finite cost.
  const Scalar f_start = cost(weights, gradient);
  const Scalar gradient_norm_start = gradient.norm();
  report.status = MinimizerStatus::non_finite;
  if (found_finite && !(f_start <= f)) {
    weights = found;
    report.f = f;
    report.gradient_norm = gradient_norm;
    report.message = "Stopped: the projected residuals or their Jacobian were NaN or infinite; the weights found "
                     "are kept, their full cost being finite.";
  } else {
    report.f = f_start;
    report.gradient_norm = gradient_norm_start;
    report.message = found_finite
                         ? "Stopped: the projected residuals or their Jacobian were NaN or infinite; the starting "
                           "weights, whose full cost is lower than that of the weights found, are returned."
                         : "Stopped: f is NaN or infinite at a collocation point or where the solution found goes, so "
                           "the full cost is not finite at the weights found; the starting weights are returned.";
  }
  return report;
}

/// True for the costs whose residual is linear in \f$v\f$ when their problem is linear: those of
/// scalar first- and second-order problems, which `check_linear` can verify.
template <typename Cost>
struct supports_variable_projection : std::false_type {};
template <typename Problem, int Hidden>
struct supports_variable_projection<FirstOrderCost<Problem, Hidden>> : std::true_type {};
template <typename Problem, int Hidden>
struct supports_variable_projection<SecondOrderCost<Problem, Hidden>> : std::true_type {};
template <typename Problem, int Hidden>
struct supports_variable_projection<ConstrainedCost<Problem, Hidden>> : std::true_type {};

}  // namespace detail

}  // namespace trialode
