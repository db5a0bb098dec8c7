// SPDX-License-Identifier: MIT
// Trial solutions y(t) = A(t) + B(t) N(t) that meet the conditions of a problem by construction,
// whatever the network's weights (Lagaris, Likas & Fotiadis 1998, section III).
#pragma once

#include <Eigen/Core>

#include "network.hpp"

namespace trialode {

/// The two known functions of a trial solution \f$y = A(t) + B(t) N(t)\f$ at one point, with their
/// first two derivatives.
template <typename Scalar>
struct TrialBasis {
  Scalar a, da, d2a;  ///< \f$A, A', A''\f$
  Scalar b, db, d2b;  ///< \f$B, B', B''\f$
};

/// The trial solution and its first two derivatives at one point.
template <typename Scalar>
struct TrialValues {
  Scalar y = Scalar(0);    ///< \f$y = A + B N\f$
  Scalar dy = Scalar(0);   ///< \f$y' = A' + B' N + B N'\f$
  Scalar d2y = Scalar(0);  ///< \f$y'' = A'' + B'' N + 2 B' N' + B N''\f$
};

/// Combines the basis with the network's values into \f$y, y', y''\f$.
template <typename Scalar>
TrialValues<Scalar> combine(const TrialBasis<Scalar>& basis, const NetworkValues<Scalar>& net) {
  TrialValues<Scalar> out;
  out.y = basis.a + basis.b * net.n;
  out.dy = basis.da + basis.db * net.n + basis.b * net.dn;
  out.d2y = basis.d2a + basis.d2b * net.n + Scalar(2) * basis.db * net.dn + basis.b * net.d2n;
  return out;
}

/// The trial form of a first-order initial value problem, \f$y(t) = y_0 + (t - t_0) N(t)\f$:
/// \f$A = y_0\f$, \f$B = t - t_0\f$, so that \f$y(t_0) = y_0\f$ for any network.
template <typename Scalar>
struct FirstOrderTrial {
  Scalar t0 = Scalar(0);  ///< where the condition holds
  Scalar y0 = Scalar(0);  ///< \f$y(t_0)\f$

  TrialBasis<Scalar> basis(Scalar t) const { return {y0, Scalar(0), Scalar(0), t - t0, Scalar(1), Scalar(0)}; }
};

/// The trial form of a second-order initial value problem (Lagaris, Likas & Fotiadis 1998, section III),
/// \f$y(t) = y_0 + y'_0 (t - t_0) + (t - t_0)^2 N(t)\f$: \f$A = y_0 + y'_0 (t - t_0)\f$,
/// \f$B = (t - t_0)^2\f$, so that \f$y(t_0) = y_0\f$ and \f$y'(t_0) = y'_0\f$ for any network.
template <typename Scalar>
struct SecondOrderTrial {
  Scalar t0 = Scalar(0);   ///< where the conditions hold
  Scalar y0 = Scalar(0);   ///< \f$y(t_0)\f$
  Scalar dy0 = Scalar(0);  ///< \f$y'(t_0)\f$

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
  Scalar a = Scalar(0);   ///< left end
  Scalar b = Scalar(1);   ///< right end, greater than a
  Scalar ya = Scalar(0);  ///< \f$y(a)\f$
  Scalar yb = Scalar(0);  ///< \f$y(b)\f$

  TrialBasis<Scalar> basis(Scalar t) const {
    const Scalar length = b - a;
    return {(ya * (b - t) + yb * (t - a)) / length, (yb - ya) / length, Scalar(0),
            (t - a) * (b - t), a + b - Scalar(2) * t, Scalar(-2)};
  }
};

/// A trial form together with a network: the approximate solution \f$y(t)\f$, defined for every \f$t\f$.
template <typename Trial, typename Network>
class TrialSolution {
 public:
  using Scalar = typename Network::Parameters::Scalar;

  TrialSolution(const Trial& trial, const Network& network) : trial_(trial), network_(network) {}

  /// \f$y, y', y''\f$ at \f$t\f$.
  TrialValues<Scalar> evaluate(Scalar t) const { return combine(trial_.basis(t), network_.evaluate(t)); }
  Scalar operator()(Scalar t) const { return value(t); }
  Scalar value(Scalar t) const { return evaluate(t).y; }
  Scalar derivative(Scalar t) const { return evaluate(t).dy; }
  Scalar second_derivative(Scalar t) const { return evaluate(t).d2y; }

  /// \f$y\f$ at every entry of an array of inputs.
  template <typename Derived>
  Eigen::Array<Scalar, Eigen::Dynamic, 1> value(const Eigen::ArrayBase<Derived>& t) const {
    Eigen::Array<Scalar, Eigen::Dynamic, 1> out(t.size());
    for (Eigen::Index i = 0; i < t.size(); ++i) out[i] = value(static_cast<Scalar>(t.derived().coeff(i)));
    return out;
  }
  /// \f$y'\f$ at every entry of an array of inputs.
  template <typename Derived>
  Eigen::Array<Scalar, Eigen::Dynamic, 1> derivative(const Eigen::ArrayBase<Derived>& t) const {
    Eigen::Array<Scalar, Eigen::Dynamic, 1> out(t.size());
    for (Eigen::Index i = 0; i < t.size(); ++i) out[i] = derivative(static_cast<Scalar>(t.derived().coeff(i)));
    return out;
  }
  /// \f$y''\f$ at every entry of an array of inputs.
  template <typename Derived>
  Eigen::Array<Scalar, Eigen::Dynamic, 1> second_derivative(const Eigen::ArrayBase<Derived>& t) const {
    Eigen::Array<Scalar, Eigen::Dynamic, 1> out(t.size());
    for (Eigen::Index i = 0; i < t.size(); ++i) out[i] = second_derivative(static_cast<Scalar>(t.derived().coeff(i)));
    return out;
  }

  const Trial& trial() const { return trial_; }
  const Network& network() const { return network_; }
  Network& network() { return network_; }

 private:
  Trial trial_;
  Network network_;
};

}  // namespace trialode
