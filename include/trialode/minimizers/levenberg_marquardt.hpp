// SPDX-License-Identifier: MIT
// The Levenberg-Marquardt minimizer of a sum of squares f(x) = sum_i r_i(x)^2, given the residuals and
// their Jacobian. Like Lbfgs it knows nothing of ODEs, and it reports in the same way.
#pragma once

#include <Eigen/Cholesky>
#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include "detail/iteration.hpp"
#include "report.hpp"

namespace trialode {

/// How the damping term of LevenbergMarquardt is shaped.
enum class DampingScaling {
  /// \f$D = I\f$ (Levenberg 1944; Nielsen 1999): the damped step leans towards steepest descent.
  identity,
  /// \f$D = \mathrm{diag}(d_j^2)\f$ with \f$d_j\f$ the largest norm of column \f$j\f$ of \f$J\f$ seen so far
  /// (Marquardt 1963; More 1978): the step is invariant under a rescaling of the variables.
  jacobian_columns
};

/// Parameters of LevenbergMarquardt. The defaults derive from the machine epsilon \f$\varepsilon\f$ of
/// Scalar, so that float, double and long double work without tuning.
template <typename Scalar>
struct LevenbergMarquardtParameters {
  /// \f$\tau\f$ in the initial damping \f$\lambda_0 = \tau \max_j (J^T J)_{jj} / D_{jj}\f$; default
  /// \f$10^{-3}\f$ (Nielsen 1999). Small values start close to Gauss-Newton. Positive and finite.
  Scalar initial_damping = Scalar(1e-3);
  /// Shape of the damping term \f$D\f$; default DampingScaling::identity.
  DampingScaling scaling = DampingScaling::identity;
  /// Stop when \f$\|g\| \le\f$ this, where \f$g = 2 J^T r\f$ is the gradient of f; default 0, i.e. only
  /// for an exactly zero gradient.
  Scalar gradient_tolerance = Scalar(0);
  /// Stop when \f$\|g_k\| \le\f$ this \f$\cdot \|g_0\|\f$; default \f$\varepsilon^{2/3}\f$
  /// (\f$3.7 \cdot 10^{-11}\f$ in double).
  Scalar relative_gradient_tolerance = std::pow(std::numeric_limits<Scalar>::epsilon(), Scalar(2) / Scalar(3));
  /// Stop when a step, accepted or not, changes f by at most this times f and the model predicted no
  /// more (More 1978's ftol, as in MINPACK); default \f$10 \varepsilon\f$.
  Scalar decrease_tolerance = Scalar(10) * std::numeric_limits<Scalar>::epsilon();
  /// Stop when \f$\|D^{1/2} \delta\| \le\f$ this \f$\cdot (\|D^{1/2} x\| +\f$ this\f$)\f$ (Nielsen 1999's
  /// \f$\varepsilon_2\f$); default \f$\varepsilon^{2/3}\f$. A point where only ever smaller steps fail to
  /// decrease f ends here: f cannot be lowered at working precision.
  Scalar step_tolerance = std::pow(std::numeric_limits<Scalar>::epsilon(), Scalar(2) / Scalar(3));
  /// Most accepted steps; default 1000. At least 1.
  int max_iterations = 1000;
  /// Most calls of the objective (one per trial step, accepted or not); default 2000. At least 1.
  int max_evaluations = 2000;
  /// The run fails when the damping would exceed this times its scale \f$\max_j (J^T J)_{jj}/D_{jj}\f$
  /// without any step decreasing f; default \f$1/\varepsilon\f$. Greater than 1.
  Scalar max_damping = Scalar(1) / std::numeric_limits<Scalar>::epsilon();

