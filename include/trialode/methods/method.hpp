// SPDX-License-Identifier: MIT
// The methods solve() fits the weights with: one enum, one axis of the options. Each is a minimizer (or a
// minimizer applied to a reduced problem) on the same network and trial function.
#pragma once

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
  quasilinearization
};

/// Short lower-case name of a method, e.g. "levenberg_marquardt".
inline const char* to_string(Method method) {
  switch (method) {
    case Method::lbfgs: return "lbfgs";
    case Method::levenberg_marquardt: return "levenberg_marquardt";
    case Method::variable_projection: return "variable_projection";
    case Method::quasilinearization: return "quasilinearization";
  }
  return "unknown";
}

}  // namespace trialode
