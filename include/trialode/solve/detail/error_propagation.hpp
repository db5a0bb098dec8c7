// SPDX-License-Identifier: MIT
// The error of an approximate solution from its residual, through the linearized error equation
// e' = J(t) e + r(t) on a grid of samples: the fundamental matrix stepped sample to sample, the absolute
// Green's-function bound and the signed linearized error, with a correction for conditions that are not
// initial values. Knows states, Jacobians and residuals, not problem families.
#pragma once

#include <Eigen/Core>
#include <Eigen/LU>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

namespace trialode {
namespace detail {

/// The samples the error of a solution is propagated from, for a state \f$x \in \mathbb{R}^n\f$ (y; y and its
/// derivatives for an equation of higher order; the vector of a system): at each time \f$t_i\f$ (increasing,
/// the first \f$t_0\f$, the last \f$t_1\f$), the Jacobian \f$J_i = \partial F/\partial x\f$ of the state
/// equation \f$x' = F(t, x)\f$ along the solution (column block i of `jacobian`), the residual
/// \f$\tilde r_i\f$ of the state equation (column i of `residual`), and for each of the `outputs` first
/// components (y, or every component of a system) its value (column i of `value`, for the scale); and for every
/// state component the size \f$S_i\f$ of the sums that evaluating it adds up (column i of `size`), whose
/// rounding no residual sees.
template <typename Scalar>
struct ErrorSamples {
  using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
  Eigen::Array<Scalar, Eigen::Dynamic, 1> t;  ///< \f$t_i\f$, increasing
  Matrix jacobian;                            ///< \f$n \times nK\f$: \f$J_i\f$ in columns \f$ni\f$ to \f$ni + n - 1\f$
  Matrix residual;                            ///< \f$n \times K\f$: \f$\tilde r_i\f$
  Matrix size;                                ///< \f$n \times K\f$: \f$S_i\f$ of every state component
  Matrix value;                               ///< outputs \f$\times K\f$: the solution's outputs, for its scale