  /// Throws `std::invalid_argument` naming the first field out of range (NaN is always out of range).
  void check() const {
    const Scalar infinity = std::numeric_limits<Scalar>::infinity();
    const auto non_negative = [infinity](Scalar value) { return value >= Scalar(0) && value < infinity; };
    if (!(initial_damping > Scalar(0) && initial_damping < infinity)) {
      throw std::invalid_argument("LevenbergMarquardtParameters::initial_damping must be positive and finite");
    }
    if (scaling != DampingScaling::identity && scaling != DampingScaling::jacobian_columns) {
      throw std::invalid_argument("LevenbergMarquardtParameters::scaling is not a DampingScaling value");
    }
    if (!non_negative(gradient_tolerance)) {
      throw std::invalid_argument("LevenbergMarquardtParameters::gradient_tolerance must be finite and non-negative");
    }
    if (!(non_negative(relative_gradient_tolerance) && relative_gradient_tolerance < Scalar(1))) {
      // At 1 or more the test holds at the start point, before any step.
      throw std::invalid_argument("LevenbergMarquardtParameters::relative_gradient_tolerance must lie in [0, 1)");
    }
    if (!(non_negative(decrease_tolerance) && decrease_tolerance < Scalar(1))) {
      throw std::invalid_argument("LevenbergMarquardtParameters::decrease_tolerance must lie in [0, 1)");
    }
    if (!non_negative(step_tolerance)) {
      throw std::invalid_argument("LevenbergMarquardtParameters::step_tolerance must be finite and non-negative");
    }
    if (max_iterations < 1) {
      throw std::invalid_argument("LevenbergMarquardtParameters::max_iterations must be at least 1");
    }
    if (max_evaluations < 1) {
      throw std::invalid_argument("LevenbergMarquardtParameters::max_evaluations must be at least 1");
    }
    if (!(max_damping > Scalar(1) && max_damping < infinity)) {
      throw std::invalid_argument("LevenbergMarquardtParameters::max_damping must be greater than 1 and finite");
    }
  }
};

/// The Levenberg-Marquardt method (Levenberg 1944, Q. Appl. Math. 2; Marquardt 1963, SIAM J. Appl.
/// Math. 11) for \f$\min_x f(x) = \sum_i r_i(x)^2 = \|r(x)\|^2\f$. Each trial step solves the damped
/// normal equations
/// \f[ (J^T J + \lambda D)\, \delta = -J^T r \f]
/// by a Cholesky factorization of the small \f$n \times n\f$ matrix, and is accepted when the gain ratio
/// \f[ \rho = \frac{f(x) - f(x + \delta)}{\|r\|^2 - \|r + J\delta\|^2}
///          = \frac{f(x) - f(x + \delta)}{\|J \delta\|^2 + 2 \lambda\, \delta^T D \delta} \f]
/// is positive. The damping follows Nielsen's rule (Nielsen 1999, "Damping parameter in Marquardt's
/// method", IMM-REP-1999-05; Madsen, Nielsen & Tingleff 2004): after an accepted step
/// \f$\lambda \leftarrow \lambda \max(1/3, 1 - (2\rho - 1)^3)\f$, \f$\nu = 2\f$; after a rejected one
/// \f$\lambda \leftarrow \nu \lambda\f$, \f$\nu \leftarrow 2 \nu\f$. \f$D\f$ is \f$I\f$ or, with
/// DampingScaling::jacobian_columns, the diagonal of squared column norms of More (1978, "The
/// Levenberg-Marquardt algorithm: implementation and theory", LNM 630).
///
/// A trial point where the residuals or the Jacobian are not finite is a rejected step: the damping
/// grows and the run goes on from the current point. Since only steps that lower f are accepted, the
/// point left in `x` is the best finite point evaluated.
///
/// All workspace lives in the object and is sized on the first call (the residual count comes from the
/// objective); later calls with the same sizes allocate nothing. `Size` is the number of variables when
/// known at compile time. An object is not meant to run two minimizations at once.
template <typename Scalar, int Size = Eigen::Dynamic>
class LevenbergMarquardt {
 public:
  /// A point \f$x\f$ or a step \f$\delta\f$: one entry per variable.
  using Vector = Eigen::Matrix<Scalar, Size, 1>;
  /// One entry per residual.
  using Residuals = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
  /// \f$J_{ij} = \partial r_i / \partial x_j\f$: a row per residual, a column per variable.
  using Jacobian = Eigen::Matrix<Scalar, Eigen::Dynamic, Size>;

  /// Checks the parameters (std::invalid_argument if bad) and keeps a copy of them.
  explicit LevenbergMarquardt(const LevenbergMarquardtParameters<Scalar>& parameters = {})
      : parameters_(parameters) {
    parameters_.check();
  }

  /// The parameters in use, as checked and copied by the constructor.
  const LevenbergMarquardtParameters<Scalar>& parameters() const { return parameters_; }

