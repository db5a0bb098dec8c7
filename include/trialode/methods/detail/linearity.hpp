// SPDX-License-Identifier: MIT
// Cheap tests that f is linear in the unknowns, at the collocation points: what variable projection needs,
// and what lets random features fit in one least-squares solve. For scalar problems and systems.
#pragma once

#include <Eigen/Core>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "../../approximation/constrained_trial.hpp"
#include "../../approximation/trial.hpp"

namespace trialode {
namespace detail {

/// True when \f$a - 2b + c\f$ is zero to rounding, relative to the size of the three values, and when
/// one of them is not finite: linearity cannot be tested there, and the fit, which meets the same
/// values, ends with `MinimizerStatus::non_finite` rather than a wrong "not linear".
template <typename Scalar>
bool second_difference_vanishes(Scalar a, Scalar b, Scalar c) {
  using std::abs;
  using std::isfinite;
  if (!isfinite(a) || !isfinite(b) || !isfinite(c)) return true;
  const Scalar tolerance = Scalar(100) * std::numeric_limits<Scalar>::epsilon();
  const Scalar difference = abs(a - Scalar(2) * b + c);
  return difference <= tolerance * (abs(a) + Scalar(2) * abs(b) + abs(c));
}

/// The same for vectors, entry by entry.
template <typename Vector>
bool second_differences_vanish(const Vector& a, const Vector& b, const Vector& c) {
  for (Eigen::Index j = 0; j < a.size(); ++j) {
    if (!second_difference_vanishes(a[j], b[j], c[j])) return false;
  }
  return true;
}

/// The outcome of `test_linearity`: where f was first seen not to be linear, if anywhere.
struct LinearityTest {
  bool linear = true;     ///< no test failed
  const char* what = "";  ///< in which unknowns f is not linear
  double t = 0.0;         ///< at which point
};

/// Whether f of a problem is linear in the unknowns at every point of `points`, to rounding. First order:
/// \f$f(t_i, y)\f$ at \f$y_0 - s, y_0, y_0 + s\f$ with \f$s = \max(1, |y_0|)\f$ must lie on a line within
/// \f$100 \varepsilon\f$ of their size. Second order: \f$f(t_i, y, y')\f$ linear along \f$y\f$ and along
/// \f$y'\f$ (values at 0, 1, 2) and without a \f$y\, y'\f$ term (\f$f(1, 1) - f(1, 0) - f(0, 1) + f(0, 0) = 0\f$).
/// A system: every component of f linear along every axis \f$e_j\f$ through \f$y_0\f$ (steps
/// \f$s = \max(1, \|y_0\|_\infty)\f$) and without products \f$y_j y_k\f$. Linearity cannot be proved from
/// samples; this catches the usual cases cheaply, before any fit.
template <typename Problem, typename Points>
LinearityTest test_linearity(const Problem& problem, const Points& points) {
  using Scalar = typename Problem::scalar_type;
  using std::abs;
  for (Eigen::Index i = 0; i < points.size(); ++i) {
    const Scalar t = points[i];
    const auto fail = [t](const char* what) { return LinearityTest{false, what, static_cast<double>(t)}; };
    if constexpr (is_system<Problem>) {
      using Vector = typename Problem::Vector;
      const Scalar s = std::max(Scalar(1), problem.y0.cwiseAbs().maxCoeff());
      const Vector f0 = problem.value(t, problem.y0);
      for (Eigen::Index j = 0; j < problem.size(); ++j) {
        Vector y = problem.y0;
        y[j] += s;
        const Vector fj = problem.value(t, y);
        y[j] = problem.y0[j] - s;
        if (!second_differences_vanish(problem.value(t, y), f0, fj)) return fail("y (along one component)");
        for (Eigen::Index k = j + 1; k < problem.size(); ++k) {
          Vector yk = problem.y0;
          yk[k] += s;
          const Vector fk = problem.value(t, yk);
          yk[j] += s;
          // f(e_j + e_k) - f(e_j) - f(e_k) + f(0) = 0 as a vanishing second difference about (f_j + f_k) / 2
          if (!second_differences_vanish(problem.value(t, yk), ((fj + fk) / Scalar(2)).eval(), f0)) {
            return fail("y: it has a product of two components");
          }
        }
      }
    } else if constexpr (is_constrained_trial<TrialFor<Problem>>) {
      // f(t, x) linear along every axis x_j (values at 0, e_j, 2 e_j) and without products x_j x_k
      constexpr int m = Problem::order;
      static const char* const names[] = {"y", "y'", "y''", "y'''"};
      static const char* const products = "(y, y', ...): it has a product of two of them";
      const typename Problem::State zero{};
      const Scalar f0 = problem.value(t, zero);
      std::array<Scalar, m> along{};
      for (int j = 0; j < m; ++j) {
        typename Problem::State x{};
        x[static_cast<std::size_t>(j)] = Scalar(1);
        along[static_cast<std::size_t>(j)] = problem.value(t, x);
        x[static_cast<std::size_t>(j)] = Scalar(2);
        if (!second_difference_vanishes(f0, along[static_cast<std::size_t>(j)], problem.value(t, x))) return fail(names[j]);
      }
      for (int j = 0; j < m; ++j) {
        for (int k = j + 1; k < m; ++k) {
          typename Problem::State x{};
          x[static_cast<std::size_t>(j)] = Scalar(1);
          x[static_cast<std::size_t>(k)] = Scalar(1);
          const Scalar middle = (along[static_cast<std::size_t>(j)] + along[static_cast<std::size_t>(k)]) / Scalar(2);
          if (!second_difference_vanishes(problem.value(t, x), middle, f0)) return fail(products);
        }
      }
    } else if constexpr (Problem::order == 1) {
      const Scalar s = std::max(Scalar(1), abs(problem.y0));
      if (!second_difference_vanishes(problem.value(t, problem.y0 - s), problem.value(t, problem.y0),
                                      problem.value(t, problem.y0 + s))) {
        return fail("y");
      }
    } else {
      const Scalar zero(0), one(1), two(2);
      const auto f = [&problem, t](Scalar y, Scalar dy) { return problem.value(t, y, dy); };
      const Scalar f00 = f(zero, zero);
      const Scalar f10 = f(one, zero);
      const Scalar f01 = f(zero, one);
      if (!second_difference_vanishes(f00, f10, f(two, zero))) return fail("y");
      if (!second_difference_vanishes(f00, f01, f(zero, two))) return fail("y'");
      // f(1, 1) - f(1, 0) - f(0, 1) + f(0, 0) = 0 is a vanishing second difference of f(1, 1) + f(0, 0)
      // around the midpoint (f(1, 0) + f(0, 1)) / 2.
      if (!second_difference_vanishes(f(one, one), (f10 + f01) / two, f00)) return fail("(y, y'): it has a y y' term");
    }
  }
  return {};
}

/// Throws `std::invalid_argument` naming the method, the unknowns and the point unless `test_linearity`
/// finds f linear at every point of `points`.
template <typename Problem, typename Points>
void check_linear(const Problem& problem, const Points& points, const char* method = "variable_projection") {
  const LinearityTest test = test_linearity(problem, points);
  if (!test.linear) {
    throw std::invalid_argument(std::string("solve: Method::") + method + " needs a linear problem, but f is not linear in " +
                                test.what + " at t = " + std::to_string(test.t));
  }
}

}  // namespace detail
}  // namespace trialode
