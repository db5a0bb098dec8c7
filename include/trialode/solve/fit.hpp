// SPDX-License-Identifier: MIT
// The fit: a cost minimized from given weights by the method the options name. Every family's solve goes
// through this one function; it knows the methods, not the families.
#pragma once

#include <stdexcept>
#include <string>

#include "../methods/method.hpp"
#include "../methods/detail/linearity.hpp"
#include "../methods/quasilinearization.hpp"
#include "../methods/random_features.hpp"
#include "../methods/variable_projection.hpp"
#include "../minimizers/lbfgs.hpp"
#include "../minimizers/levenberg_marquardt.hpp"
#include "../minimizers/report.hpp"
#include "options.hpp"

namespace trialode {
namespace detail {

/// Levenberg-Marquardt on the residuals of `cost` and their exact Jacobian, from `weights`.
template <typename Cost, typename Parameters, typename Scalar>
MinimizerReport<Scalar> fit_least_squares(Cost& cost, Parameters& weights, const SolveOptions<Scalar>& options) {
  using Minimizer = LevenbergMarquardt<Scalar, Parameters::RowsAtCompileTime>;
  Minimizer minimizer(options.least_squares);
  return minimizer.minimize(
      [&cost](const Parameters& p, typename Minimizer::Residuals& r, typename Minimizer::Jacobian& j) {
        cost.residuals(p, r, j);
      },
      weights, options.callback);
}

/// Minimizes `cost` from `weights` (the start `starting_weights` chose), which receive the best weights
/// found, with the method `options.method` names. `Method::variable_projection` is for the costs of scalar
/// problems whose f is linear (`supports_variable_projection`), `Method::quasilinearization` for the costs of
/// systems (`supports_quasilinearization`); `solve()` checks that the method suits the problem, and the
/// linearity (`check_linear`), before any work. A method that does not apply throws `std::invalid_argument`.
/// `Method::random_features` fits the output weights alone, and writes what it found of its feature matrix
/// into `features` when that is not null; with `kept`, it keeps the factorization of that matrix for the next
/// fit, and uses the one kept when the matrix repeats (`FeatureFactorization`).
template <typename Cost, typename Parameters, typename Scalar>
MinimizerReport<Scalar> fit(Cost& cost, Parameters& weights, const SolveOptions<Scalar>& options,
                            FeatureReport<Scalar>* features = nullptr, FeatureFactorization<Scalar>* kept = nullptr) {
  switch (options.method) {
    case Method::lbfgs: {
      Lbfgs<Scalar, Parameters::RowsAtCompileTime> minimizer(options.minimizer);
      return minimizer.minimize(cost, weights, options.callback);
    }
    case Method::levenberg_marquardt:
      return fit_least_squares(cost, weights, options);
    case Method::variable_projection:
      if constexpr (supports_variable_projection<Cost>::value) {
        return fit_variable_projection(cost, weights, options.least_squares, options.callback);
      }
      break;
    case Method::quasilinearization:
      if constexpr (supports_quasilinearization<Cost>::value) {
        const MinimizerReport<Scalar> start = fit_least_squares(cost, weights, options);
        if (start.status == MinimizerStatus::stopped_by_callback) return start;
        MinimizerReport<Scalar> report = quasilinearize(cost, weights, options.quasilinearization, options.callback);
        report.iterations += start.iterations;
        report.evaluations += start.evaluations;
        report.initial_f = start.initial_f;
        report.initial_gradient_norm = start.initial_gradient_norm;
        return report;
      }
      break;
    case Method::random_features: {
      const Linearity linearity = options.random_features.linearity;
      const bool linear = linearity == Linearity::linear ||
                          (linearity == Linearity::detect && test_linearity(cost.problem(), cost.points()).linear);
      Parameters buffer = weights;
      RandomFeatures<Scalar> fitter(cost.layout(), cost.residual_count(), feature_evaluations(cost, buffer),
                                    options.random_features, kept);
      typename RandomFeatures<Scalar>::Parameters all = weights;
      MinimizerReport<Scalar> report = fitter.fit(all, linear, options.callback);
      weights = all;
      if (features != nullptr) *features = fitter.features();
      return report;
    }
  }
  throw std::invalid_argument(std::string("solve: Method::") + to_string(options.method) +
                              " does not apply to this problem family");
}

}  // namespace detail
}  // namespace trialode
