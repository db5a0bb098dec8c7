// SPDX-License-Identifier: MIT
// The methods solve() fits the weights with: one enum, one axis of the options. Each is a minimizer (or a
// minimizer applied to a reduced problem) on the same network and trial function.
#pragma once

#include <Eigen/Core>

namespace trialode {

/// The minimizer `solve()` fits the weights with.
enum class Method {
  /// L-BFGS on the cost and its exact gradient (the default): robust for any f.
  lbfgs,
  /// Levenberg-Marquardt on the residuals and their exact Jacobian, over all \f$3H\f$ weights.
  levenberg_marquardt,
  /// Variable projection (Golub & Pereyra 1973): only for linear scalar problems,
  /// \f$f(t, y) = a(t) y + g(t)\f$ or \f$f(t, y, y') = a(t) y + b(t) y' + g(t)\f$, which `solve()`
  /// checks at the collocation points. The output weights
  /// \f$v\f$ are solved exactly by linear least squares for every \f$(w, u)\f$, and Levenberg-Marquardt
  /// with Golub & Pereyra's Jacobian fits the \f$2H\f$ weights \f$(w, u)\f$ (`least_squares`
  /// holds its parameters). The accurate choice for linear problems. The report's `f` and
  /// `gradient_norm` are the full cost's at the returned weights; `initial_f` is the projected cost at
  /// the start, with the best \f$v\f$ for the starting \f$(w, u)\f$. From the seeded
  /// initialisation it starts with \f$w\f$ and \f$u\f$ doubled (the same centres, steeper units):
  /// gentle units make \f$\Phi\f$ so ill-conditioned that the fit stalls near \f$10^{-7}\f$ (measured).
  variable_projection,
  /// For systems, nonlinear ones included: Levenberg-Marquardt on all \f$3nH\f$ weights (parameters
  /// `least_squares`) from the seeded initialisation with \f$w\f$ and \f$u\f$ multiplied by
  /// `quasilinearization.slope_factor`, then quasilinearization: f linearized about the current trial
  /// solution, \f$y' = f(t, y_k) + \partial f/\partial y(t, y_k)\,(y - y_k)\f$, the linear system fitted by
  /// variable projection, and repeated (parameters `quasilinearization`). The
  /// accurate choice for nonlinear systems; give it more collocation points than the default (81 for the
  /// paper's problem 4 on \f$[0, 3]\f$), or the fit interpolates the points and wanders between them. The
  /// report's counts are summed over both stages, `initial_f` is the cost at the start of the first.
  quasilinearization,
  /// Random features (the extreme theory of functional connections, X-TFC: Schiassi et al., Neurocomputing
  /// 457, 2021; the physics-informed extreme learning machine: Dwivedi & Srinivasan, Neurocomputing 391,
  /// 2020), for every family: the hidden layer is drawn once from the seed on the normalized time and stays
  /// fixed (`SigmoidNetwork::draw_features`, `RandomFeaturesParameters`), and only the output weights
  /// \f$v\f$ are fitted, on which the trial solution depends linearly. When f is linear in the unknowns (tested at the
  /// collocation points, or declared by `RandomFeaturesParameters::linearity`) that is one linear
  /// least-squares solve by a column-pivoting QR factorization; otherwise Gauss-Newton on \f$v\f$, damped
  /// as Levenberg-Marquardt when a step fails, stopped when the residual stagnates. With no size set it
  /// takes its own: 26 units for a linear f, 36 otherwise, and \f$1.15 H\f$ Chebyshev-Lobatto points. The fastest and most accurate choice
  /// for smooth problems on moderate intervals (measured in the README).
  random_features
};

/// Where the iterative methods start their fit of all weights.
enum class Start {
  /// The seeded initialisation (`SigmoidNetwork::initialize`), steepened as the method wants: the default.
  seeded,
  /// The random-features fit: the drawn hidden layer (`SigmoidNetwork::draw_features`) with its output
  /// weights fitted as `Method::random_features` fits them; the method then moves all the weights from there.
  random_features
};

/// Short lower-case name of a start, e.g. "random_features".
inline const char* to_string(Start start) {
  switch (start) {
    case Start::seeded: return "seeded";
    case Start::random_features: return "random_features";
  }
  return "unknown";
}

/// What `Method::random_features` found of its feature matrix \f$\Phi\f$ (the residuals' derivatives by
/// the output weights, a row per residual and a column per unit), also as the first stage of
/// `Start::random_features`; zeros when no random-features fit ran.
template <typename Scalar>
struct FeatureReport {
  /// Columns of \f$\Phi\f$: the units of all networks.
  Eigen::Index columns = 0;
  /// Its numerical rank, as the column-pivoting QR factorization found it: the columns used. Fewer than
  /// `columns` means that some units were linear combinations of others to working precision; their
  /// output weights are 0.
  Eigen::Index rank = 0;
  /// \f$|R_{11}| / |R_{rr}|\f$ of that factorization, a lower estimate of the condition number of the
  /// columns used (\f$10^{10}\f$ and more is usual for sigmoid features and costs no accuracy).
  Scalar condition = Scalar(0);
  /// Least-squares solves of a march that used a factorization kept from an earlier solve, whose \f$\Phi\f$ was
  /// the same to rounding, instead of factoring: the segment before's, over segments of one length with an f
  /// linear in y with constant coefficients, or the fit's own last one, once Gauss-Newton steps on a nonlinear
  /// f no longer change \f$\Phi\f$. Added over the segments of a march, whose rank and condition are its
  /// first segment's; 0 without time marching.
  Eigen::Index reused_factorizations = 0;
};

/// Short lower-case name of a method, e.g. "levenberg_marquardt".
inline const char* to_string(Method method) {
  switch (method) {
    case Method::lbfgs: return "lbfgs";
    case Method::levenberg_marquardt: return "levenberg_marquardt";
    case Method::variable_projection: return "variable_projection";
    case Method::quasilinearization: return "quasilinearization";
    case Method::random_features: return "random_features";
  }
  return "unknown";
}

}  // namespace trialode
