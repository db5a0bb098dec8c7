// SPDX-License-Identifier: MIT
// Trial solutions y(t) = A(t) + B(t) N(t) that meet the conditions of a problem by construction,
// whatever the network's weights (Lagaris, Likas & Fotiadis 1998, section III).
#pragma once

#include <Eigen/Core>

#include <cstddef>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "../problems/first_order.hpp"
#include "../problems/second_order.hpp"
#include "../problems/system.hpp"
#include "network.hpp"

namespace trialode {

/// The two known functions of a trial solution \f$y = A(t) + B(t) N(t)\f$ at one point, with their
/// first two derivatives: what a trial form's `basis(t)` returns.
template <typename Scalar>
struct TrialBasis {
  Scalar a;    ///< \f$A\f$
  Scalar da;   ///< \f$A'\f$
  Scalar d2a;  ///< \f$A''\f$
  Scalar b;    ///< \f$B\f$
  Scalar db;   ///< \f$B'\f$
  Scalar d2b;  ///< \f$B''\f$
};

/// The trial solution and its first two derivatives at one point; `Value` is the scalar type, or a vector
/// for a system.
template <typename Value>
struct TrialValues {
  Value y{};    ///< \f$y = A + B N\f$
  Value dy{};   ///< \f$y' = A' + B' N + B N'\f$
  Value d2y{};  ///< \f$y'' = A'' + B'' N + 2 B' N' + B N''\f$
};

namespace detail {

/// Combines the basis with the network's values into \f$y, y', y''\f$.
template <typename Scalar>
TrialValues<Scalar> combine(const TrialBasis<Scalar>& basis, const NetworkValues<Scalar>& net) {
  TrialValues<Scalar> out;
  out.y = basis.a + basis.b * net.n;
  out.dy = basis.da + basis.db * net.n + basis.b * net.dn;
  out.d2y = basis.d2a + basis.d2b * net.n + Scalar(2) * basis.db * net.dn + basis.b * net.d2n;
  return out;
}

}  // namespace detail

/// The trial form of a first-order initial value problem, \f$y(t) = y_0 + (t - t_0) N(t)\f$:
/// \f$A = y_0\f$, \f$B = t - t_0\f$, so that \f$y(t_0) = y_0\f$ for any network.
template <typename Scalar>
struct FirstOrderTrial {
  /// The floating-point type of \f$t\f$ and \f$y\f$.
  using scalar_type = Scalar;

  Scalar t0 = Scalar(0);  ///< where the condition holds
  Scalar y0 = Scalar(0);  ///< \f$y(t_0)\f$

  /// \f$A, A', A''\f$ and \f$B, B', B''\f$ at \f$t\f$: \f$(y_0, 0, 0)\f$ and \f$(t - t_0, 1, 0)\f$.
  TrialBasis<Scalar> basis(Scalar t) const { return {y0, Scalar(0), Scalar(0), t - t0, Scalar(1), Scalar(0)}; }
};

/// The trial form of a second-order initial value problem (Lagaris, Likas & Fotiadis 1998, section III),
/// \f$y(t) = y_0 + y'_0 (t - t_0) + (t - t_0)^2 N(t)\f$: \f$A = y_0 + y'_0 (t - t_0)\f$,
/// \f$B = (t - t_0)^2\f$, so that \f$y(t_0) = y_0\f$ and \f$y'(t_0) = y'_0\f$ for any network.
template <typename Scalar>
struct SecondOrderTrial {
  /// The floating-point type of \f$t\f$ and \f$y\f$.
  using scalar_type = Scalar;

  Scalar t0 = Scalar(0);   ///< where the conditions hold
  Scalar y0 = Scalar(0);   ///< \f$y(t_0)\f$
  Scalar dy0 = Scalar(0);  ///< \f$y'(t_0)\f$

  /// \f$A, A', A''\f$ and \f$B, B', B''\f$ at \f$t\f$: \f$(y_0 + y'_0 (t - t_0), y'_0, 0)\f$ and
  /// \f$((t - t_0)^2, 2 (t - t_0), 2)\f$.
  TrialBasis<Scalar> basis(Scalar t) const {
    const Scalar d = t - t0;
    return {y0 + dy0 * d, dy0, Scalar(0), d * d, Scalar(2) * d, Scalar(2)};
  }
};

/// The trial form of a two-point boundary value problem with Dirichlet conditions at \f$a < b\f$
/// (Lagaris, Likas & Fotiadis 1998, section III):
/// \f$y(t) = y_a \frac{b - t}{b - a} + y_b \frac{t - a}{b - a} + (t - a)(b - t) N(t)\f$, so that
/// \f$y(a) = y_a\f$ and \f$y(b) = y_b\f$ for any network; \f$B' = a + b - 2t\f$, \f$B'' = -2\f$.
template <typename Scalar>
struct DirichletTrial {
  /// The floating-point type of \f$t\f$ and \f$y\f$.
  using scalar_type = Scalar;

