// SPDX-License-Identifier: MIT
// The change of variables every solve makes: the time to z = (t - t0)/(t1 - t0) in [0, 1] and the solution to
// Y = y/c, so that the fit of a problem is the same whatever its interval and the size of its solution.
#pragma once

#include <Eigen/Core>

#include <algorithm>
#include <array>
#include <vector>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include "../../approximation/constrained_trial.hpp"
#include "../../approximation/network.hpp"
#include "../../approximation/trial.hpp"
#include "../../approximation/weights.hpp"
#include "../../problems/first_order.hpp"
#include "../../problems/linear_conditions.hpp"
#include "../../problems/second_order.hpp"
#include "../../problems/system.hpp"

namespace trialode {
namespace detail {

/// The normalized variables of a solve: \f$z = (t - t_0)/L\f$ with \f$L = t_1 - t_0\f$, and
/// \f$Y = y/c\f$ with the solution's scale \f$c\f$ (`solution_scale`). An equation of order \f$m\f$,
/// \f$y^{(m)} = f\f$, becomes \f$Y^{(m)} = \hat f = (L^m/c)\, f\f$, and its residual is
/// \f$\hat r = (L^m/c)\, r\f$. A network \f$M(z) = \sum_k V_k s(W_k z + B_k)\f$ of the normalized trial form
/// is the network \f$N(t) = (c/L^m) M((t - t_0)/L)\f$ of the problem's own: \f$v_k = (c/L^m) V_k\f$,
/// \f$w_k = W_k/L\f$ and \f$u_k = B_k\f$ at the origin \f$t_0\f$ (`SigmoidNetwork::origin`), for each
/// family's trial form (\f$(t - t_0) = L z\f$, \f$(t - t_0)^2 = L^2 z^2\f$, \f$(t - a)(b - t) = L^2 z (1 - z)\f$).
template <typename Scalar>
struct Normalization {
  Scalar t0 = Scalar(0);      ///< \f$t_0\f$
  Scalar length = Scalar(1);  ///< \f$L = t_1 - t_0\f$
  Scalar scale = Scalar(1);   ///< \f$c\f$
  int order = 1;              ///< \f$m\f$, the order of the equation
  /// \f$p\f$, the power of \f$L\f$ in the factor \f$B\f$ of the network in the trial form: \f$m\f$ for the
  /// forms of Lagaris et al. (\f$B = (t - t_0)^m\f$ or \f$(t - a)(b - t)\f$), 0 for the constrained expression
  /// (\f$B = 1\f$).
  int network_power = 1;

  /// \f$c/L^m\f$: the residual in the problem's units from the normalized one.
  Scalar output_factor() const { return scale / length_power(order); }
  /// \f$c/L^p\f$: a network's output weights in the problem's units from the normalized ones.
  Scalar network_factor() const { return scale / length_power(network_power); }
  /// \f$L^m/c\f$: the factor of \f$f\f$ in the normalized equation.
  Scalar equation_factor() const { return length_power(order) / scale; }
  /// \f$L^k\f$.
  Scalar length_power(int k) const {
    Scalar power(1);
    for (int j = 0; j < k; ++j) power *= length;
    return power;
  }
  /// \f$z = (t - t_0)/L\f$.
  Scalar z(Scalar t) const { return (t - t0) / length; }