  /// Minimizes \f$\|r(x)\|^2\f$ from `x`, which receives the best point found. `objective` is called as
  /// `void objective(const Vector& x, Residuals& r, Jacobian& J)`: it writes \f$r(x)\f$ and
  /// \f$J(x)\f$, resizing them if needed (the same number of residuals on every call). `callback`, when
  /// not empty, is called after every accepted step; returning false stops the run with
  /// `MinimizerStatus::stopped_by_callback` It is an `IterationCallback`, a `std::function`, so a callable is
  /// copied into it: pass `std::ref(functor)` for a functor whose own state must see the calls. In the report and the callback, `f` is
  /// \f$\|r\|^2\f$, `gradient_norm` is \f$\|2 J^T r\|\f$ and `step` is \f$\|\delta\|\f$.
  ///
  /// Numerical trouble is reported in the returned status, never thrown. An exception thrown by the
  /// objective or the callback passes through, leaving in `x` the best point so far.
  template <typename Objective>
  MinimizerReport<Scalar> minimize(Objective&& objective, Vector& x, const IterationCallback<Scalar>& callback = {}) {
    static_assert(std::is_invocable_v<Objective&, const Vector&, Residuals&, Jacobian&>,
                  "The objective must be callable as void objective(const Vector& x, Residuals& r, Jacobian& J): "
                  "it writes the residuals r(x) and their Jacobian J(x), J(i, j) = dr_i/dx_j, with "
                  "Vector = Eigen::Matrix<Scalar, Size, 1>, Residuals = Eigen::Matrix<Scalar, Dynamic, 1> and "
                  "Jacobian = Eigen::Matrix<Scalar, Dynamic, Size>.");
    using std::abs;
    using std::isfinite;
    using std::sqrt;
    const LevenbergMarquardtParameters<Scalar>& p = parameters_;
    MinimizerReport<Scalar> report;
    prepare(x.size());

    objective(static_cast<const Vector&>(x), r_, jacobian_);
    report.evaluations = 1;
    Scalar f = r_.squaredNorm();
    const bool finite = isfinite(f) && jacobian_.allFinite() && jacobian_.cols() == x.size();
    if (finite) update_normal_equations();
    Scalar gradient_norm = finite ? Scalar(2) * gradient_.norm() : std::numeric_limits<Scalar>::quiet_NaN();
    report.initial_f = f;
    report.initial_gradient_norm = gradient_norm;
    if (!finite || !isfinite(gradient_norm)) {
      detail::finish_report(report, MinimizerStatus::non_finite, f, gradient_norm, p.max_iterations, p.max_evaluations,
                            "Stopped: the residuals or their Jacobian are not finite at the start point.");
      return report;
    }
    if (r_trial_.size() != r_.size()) {
      r_trial_.resize(r_.size());
      jacobian_delta_.resize(r_.size());
    }
    if (jacobian_trial_.rows() != jacobian_.rows()) jacobian_trial_.resize(jacobian_.rows(), x.size());

    if (p.scaling == DampingScaling::identity) {
      scale_.setOnes();
    } else {
      scale_ = normal_.diagonal().cwiseMax(std::numeric_limits<Scalar>::min());
    }
    // The damping is measured in units of damping_unit, so that max_damping is relative.
    Scalar damping_unit = (normal_.diagonal().array() / scale_.array()).maxCoeff();
    if (!(damping_unit > Scalar(0))) damping_unit = Scalar(1);
    Scalar damping = p.initial_damping * damping_unit;
    Scalar growth = Scalar(2);  // Nielsen's nu
    bool last_trial_non_finite = false;  // tells a stall at NaN apart from one at working precision

    MinimizerStatus status = MinimizerStatus::iteration_limit;
    bool done = test_gradient(gradient_norm, report.initial_gradient_norm, status);
    while (!done) {
      if (detail::limit_reached(report, p.max_iterations, p.max_evaluations, status)) break;
      if (damping > p.max_damping * damping_unit || !isfinite(damping)) {
        status = last_trial_non_finite ? MinimizerStatus::non_finite : MinimizerStatus::damping_limit;
        break;
      }

      // (J^T J + lambda D) delta = -J^T r, with gradient_ = J^T r.
      damped_ = normal_;
      damped_.diagonal() += damping * scale_;
      cholesky_.compute(damped_);
      if (cholesky_.info() != Eigen::Success) {
        damping *= growth;
        growth *= Scalar(2);
        continue;
      }
      delta_ = -gradient_;
      cholesky_.solveInPlace(delta_);
      const Scalar step_norm = delta_.norm();
      const Scalar scaled_step = sqrt((delta_.array().square() * scale_.array()).sum());
      const Scalar scaled_x = sqrt((x.array().square() * scale_.array()).sum());
      if (scaled_step <= p.step_tolerance * (scaled_x + p.step_tolerance)) {
        status = last_trial_non_finite ? MinimizerStatus::non_finite : MinimizerStatus::converged_step;
        break;
      }

      x_trial_ = x + delta_;
      objective(static_cast<const Vector&>(x_trial_), r_trial_, jacobian_trial_);
      ++report.evaluations;
      const Scalar f_trial = r_trial_.squaredNorm();
      const bool trial_finite = isfinite(f_trial) && jacobian_trial_.allFinite();
      // ||r||^2 - ||r + J delta||^2 = ||J delta||^2 + 2 lambda delta' D delta, by the normal equations.
      jacobian_delta_.noalias() = jacobian_ * delta_;
      const Scalar predicted = jacobian_delta_.squaredNorm() +
                               Scalar(2) * damping * (delta_.array().square() * scale_.array()).sum();
      last_trial_non_finite = !trial_finite;
      if (!trial_finite) {
        damping *= growth;
        growth *= Scalar(2);
        continue;
      }
      const Scalar actual = f - f_trial;
      const bool small_change =
          abs(actual) <= p.decrease_tolerance * f && predicted <= p.decrease_tolerance * f;
      const Scalar rho = actual / predicted;
      if (actual > Scalar(0) && predicted > Scalar(0)) {
        x.swap(x_trial_);
        r_.swap(r_trial_);
        jacobian_.swap(jacobian_trial_);
        f = f_trial;
        update_normal_equations();
        gradient_norm = Scalar(2) * gradient_.norm();
        if (p.scaling == DampingScaling::jacobian_columns) scale_ = scale_.cwiseMax(normal_.diagonal());
        const Scalar cube = (Scalar(2) * rho - Scalar(1)) * (Scalar(2) * rho - Scalar(1)) * (Scalar(2) * rho - Scalar(1));
        damping *= std::max(Scalar(1) / Scalar(3), Scalar(1) - cube);
        damping = std::max(damping, std::numeric_limits<Scalar>::min() * damping_unit);
        growth = Scalar(2);
        ++report.iterations;

        if (!detail::go_on(callback, report, f, gradient_norm, step_norm, status)) break;
        if (test_gradient(gradient_norm, report.initial_gradient_norm, status)) break;
      } else {
        damping *= growth;
        growth *= Scalar(2);
      }
      if (small_change) {
        status = MinimizerStatus::converged_decrease;
        break;
      }
    }

    detail::finish_report(report, status, f, gradient_norm, p.max_iterations, p.max_evaluations, message(status));
    return report;
  }