  Scalar a = Scalar(0);   ///< left end
  Scalar b = Scalar(1);   ///< right end, greater than a
  Scalar ya = Scalar(0);  ///< \f$y(a)\f$
  Scalar yb = Scalar(0);  ///< \f$y(b)\f$

  /// \f$A, A', A''\f$ and \f$B, B', B''\f$ at \f$t\f$: \f$A = \frac{y_a (b - t) + y_b (t - a)}{b - a}\f$,
  /// \f$A' = \frac{y_b - y_a}{b - a}\f$, \f$A'' = 0\f$ and \f$B = (t - a)(b - t)\f$, \f$B' = a + b - 2t\f$,
  /// \f$B'' = -2\f$.
  TrialBasis<Scalar> basis(Scalar t) const {
    const Scalar length = b - a;
    return {(ya * (b - t) + yb * (t - a)) / length, (yb - ya) / length, Scalar(0),
            (t - a) * (b - t), a + b - Scalar(2) * t, Scalar(-2)};
  }
};

/// The trial form of a system of \f$n\f$ first-order equations, one network per component:
/// \f$y_j(t) = y_{0j} + (t - t_0) N_j(t)\f$, so that \f$y(t_0) = y_0\f$ for any networks. Component j is the
/// scalar `FirstOrderTrial` \f$\{t_0, y_{0j}\}\f$.
template <typename Scalar, int N = Eigen::Dynamic>
struct SystemTrial {
  /// The floating-point type of \f$t\f$ and of the entries of \f$y\f$.
  using scalar_type = Scalar;
  /// A vector of \f$\mathbb{R}^n\f$, such as \f$y_0\f$.
  using Vector = Eigen::Matrix<Scalar, N, 1>;

  Scalar t0 = Scalar(0);  ///< where the condition holds
  Vector y0;              ///< \f$y(t_0) \in \mathbb{R}^n\f$

  /// Number of components \f$n\f$.
  Eigen::Index components() const { return y0.size(); }
  /// The trial form of component j (from 0).
  FirstOrderTrial<Scalar> component(Eigen::Index j) const { return {t0, y0[j]}; }
};

/// The trial form of each problem family, chosen from the problem's type: \f$y_0 + (t - t_0) N\f$ for a
/// first-order problem, \f$y_0 + y'_0 (t - t_0) + (t - t_0)^2 N\f$ for a second-order initial value problem,
/// the Dirichlet form for a boundary value problem, one first-order form per component for a system.
template <typename Scalar, typename F, typename DfDy>
FirstOrderTrial<Scalar> trial_for(const InitialValueProblem<Scalar, F, DfDy>& problem) {
  return {problem.t0, problem.y0};
}
/// The trial form of a second-order initial value problem: \f$y_0 + y'_0 (t - t_0) + (t - t_0)^2 N\f$.
template <typename Scalar, typename F, typename DfDy, typename DfDdy>
SecondOrderTrial<Scalar> trial_for(const SecondOrderProblem<Scalar, F, DfDy, DfDdy>& problem) {
  return {problem.t0, problem.y0, problem.dy0};
}
/// The trial form of a boundary value problem: the Dirichlet form on \f$[a, b] = [t_0, t_1]\f$ with
/// \f$y_a = y_0\f$, \f$y_b = y_1\f$.
template <typename Scalar, typename F, typename DfDy, typename DfDdy>
DirichletTrial<Scalar> trial_for(const BoundaryValueProblem<Scalar, F, DfDy, DfDdy>& problem) {
  return {problem.t0, problem.t1, problem.y0, problem.y1};
}
/// The trial form of a system: \f$y_{0j} + (t - t_0) N_j\f$ for each component \f$j\f$.
template <typename Scalar, int N, typename F, typename Jacobian>
SystemTrial<Scalar, N> trial_for(const SystemProblem<Scalar, N, F, Jacobian>& problem) {
  return {problem.t0, problem.y0};
}

/// The trial form `trial_for` chooses for a problem type.
template <typename Problem>
using TrialFor = decltype(trial_for(std::declval<const Problem&>()));

namespace detail {

template <typename Trial>
struct IsSystemTrial : std::false_type {};
template <typename Scalar, int N>
struct IsSystemTrial<SystemTrial<Scalar, N>> : std::true_type {};

/// True for the problems whose trial form has one network per component: systems.
template <typename Problem>
constexpr bool is_system = IsSystemTrial<TrialFor<Problem>>::value;

}  // namespace detail

namespace detail {

/// A scalar trial form together with a network: the approximate solution \f$y(t)\f$, defined for every \f$t\f$.
template <typename Trial, typename Network>
class TrialSolution {
 public:
  using Scalar = typename Network::Parameters::Scalar;

  TrialSolution(const Trial& trial, const Network& network) : trial_(trial), network_(network) {}

  /// \f$y, y', y''\f$ at \f$t\f$.
  TrialValues<Scalar> evaluate(Scalar t) const { return combine(trial_.basis(t), network_.evaluate(t)); }

  const Trial& trial() const { return trial_; }
  const Network& network() const { return network_; }

 private:
  Trial trial_;
  Network network_;
};

}  // namespace detail

}  // namespace trialode