  /// The weights \f$(V, W, B)\f$ of a normalized network from the weights \f$(v, w, u)\f$ of a network at
  /// the origin \f$t_0\f$: \f$V = v/(c/L^p)\f$, \f$W = w L\f$, \f$B = u\f$.
  template <typename Weights>
  void normalize(const WeightLayout& layout, Weights& weights) const {
    const Scalar factor = network_factor();
    for (Eigen::Index k = 0; k < layout.networks(); ++k) {
      for (Eigen::Index j = 0; j < layout.hidden_units(); ++j) {
        weights[layout.v_index(k, j)] /= factor;
        weights[layout.w_index(k, j)] *= length;
      }
    }
  }
  /// Network k of `weights` (normalized, laid out as `layout` says) as the problem's own network, at the
  /// origin \f$t_0\f$.
  template <typename Network, typename Weights>
  Network network(const WeightLayout& layout, const Weights& weights, Eigen::Index k) const {
    typename Network::Parameters p(layout.network(weights, k));
    const Scalar factor = network_factor();
    for (Eigen::Index j = 0; j < layout.hidden_units(); ++j) {
      p[layout.v_index(0, j)] *= factor;
      p[layout.w_index(0, j)] /= length;
    }
    return Network(layout.hidden_units(), p, t0);
  }
};

/// The normalization of a problem, with its scale \f$c\f$: the largest of the conditions
/// (\f$|y_0|\f$; \f$|y_0|, L |y'_0|\f$ for a second-order initial value problem; \f$|y_a|, |y_b|\f$ for
/// boundary values; every \f$|y_{0j}|\f$ of a system) and of the change f would make over the interval at
/// its rate at the points, \f$(L^m/m!)\, |f(t_i, A(t_i), A'(t_i))|\f$ at every point \f$t_i\f$ of
/// `points`, with \f$A\f$ the part of the trial form that the conditions fix (the largest entry for a
/// system); values that are not finite are passed over, and the scale is 1 when nothing is left. \f$c\f$ is
/// that scale rounded to the largest condition times a power of two (to a power of two when every condition
/// is 0), so that the normalized conditions are exact. So a forcing
/// that dwarfs the initial value, or a solution that starts at 0, sets the scale too. Throws
/// `std::invalid_argument` when \f$c/L^m\f$, \f$L^m/c\f$ or the bound \f$c/L^{m+2}\f$ of a network's
/// highest derivative weights (\f$v w^2\f$) is out of the scalar type's range: no network can express the
/// solution there.
template <typename Problem, typename Points>
Normalization<typename Problem::scalar_type> normalization(const Problem& problem, const Points& points) {
  using Scalar = typename Problem::scalar_type;
  using std::abs;
  using std::isfinite;
  Normalization<Scalar> map;
  map.t0 = problem.t0;
  map.length = problem.t1 - problem.t0;
  map.order = Problem::order;
  using Trial = TrialFor<Problem>;
  map.network_power = is_constrained_trial<Trial> ? 0 : Problem::order;
  Scalar change = map.length_power(map.order);  // L^m/m!
  for (int j = 2; j <= map.order; ++j) change /= Scalar(j);
  Scalar scale(0);
  Scalar condition(0);  // the largest condition, of which c is a power-of-two multiple
  const auto consider = [&scale](Scalar x) {
    if (isfinite(x)) scale = std::max(scale, abs(x));
  };
  const auto consider_condition = [&](Scalar x) {
    consider(x);
    condition = scale;
  };
  if constexpr (is_constrained_trial<Trial>) {
    // The part the conditions fix, A = sum_j phi_j (S^-1 kappa)_j, plays the conditions' part; c is a power of two.
    const Trial trial = trial_for(problem);
    if (!trial.eta.allFinite()) {
      throw std::invalid_argument("solve: the conditions' values are too large for this scalar type: the part of the "
                                  "solution they fix, S^-1 kappa, is not finite");
    }
    constexpr int m = Problem::order;
    for (Eigen::Index i = 0; i < points.size(); ++i) {
      typename Problem::State state;
      for (int d = 0; d < m; ++d) state[static_cast<std::size_t>(d)] = trial.polynomial(points[i], d);
      consider(state[0]);
      consider(change * problem.value(points[i], state));
    }
  } else if constexpr (std::is_same<Trial, FirstOrderTrial<Scalar>>::value) {
    consider_condition(problem.y0);
    for (Eigen::Index i = 0; i < points.size(); ++i) consider(change * problem.value(points[i], problem.y0));
  } else if constexpr (std::is_same<Trial, SecondOrderTrial<Scalar>>::value) {
    consider_condition(problem.y0);
    consider_condition(map.length * problem.dy0);
    for (Eigen::Index i = 0; i < points.size(); ++i) {
      const Scalar t = points[i];
      consider(change * problem.value(t, problem.y0 + problem.dy0 * (t - problem.t0), problem.dy0));
    }
  } else if constexpr (std::is_same<Trial, DirichletTrial<Scalar>>::value) {
    consider_condition(problem.y0);
    consider_condition(problem.y1);
    const DirichletTrial<Scalar> trial = trial_for(problem);
    for (Eigen::Index i = 0; i < points.size(); ++i) {
      const TrialBasis<Scalar> basis = trial.basis(points[i]);
      consider(change * problem.value(points[i], basis.a, basis.da));
    }
  } else {
    for (Eigen::Index j = 0; j < problem.y0.size(); ++j) consider_condition(problem.y0[j]);
    for (Eigen::Index i = 0; i < points.size(); ++i) {
      const auto f = problem.value(points[i], problem.y0);
      for (Eigen::Index j = 0; j < f.size(); ++j) consider(change * f[j]);
    }
  }
  // c is the largest condition times the power of two nearest to scale / condition (or a power of two when
  // every condition is 0), so that the normalized conditions are exact: problems that differ by a factor of
  // scale get the same normalized conditions, bit for bit.
  if (!(scale > Scalar(0))) scale = Scalar(1);
  const Scalar base = condition > Scalar(0) ? condition : Scalar(1);
  using std::frexp;
  using std::ldexp;
  int exponent = 0;
  const Scalar mantissa = frexp(scale / base, &exponent);  // scale / base = mantissa 2^exponent, mantissa in [1/2, 1)
  map.scale = ldexp(base, mantissa * mantissa >= Scalar(0.5) ? exponent : exponent - 1);
  using std::isnormal;
  const Scalar steepest = map.network_factor() / (map.length * map.length);
  if (!(isnormal(map.output_factor()) && isnormal(map.network_factor()) && isnormal(map.equation_factor()) &&
        isfinite(steepest))) {
    std::ostringstream message;
    message << "solve: the solution's scale c = " << static_cast<double>(map.scale) << " and the interval's length L = "
            << static_cast<double>(map.length) << " put c/L^" << map.order << ", c/L^" << map.network_power << ", L^"
            << map.order << "/c or c/L^" << map.network_power + 2 << " out of this scalar type's range: no network can express the solution";
    throw std::invalid_argument(message.str());
  }
  return map;
}

/// \f$\hat f(z, Y) = (L/c) f(t_0 + L z, c Y)\f$ for the normalized first-order problem; generic, so that
/// automatic differentiation goes through it to the user's f. Results are converted to the argument type
/// within the statement that computes them (forward-mode expressions refer to their operands).
template <typename F, typename Scalar>
auto normalized_first_order(const F& f, const Normalization<Scalar>& map) {
  return [&f, t0 = map.t0, length = map.length, c = map.scale, k = map.equation_factor()](auto z, auto y) -> decltype(y) {
    using T = decltype(y);
    const T t = T(z * length + t0);
    const T cy = T(c * y);
    return T(k * T(f(t, cy)));
  };
}

/// The normalized problem of a first-order initial value problem: \f$Y' = \hat f(z, Y)\f$ on \f$[0, 1]\f$,
/// \f$Y(0) = y_0/c\f$, with \f$\partial\hat f/\partial Y = L\, \partial f/\partial y\f$ when \f$\partial f/\partial y\f$ is given.
template <typename Scalar, typename F, typename DfDy>
auto normalized(const InitialValueProblem<Scalar, F, DfDy>& problem, const Normalization<Scalar>& map) {
  auto f = normalized_first_order(problem.f, map);
  if constexpr (is_automatic<DfDy>) {
    return InitialValueProblem<Scalar, decltype(f)>(f, Scalar(0), Scalar(1), problem.y0 / map.scale);
  } else {
    auto dfdy = [&d = problem.dfdy, t0 = map.t0, length = map.length, c = map.scale](Scalar z, Scalar y) {
      return length * static_cast<Scalar>(d(t0 + length * z, c * y));
    };
    return InitialValueProblem<Scalar, decltype(f), decltype(dfdy)>(f, dfdy, Scalar(0), Scalar(1), problem.y0 / map.scale);
  }
}

/// \f$\hat f(z, Y, Y') = (L^2/c) f(t_0 + L z, c Y, (c/L) Y')\f$ for the normalized second-order equation,
/// generic like `normalized_first_order`.
template <typename F, typename Scalar>
auto normalized_second_order(const F& f, const Normalization<Scalar>& map) {
  return [&f, t0 = map.t0, length = map.length, c = map.scale, k = map.equation_factor()](auto z, auto y,
                                                                                          auto dy) -> decltype(y) {
    using T = decltype(y);
    const T t = T(z * length + t0);
    const T cy = T(c * y);
    const T cdy = T((c / length) * dy);
    return T(k * T(f(t, cy, cdy)));
  };
}

/// The partial derivatives of \f$\hat f\f$ of a second-order equation when the user gave them:
/// \f$\partial\hat f/\partial Y = L^2 f_y\f$ and \f$\partial\hat f/\partial Y' = L f_{y'}\f$.
template <typename Problem, typename Scalar>
auto normalized_second_order_partials(const Problem& problem, const Normalization<Scalar>& map) {
  auto at = [t0 = map.t0, length = map.length, c = map.scale](const auto& d, Scalar z, Scalar y, Scalar dy) {
    return static_cast<Scalar>(d(t0 + length * z, c * y, (c / length) * dy));
  };
  auto dfdy = [&d = problem.dfdy, at, l2 = map.length * map.length](Scalar z, Scalar y, Scalar dy) {
    return l2 * at(d, z, y, dy);
  };
  auto dfddy = [&d = problem.dfddy, at, length = map.length](Scalar z, Scalar y, Scalar dy) {
    return length * at(d, z, y, dy);
  };
  return std::make_pair(dfdy, dfddy);
}

/// The normalized problem of a second-order initial value problem: \f$Y'' = \hat f\f$ on \f$[0, 1]\f$,
/// \f$Y(0) = y_0/c\f$, \f$Y'(0) = L y'_0/c\f$.
template <typename Scalar, typename F, typename DfDy, typename DfDdy>
auto normalized(const SecondOrderProblem<Scalar, F, DfDy, DfDdy>& problem, const Normalization<Scalar>& map) {
  auto f = normalized_second_order(problem.f, map);
  const Scalar y0 = problem.y0 / map.scale;
  const Scalar dy0 = map.length * problem.dy0 / map.scale;
  if constexpr (is_automatic<DfDy>) {
    return SecondOrderProblem<Scalar, decltype(f)>(f, Scalar(0), Scalar(1), y0, dy0);
  } else {
    auto [dfdy, dfddy] = normalized_second_order_partials(problem, map);
    return SecondOrderProblem<Scalar, decltype(f), decltype(dfdy), decltype(dfddy)>(f, dfdy, dfddy, Scalar(0), Scalar(1),
                                                                                    y0, dy0);
  }
}

/// The normalized problem of a boundary value problem: \f$Y'' = \hat f\f$ on \f$[0, 1]\f$, \f$Y(0) = y_a/c\f$,
/// \f$Y(1) = y_b/c\f$.
template <typename Scalar, typename F, typename DfDy, typename DfDdy>
auto normalized(const BoundaryValueProblem<Scalar, F, DfDy, DfDdy>& problem, const Normalization<Scalar>& map) {
  auto f = normalized_second_order(problem.f, map);
  const Scalar y0 = problem.y0 / map.scale;
  const Scalar y1 = problem.y1 / map.scale;
  if constexpr (is_automatic<DfDy>) {
    return BoundaryValueProblem<Scalar, decltype(f)>(f, Scalar(0), Scalar(1), y0, y1);
  } else {
    auto [dfdy, dfddy] = normalized_second_order_partials(problem, map);
    return BoundaryValueProblem<Scalar, decltype(f), decltype(dfdy), decltype(dfddy)>(f, dfdy, dfddy, Scalar(0),
                                                                                      Scalar(1), y0, y1);
  }
}

/// The normalized problem of a system: \f$Y' = (L/c) f(t_0 + L z, c Y)\f$ on \f$[0, 1]\f$, \f$Y(0) = y_0/c\f$,
/// with the Jacobian \f$L\, \partial f/\partial y\f$ when it is given. One scale for every component.
template <typename Scalar, int N, typename F, typename Jacobian>
auto normalized(const SystemProblem<Scalar, N, F, Jacobian>& problem, const Normalization<Scalar>& map) {
  auto f = [&f = problem.f, t0 = map.t0, length = map.length, c = map.scale, k = map.equation_factor()](
               auto z, const auto& y) {
    using T = std::decay_t<decltype(z)>;
    using Vector = Eigen::Matrix<T, N, 1>;
    const T t = T(z * length + t0);
    Vector cy(y.size());
    for (Eigen::Index j = 0; j < y.size(); ++j) cy[j] = T(c * y[j]);
    Vector out(y.size());
    const auto& value = f(t, static_cast<const Vector&>(cy));
    for (Eigen::Index j = 0; j < y.size(); ++j) out[j] = T(k * T(value[j]));
    return out;
  };
  typename SystemProblem<Scalar, N, F, Jacobian>::Vector y0 = problem.y0 / map.scale;
  if constexpr (is_automatic<Jacobian>) {
    return SystemProblem<Scalar, N, decltype(f)>(f, Scalar(0), Scalar(1), y0);
  } else {
    using Vector = Eigen::Matrix<Scalar, N, 1>;
    using Matrix = Eigen::Matrix<Scalar, N, N>;
    auto jacobian = [&d = problem.jacobian, t0 = map.t0, length = map.length, c = map.scale](Scalar z, const Vector& y) {
      const Vector cy = c * y;
      return Matrix(length * Matrix(d(t0 + length * z, cy)));
    };
    return SystemProblem<Scalar, N, decltype(f), decltype(jacobian)>(f, jacobian, Scalar(0), Scalar(1), y0);
  }
}

/// The normalized problem of an equation with linear conditions: \f$Y^{(m)} = \hat f = (L^m/c)\,
/// f(t_0 + L z, c Y, (c/L) Y', \dots, (c/L^{m-1}) Y^{(m-1)})\f$ on \f$[0, 1]\f$, each condition
/// \f$\sum a\, y^{(d)}(t_p) + b \int y\, dt = \kappa\f$ as \f$\sum (a/L^d)\, Y^{(d)}(z_p) + b L \int_0^1 Y\, dz
/// = \kappa/c\f$, and the support chosen once for the problem (its matrix is the same on both scales, row by
/// row up to the factor c); \f$\partial \hat f/\partial Y^{(d)} = L^{m-d}\, \partial f/\partial y^{(d)}\f$ when
/// the gradient is given.
template <typename Scalar, int Order, typename F, typename Gradient>
auto normalized(const LinearConditionProblem<Scalar, Order, F, Gradient>& problem, const Normalization<Scalar>& map) {
  std::array<Scalar, Order> factors{};  // c/L^d
  for (int d = 0; d < Order; ++d) factors[static_cast<std::size_t>(d)] = map.scale / map.length_power(d);
  auto f = [&f = problem.f, t0 = map.t0, length = map.length, k = map.equation_factor(), factors](auto z, auto... x) {
    using T = std::common_type_t<decltype(x)...>;
    std::size_t j = 0;
    const std::array<T, sizeof...(x)> scaled{T(factors[j++] * x)...};
    const T t = T(z * length + t0);
    return T(k * call_with<T>(f, t, scaled));
  };
  std::vector<Condition<Scalar>> conditions = problem.conditions;
  for (Condition<Scalar>& c : conditions) {
    for (ConditionTerm<Scalar>& term : c.functional.terms) {
      term.coefficient /= map.length_power(term.order);
      term.point = map.z(term.point);
    }
    c.functional.integral *= map.length;
    c.value /= map.scale;
  }
  const std::vector<int> support = trial_for(problem).support;
  if constexpr (is_automatic<Gradient>) {
    LinearConditionProblem<Scalar, Order, decltype(f)> out(f, Scalar(0), Scalar(1), std::move(conditions));
    out.support = support;
    return out;
  } else {
    auto gradient = [&g = problem.gradient, map, factors](Scalar z, auto... x) {
      std::size_t j = 0;
      const std::array<Scalar, sizeof...(x)> scaled{static_cast<Scalar>(factors[j++] * x)...};
      Eigen::Matrix<Scalar, Order, 1> out =
          call_with<Eigen::Matrix<Scalar, Order, 1>>(g, static_cast<Scalar>(map.t0 + map.length * z), scaled);
      for (int d = 0; d < Order; ++d) out[d] *= map.length_power(Order - d);
      return out;
    };
    LinearConditionProblem<Scalar, Order, decltype(f), decltype(gradient)> out(f, gradient, Scalar(0), Scalar(1),
                                                                               std::move(conditions));
    out.support = support;
    return out;
  }
}

}  // namespace detail
}  // namespace trialode