 private:
  using Normal = Eigen::Matrix<Scalar, Size, Size>;

  /// Sizes the workspace for n variables, allocating only when a size changed.
  void prepare(Eigen::Index n) {
    if (normal_.rows() != n) {
      normal_.resize(n, n);
      damped_.resize(n, n);
      gradient_.resize(n);
      delta_.resize(n);
      scale_.resize(n);
      x_trial_.resize(n);
    }
  }

  /// normal_ = \f$J^T J\f$ and gradient_ = \f$J^T r\f$ at the current point.
  void update_normal_equations() {
    normal_.setZero();
    normal_.template selfadjointView<Eigen::Lower>().rankUpdate(jacobian_.transpose());  // the LLT reads the lower half
    gradient_.noalias() = jacobian_.transpose() * r_;
  }

  bool test_gradient(Scalar gradient_norm, Scalar initial_gradient_norm, MinimizerStatus& status) const {
    return detail::gradient_converged(gradient_norm, initial_gradient_norm, parameters_.gradient_tolerance,
                                      parameters_.relative_gradient_tolerance, status);
  }

  /// The sentences of the statuses only Levenberg-Marquardt words this way (see detail::common_message).
  static std::string message(MinimizerStatus status) {
    switch (status) {
      case MinimizerStatus::converged_decrease:
        return "Converged: a step changed the sum of squares by less than the relative tolerance, as the model "
               "predicted.";
      case MinimizerStatus::converged_step:
        return "Converged: the damped step fell below the relative step tolerance.";
      case MinimizerStatus::damping_limit:
        return "Stopped: no step lowered the sum of squares, even with the largest damping.";
      case MinimizerStatus::non_finite:
        return "Stopped: trial points gave NaN or infinite residuals or Jacobians, and no step lowered the sum "
               "of squares even with the largest damping.";
      default:
        return "";
    }
  }

  LevenbergMarquardtParameters<Scalar> parameters_;
  Residuals r_;              ///< residuals at the current point
  Residuals r_trial_;        ///< residuals at the trial point
  Residuals jacobian_delta_; ///< \f$J \delta\f$
  Jacobian jacobian_;        ///< Jacobian at the current point
  Jacobian jacobian_trial_;  ///< Jacobian at the trial point
  Normal normal_;            ///< \f$J^T J\f$
  Normal damped_;            ///< \f$J^T J + \lambda D\f$
  Eigen::LLT<Normal> cholesky_;
  Vector gradient_;          ///< \f$J^T r\f$, half the gradient of f
  Vector delta_;             ///< the trial step
  Vector scale_;             ///< the diagonal of D
  Vector x_trial_;           ///< the trial point
};

}  // namespace trialode