  /// Sizes every array for `count` samples of an n-dimensional state with `outputs` outputs.
  void resize(Eigen::Index count, Eigen::Index n, Eigen::Index outputs) {
    t.resize(count);
    jacobian.setZero(n, n * count);
    residual.setZero(n, count);
    size.setZero(n, count);
    value.resize(outputs, count);
  }
};

/// A linear condition on the state that the exact solution meets as the approximate one does, to
/// `violation`: \f$\sum_k a_k x_{d_k}(t_{i_k}) + b \int_{t_0}^{t_1} x_0\, dt\f$, with the times among the
/// samples.
template <typename Scalar>
struct StateCondition {
  struct Term {
    Eigen::Index sample;  ///< \f$i_k\f$
    Eigen::Index order;   ///< \f$d_k\f$, the state component
    Scalar coefficient;   ///< \f$a_k\f$
  };
  std::vector<Term> terms;   ///< the point terms
  Scalar integral{0};        ///< \f$b\f$
  Scalar violation{0};       ///< how far the approximate solution is from meeting it
};

/// What `propagate_error` found, in the units of the outputs.
template <typename Scalar>
struct PropagatedError {
  /// \f$\max_{i, j} B_j(t_i)\f$: the absolute Green's-function bound with the rounding term.
  Scalar absolute = Scalar(0);
  /// \f$\max_{i, j} |\hat e_j(t_i)|\f$: the signed linearized error.
  Scalar estimate = Scalar(0);
  /// \f$\max_{i, j} \min(B_j(t_i), E_j(t_i))\f$ with \f$E = 2|\hat e| + 2|\hat e - \hat e_{coarse}| +
  /// c\varepsilon S\f$: the bound a solve reports (`FitRecord::error_bound`); `absolute` alone when that is
  /// above \f$10^{-3}\f$ times `scale`, where the linearization that \f$E\f$ rests on is not to be trusted.
  Scalar bound = Scalar(0);
  /// Where `bound` is largest.
  Scalar worst_t = Scalar(0);
  /// The largest \f$|y|\f$ over the samples and outputs: the solution's scale.
  Scalar scale = Scalar(0);
};

/// What the propagation of one segment hands to the next (time marching): the fundamental matrix \f$\Phi_g\f$
/// from the reference and its inverse, the integrals of \f$|\Phi_g^{-1}\tilde r|\f$ and of
/// \f$\Phi_g^{-1}\tilde r\f$ (fine and coarse), and the restarted bound \f$E\f$ of the state, the rounding of
/// the hand-over included.
template <typename Scalar>
struct ErrorCarry {
  using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
  using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
  bool started = false;  ///< false before the first segment
  Matrix phi;            ///< \f$\Phi_g\f$ at the end of the last segment
  Matrix phi_inverse;    ///< its inverse
  Vector absolute;       ///< \f$W_g\f$
  Vector fine;           ///< \f$V_g\f$
  Vector coarse;         ///< the same on pairs of cells
  Vector restart;        ///< \f$E\f$
};

/// `from`, a small fixed-size matrix of the state, into `to`, the carry's dynamic one, entry by entry: Eigen's
/// assignment would copy by packets, and g++ 12 warns (-Warray-bounds) that they reach past a 1 x 1 matrix.
template <typename From, typename To>
void copy_entries(const From& from, To& to) {
  to.resize(from.rows(), from.cols());
  for (Eigen::Index j = 0; j < from.cols(); ++j) {
    for (Eigen::Index i = 0; i < from.rows(); ++i) to(i, j) = from(i, j);
  }
}

/// \f$e^{A}\f$ of a small square matrix by scaling and squaring a Taylor series: accurate to a few units in
/// the last place for the steps \f$h \bar J\f$ of `propagate_error`.
template <typename Matrix>
Matrix small_exponential(const Matrix& a) {
  using Scalar = typename Matrix::Scalar;
  using std::exp;
  if (a.rows() == 1) return Matrix::Constant(1, 1, exp(a(0, 0)));
  const Scalar norm = a.cwiseAbs().rowwise().sum().maxCoeff();
  int squarings = 0;
  Scalar scale(1);
  for (Scalar scaled = norm; scaled > Scalar(0.125) && squarings < 2000; scaled /= Scalar(2)) {
    scale /= Scalar(2);
    ++squarings;
  }
  const Matrix b = a * scale;
  Matrix term = Matrix::Identity(a.rows(), a.cols());
  Matrix sum = term;
  const Scalar negligible = std::numeric_limits<Scalar>::epsilon() / Scalar(4);
  for (int k = 1; k <= 16; ++k) {
    term = (term * b) / static_cast<Scalar>(k);
    sum += term;
    if (term.cwiseAbs().maxCoeff() <= negligible) break;  // |sum| >= 1 - 1/8 in every norm
  }
  for (int k = 0; k < squarings; ++k) sum = sum * sum;
  return sum;
}

/// Propagates the residual of `samples` (a state of N components, or `Eigen::Dynamic`) to the error of the solution through the linearized error equation
/// \f$e' = J e + \tilde r\f$, \f$e(t_0) = 0\f$ (the initial state is met exactly), then corrects for
/// `conditions` (empty for an initial value problem): with \f$\Phi\f$ the fundamental matrix,
/// \f$\Phi(t_0) = I\f$, stepped by \f$\Phi_{i} = e^{h_i (J_{i-1} + J_i)/2} \Phi_{i-1}\f$,
/// - \f$P(t) = |\Phi(t)| \int_{t_0}^{t} |\Phi(s)^{-1} \tilde r(s)|\, ds\f$ (componentwise, each cell's
///   integral bounded by its width times the larger end) bounds the error of the initial value problem;
/// - \f$\hat p(t) = \Phi(t) \int_{t_0}^{t} \Phi(s)^{-1} \tilde r(s)\, ds\f$ (trapezoid) estimates it, and the
///   same with each pair of cells as one (\f$\hat p_{coarse}\f$) says how far the quadrature is to be trusted;
/// - with conditions \f$C[e] = \delta\f$, \f$e = p + \Phi M^{-1}(\delta - C[p])\f$, \f$M_{ij} = C_i[\Phi e_j]\f$:
///   \f$|e| \le P + |\Phi M^{-1}| (|\delta| + C_{abs}[P])\f$; for `dirichlet` conditions (a second-order
///   state, \f$e(t_0) = e(t_1) = 0\f$) the tighter absolute separable Green's function instead;
/// - the rounding of the solution's evaluation, `rounding` \f$\cdot\,\varepsilon S\f$, is added to both.
/// A non-finite sample or matrix makes every result infinite. Where \f$\Phi\f$ or its inverse grows past
/// \f$\sqrt[4]{\text{max}}\f$ in an initial value problem, the propagation restarts there from the bounds
/// reached (valid, looser). Allocates (a solve's diagnostics, once per start).
template <int N, typename Scalar>
PropagatedError<Scalar> propagate_error_sized(const ErrorSamples<Scalar>& samples,
                                              const std::vector<StateCondition<Scalar>>& conditions, bool dirichlet,
                                              Scalar rounding, ErrorCarry<Scalar>* carry, Scalar* contribution) {
  using Matrix = Eigen::Matrix<Scalar, N, N>;
  using Vector = Eigen::Matrix<Scalar, N, 1>;
  using Samples = Eigen::Matrix<Scalar, N, Eigen::Dynamic>;
  using std::abs;
  using std::isfinite;
  using std::sqrt;
  const Scalar infinity = std::numeric_limits<Scalar>::infinity();
  const Scalar epsilon = std::numeric_limits<Scalar>::epsilon();
  const Scalar huge = sqrt(sqrt(std::numeric_limits<Scalar>::max()));
  const Eigen::Index n = samples.residual.rows();
  const Eigen::Index count = samples.t.size();
  const Eigen::Index outputs = samples.value.rows();
  PropagatedError<Scalar> out;
  out.worst_t = samples.t[0];
  const auto non_finite = [&]() {
    out.absolute = out.estimate = out.bound = infinity;
    return out;
  };
  if (!samples.value.allFinite()) return non_finite();
  out.scale = samples.value.cwiseAbs().maxCoeff();
  if (!(samples.jacobian.allFinite() && samples.residual.allFinite() && samples.size.allFinite())) return non_finite();

  // Per sample: the fundamental matrix Phi_g from the reference (t0, or where the carry was last reset), the
  // bound P (the smaller of the global and the restarted one), the signed estimates (fine and coarse).
  const bool carried = carry != nullptr && carry->started;
  Matrix reference = carried ? Matrix(carry->phi) : Matrix(Matrix::Identity(n, n));  // Phi_g at the start
  Matrix reference_inverse = carried ? Matrix(carry->phi_inverse) : Matrix(Matrix::Identity(n, n));
  Vector absolute_integral = carried ? Vector(carry->absolute) : Vector(Vector::Zero(n));  // W_g
  Vector signed_integral = carried ? Vector(carry->fine) : Vector(Vector::Zero(n));        // V_g
  Vector coarse_integral = carried ? Vector(carry->coarse) : Vector(Vector::Zero(n));
  Vector restart_bound = carried ? Vector(carry->restart) : Vector(Vector::Zero(n));       // E at the start
  Vector local_integral = Vector::Zero(n);                                                // W_loc
  Vector pair_start = coarse_integral;  // the coarse integral at the last sample of even local index
  std::vector<Matrix> phi(static_cast<std::size_t>(count));
  Samples bound(n, count), fine(n, count), coarse(n, count);
  Matrix local = Matrix::Identity(n, n), local_inverse = Matrix::Identity(n, n);
  Vector g_previous = reference_inverse * samples.residual.col(0), g_before = g_previous;  // Phi_g^-1 r at i - 1, i - 2
  Vector l_previous = samples.residual.col(0);                                          // Phi_loc^-1 r at i - 1
  phi[0] = reference;
  bound.col(0) = (reference.cwiseAbs() * absolute_integral).cwiseMin(restart_bound);
  fine.col(0) = reference * signed_integral;
  coarse.col(0) = reference * coarse_integral;
  Eigen::Index restart = 0;  // the sample the local Phi starts from
  Matrix last_step = Matrix::Zero(n, n), exponential = Matrix::Identity(n, n), exponential_inverse = Matrix::Identity(n, n);
  for (Eigen::Index i = 1; i < count; ++i) {
    const Scalar h = samples.t[i] - samples.t[i - 1];
    const Matrix step = (h / Scalar(2)) * (samples.jacobian.block(0, (i - 1) * n, n, n) + samples.jacobian.block(0, i * n, n, n));
    if (i == 1 || step != last_step) {  // a constant J on equal steps: one exponential
      last_step = step;
      exponential = small_exponential<Matrix>(step);
      if constexpr (N != 1 && N != Eigen::Dynamic) exponential_inverse = exponential.inverse();  // closed form, n <= 4
    }
    local = exponential * local;
    if constexpr (N == 1) {
      local_inverse(0, 0) /= exponential(0, 0);
    } else if constexpr (N != Eigen::Dynamic) {
      local_inverse = local_inverse * exponential_inverse;
    } else {
      local_inverse = local_inverse * small_exponential<Matrix>(Matrix(-step));
    }
    phi[static_cast<std::size_t>(i)] = local * reference;
    const Matrix& p = phi[static_cast<std::size_t>(i)];
    const Vector l = local_inverse * samples.residual.col(i);
    const Vector g = reference_inverse * l;
    absolute_integral += h * g.cwiseAbs().cwiseMax(g_previous.cwiseAbs());
    local_integral += h * l.cwiseAbs().cwiseMax(l_previous.cwiseAbs());
    signed_integral += (h / Scalar(2)) * (g + g_previous);
    if ((i - restart) % 2 == 0) {  // a pair of cells as one trapezoid
      coarse_integral = pair_start + ((samples.t[i] - samples.t[i - 2]) / Scalar(2)) * (g + g_before);
      pair_start = coarse_integral;
    } else {
      coarse_integral = pair_start + (h / Scalar(2)) * (g + g_previous);
    }
    // Both bounds hold under the linearization: the global |Phi_g| W_g, right for oscillations (a rotation's
    // |Phi| restarted at every segment would compound), and the restarted |Phi_loc| (E + W_loc), right for a
    // growing, ill-conditioned Phi_g. The smaller, componentwise.
    bound.col(i) = (p.cwiseAbs() * absolute_integral).cwiseMin(local.cwiseAbs() * (restart_bound + local_integral));
    fine.col(i) = p * signed_integral;
    coarse.col(i) = p * coarse_integral;
    if (contribution != nullptr) *contribution = std::max(*contribution, (local.cwiseAbs() * local_integral).maxCoeff());
    g_before = g_previous;
    g_previous = g;
    l_previous = l;
    const bool growing = std::max({p.cwiseAbs().maxCoeff(), local.cwiseAbs().maxCoeff(),
                                   local_inverse.cwiseAbs().maxCoeff(), (reference_inverse * local_inverse).cwiseAbs().maxCoeff()}) > huge;
    if (growing && conditions.empty() && i + 1 < count) {  // both restart from the state's bounds at t_i
      restart_bound = bound.col(i);
      absolute_integral = bound.col(i);
      signed_integral = fine.col(i);
      coarse_integral = pair_start = coarse.col(i);
      local_integral.setZero();
      reference = reference_inverse = local = local_inverse = Matrix::Identity(n, n);
      phi[static_cast<std::size_t>(i)] = reference;
      g_previous = g_before = l_previous = samples.residual.col(i);
      restart = i;
    }
  }
  if (carry != nullptr) {
    // The state handed to the next segment: its bound, with the rounding of evaluating it, which the next
    // segment's trial form takes as exact; Phi_g and the integrals go on.
    const Vector handed = rounding * epsilon * samples.size.col(count - 1);
    const Matrix& last = phi[static_cast<std::size_t>(count - 1)];
    carry->started = true;
    carry->phi = last;
    const Matrix inverse = reference_inverse * local_inverse;
    const Vector absolute = absolute_integral + inverse.cwiseAbs() * handed;
    const Vector restarted = bound.col(count - 1) + handed;
    copy_entries(inverse, carry->phi_inverse);
    copy_entries(absolute, carry->absolute);
    copy_entries(signed_integral, carry->fine);
    copy_entries(coarse_integral, carry->coarse);
    copy_entries(restarted, carry->restart);
  }

  if (!(bound.allFinite() && fine.allFinite() && coarse.allFinite())) return non_finite();

  // Conditions other than initial values: e = p + Phi M^-1 (delta - C[p]).
  Samples correction_bound = Samples::Zero(n, count), correction_fine = Samples::Zero(n, count),
          correction_coarse = Samples::Zero(n, count);
  if (!conditions.empty()) {
    const Eigen::Index m = static_cast<Eigen::Index>(conditions.size());
    Matrix phi_integral = Matrix::Zero(n, n);  // int Phi over [t0, t1], trapezoid
    Scalar bound_integral(0);                  // int P_0, each cell by its larger end
    Scalar fine_integral(0), coarse_integral_0(0);
    for (Eigen::Index i = 1; i < count; ++i) {
      const Scalar h = samples.t[i] - samples.t[i - 1];
      phi_integral += (h / Scalar(2)) * (phi[static_cast<std::size_t>(i - 1)] + phi[static_cast<std::size_t>(i)]);
      bound_integral += h * std::max(bound(0, i - 1), bound(0, i));
      fine_integral += (h / Scalar(2)) * (fine(0, i - 1) + fine(0, i));
      coarse_integral_0 += (h / Scalar(2)) * (coarse(0, i - 1) + coarse(0, i));
    }
    using Dense = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
    using DenseVector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
    Dense m_matrix(m, n);
    DenseVector c_bound(m), c_fine(m), c_coarse(m);
    for (Eigen::Index c = 0; c < m; ++c) {
      const StateCondition<Scalar>& condition = conditions[static_cast<std::size_t>(c)];
      m_matrix.row(c) = condition.integral * phi_integral.row(0);
      c_bound[c] = abs(condition.violation) + abs(condition.integral) * bound_integral;
      c_fine[c] = condition.integral * fine_integral;
      c_coarse[c] = condition.integral * coarse_integral_0;
      for (const typename StateCondition<Scalar>::Term& term : condition.terms) {
        m_matrix.row(c) += term.coefficient * phi[static_cast<std::size_t>(term.sample)].row(term.order);
        c_bound[c] += abs(term.coefficient) * bound(term.order, term.sample);
        c_fine[c] += term.coefficient * fine(term.order, term.sample);
        c_coarse[c] += term.coefficient * coarse(term.order, term.sample);
      }
    }
    if (m != n || !m_matrix.allFinite()) return non_finite();
    const Eigen::FullPivLU<Dense> lu(m_matrix);
    if (!lu.isInvertible()) return non_finite();
    const Matrix m_inverse = lu.inverse();  // n x n: of the state's size, fixed where it is
    const Vector bound_weights = c_bound, fine_weights = m_inverse * c_fine, coarse_weights = m_inverse * c_coarse;
    for (Eigen::Index i = 0; i < count; ++i) {
      const Matrix& p = phi[static_cast<std::size_t>(i)];
      if (!dirichlet) correction_bound.col(i) = (p * m_inverse).cwiseAbs() * bound_weights;
      correction_fine.col(i) = -(p * fine_weights);
      correction_coarse.col(i) = -(p * coarse_weights);
    }
    if (!(correction_bound.allFinite() && correction_fine.allFinite() && correction_coarse.allFinite())) return non_finite();
    if (dirichlet && n == 2) {
      // The separable Green's function of e'' = J_10 e + J_11 e' + r, e(t0) = e(t1) = 0: u1 = (Phi e_2)_0 with
      // u1(t0) = 0, u2 = (Phi c)_0 with c = (Phi_01(t1), -Phi_00(t1)) so that u2(t1) = 0, W = u1 u2' - u1' u2;
      // |e(t)| <= |u2(t)| int_t0^t |u1 r / W| + |u1(t)| int_t^t1 |u2 r / W|, in place of the looser P + |Phi M^-1| C[P].
      const Matrix& end = phi[static_cast<std::size_t>(count - 1)];
      Vector c = Vector::Zero(n);
      if constexpr (N != 1) {
        c[0] = end(0, 1);
        c[1] = -end(0, 0);
      }
      Eigen::Array<Scalar, Eigen::Dynamic, 1> u1(count), u2(count), left(count), right(count);
      for (Eigen::Index i = 0; i < count; ++i) {
        const Matrix& p = phi[static_cast<std::size_t>(i)];
        u1[i] = p(0, 1);
        u2[i] = p.row(0).dot(c);
        const Scalar wronskian = u1[i] * p.row(1).dot(c) - p(1, 1) * u2[i];
        const Scalar r = samples.residual(1, i);
        left[i] = abs(u1[i] * r / wronskian);
        right[i] = abs(u2[i] * r / wronskian);
      }
      if (!(left.allFinite() && right.allFinite())) return non_finite();  // W = 0: the linear problem is singular
      Scalar below(0);
      Eigen::Array<Scalar, Eigen::Dynamic, 1> above(count);
      above[count - 1] = Scalar(0);
      for (Eigen::Index i = count - 1; i > 0; --i) {
        above[i - 1] = above[i] + (samples.t[i] - samples.t[i - 1]) * std::max(right[i - 1], right[i]);
      }
      for (Eigen::Index i = 0; i < count; ++i) {
        if (i > 0) below += (samples.t[i] - samples.t[i - 1]) * std::max(left[i - 1], left[i]);
        bound(0, i) = abs(u2[i]) * below + abs(u1[i]) * above[i];
        correction_bound(0, i) = Scalar(0);
      }
      if (!bound.row(0).allFinite()) return non_finite();
    }
  }

  // The outputs: the absolute bound, the estimate, and the smaller of the two bounds at each sample. The
  // signed estimate is trusted only where the absolute bound is below `linear_range` times the scale.
  const Scalar linear_range = Scalar(1e-3);
  Scalar worst_absolute = samples.t[0];
  for (Eigen::Index i = 0; i < count; ++i) {
    for (Eigen::Index j = 0; j < outputs; ++j) {
      const Scalar round = rounding * epsilon * samples.size(j, i);
      const Scalar absolute = bound(j, i) + correction_bound(j, i) + round;
      const Scalar estimate = fine(j, i) + correction_fine(j, i);
      const Scalar spread = abs(estimate - (coarse(j, i) + correction_coarse(j, i)));
      const Scalar doubled = Scalar(2) * (abs(estimate) + spread) + round;
      if (absolute > out.absolute) {
        out.absolute = absolute;
        worst_absolute = samples.t[i];
      }
      out.estimate = std::max(out.estimate, abs(estimate));
      const Scalar at = std::min(absolute, doubled);
      if (at > out.bound) {
        out.bound = at;
        out.worst_t = samples.t[i];
      }
    }
  }
  if (!(isfinite(out.absolute) && isfinite(out.bound) && isfinite(out.estimate))) return non_finite();
  if (!(out.absolute <= linear_range * out.scale)) {  // the signed estimate needs the linearization
    out.bound = out.absolute;
    out.worst_t = worst_absolute;
  }
  return out;
}

/// `propagate_error_sized` with a fixed-size state for \f$n\f$ = 1 to 4, dynamic otherwise.
/// `carry`, when given, continues the propagation from a segment before (time marching) and receives the
/// state for the next; `contribution`, when given, receives the largest bound of the errors made in these
/// samples alone (from a zero error at their start), which says where to split.
template <typename Scalar>
PropagatedError<Scalar> propagate_error(const ErrorSamples<Scalar>& samples,
                                        const std::vector<StateCondition<Scalar>>& conditions, bool dirichlet = false,
                                        ErrorCarry<Scalar>* carry = nullptr, Scalar* contribution = nullptr,
                                        Scalar rounding = Scalar(4)) {
  if (contribution != nullptr) *contribution = Scalar(0);
  switch (samples.residual.rows()) {
    case 1: return propagate_error_sized<1>(samples, conditions, dirichlet, rounding, carry, contribution);
    case 2: return propagate_error_sized<2>(samples, conditions, dirichlet, rounding, carry, contribution);
    case 3: return propagate_error_sized<3>(samples, conditions, dirichlet, rounding, carry, contribution);
    case 4: return propagate_error_sized<4>(samples, conditions, dirichlet, rounding, carry, contribution);
    default: return propagate_error_sized<Eigen::Dynamic>(samples, conditions, dirichlet, rounding, carry, contribution);
  }
}

}  // namespace detail
}  // namespace trialode
