// SPDX-License-Identifier: MIT
// The constrained expression y = N + sum_j phi_j eta_j that meets general linear conditions exactly whatever
// the network (the Theory of Functional Connections: Mortari 2017; Leake & Mortari 2020), as the trial form of
// a trained solution, with the derivatives and the integral of a network that the conditions ask for.
#pragma once

#include <Eigen/Core>
#include <Eigen/LU>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <type_traits>
#include <vector>

#include "../problems/linear_conditions.hpp"
#include "detail/sigmoid_derivatives.hpp"
#include "network.hpp"
#include "trial.hpp"

namespace trialode {

namespace detail {

/// \f$N^{(d)}(t)\f$ for every \f$d \le M\f$ at once, one exponential per unit.
template <int M, typename Network>
std::array<typename Network::Parameters::Scalar, M + 1> network_derivatives(const Network& network,
                                                                          typename Network::Parameters::Scalar t) {
  using Scalar = typename Network::Parameters::Scalar;
  std::array<Scalar, M + 1> out{};
  const Scalar x = t - network.origin();
  const auto& p = network.parameters();
  const WeightLayout layout = network.layout();
  for (Eigen::Index k = 0; k < network.hidden_units(); ++k) {
    const Scalar w = p[layout.w_index(0, k)];
    const std::array<Scalar, M + 1> s = sigmoid_derivatives<M>(w * x + p[layout.u_index(0, k)]);
    Scalar weight = p[layout.v_index(0, k)];  // v w^d
    for (int d = 0; d <= M; ++d) {
      if (s[static_cast<std::size_t>(d)] != Scalar(0)) out[static_cast<std::size_t>(d)] += weight * s[static_cast<std::size_t>(d)];
      weight *= w;
    }
  }
  return out;
}

}  // namespace detail

/// The trial form of a `LinearConditionProblem`'s solution, the constrained expression
/// \f[ y(t) = N(t) + \sum_{j=1}^{m} \phi_j(t)\, \eta_j, \qquad \phi_j(t) = \Big(\frac{t - t_0}{t_1 - t_0}\Big)^{e_j},
///     \qquad \eta = S^{-1} (\kappa - C[N]), \quad S_{ij} = C_i[\phi_j], \f]
/// which meets every condition \f$C_i[y] = \kappa_i\f$ whatever the network \f$N\f$, since
/// \f$C[y] = C[N] + S \eta = \kappa\f$. A trained solution keeps \f$\eta\f$ (`fit_to` computes it from its
/// network): \f$A = \sum_j \phi_j \eta_j\f$ and \f$B = 1\f$ in the terms of `TrialBasis`.
template <typename Scalar>
struct ConstrainedTrial {
  /// The floating-point type of \f$t\f$ and \f$y\f$.
  using scalar_type = Scalar;
  /// A vector of the m coefficients or conditions.
  using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;

  Scalar t0 = Scalar(0);                      ///< start of the interval
  Scalar t1 = Scalar(1);                      ///< end of the interval
  int order = 1;                              ///< \f$m\f$, the order of the equation
  std::vector<Condition<Scalar>> conditions;  ///< the \f$m\f$ conditions \f$C_i[y] = \kappa_i\f$
  std::vector<int> support;                   ///< the exponents \f$e_j\f$ of the support functions
  Vector eta;                                 ///< \f$\eta\f$, the support functions' coefficients

  /// \f$\sum_j \eta_j \phi_j^{(d)}(t)\f$.
  Scalar polynomial(Scalar t, int d) const {
    const Scalar length = t1 - t0;
    const Scalar z = (t - t0) / length;
    Scalar sum(0);
    for (std::size_t j = 0; j < support.size(); ++j) {
      if (support[j] >= d) sum += eta[static_cast<Eigen::Index>(j)] * detail::monomial_derivative(support[j], d, z);
    }
    for (int k = 0; k < d && sum != Scalar(0); ++k) sum /= length;  // no 0 times an infinite 1/L^d
    return sum;
  }
  /// \f$\int_{t_0}^{t_1} \sum_j \eta_j \phi_j\, dt = L \sum_j \eta_j/(e_j + 1)\f$.
  Scalar polynomial_integral() const {
    Scalar sum(0);
    for (std::size_t j = 0; j < support.size(); ++j) sum += eta[static_cast<Eigen::Index>(j)] / Scalar(support[j] + 1);
    return (t1 - t0) * sum;
  }

  /// \f$A, A', A''\f$ and \f$B, B', B''\f$ at \f$t\f$: \f$A = \sum_j \eta_j \phi_j\f$, \f$B = 1\f$.
  TrialBasis<Scalar> basis(Scalar t) const {
    return {polynomial(t, 0), polynomial(t, 1), polynomial(t, 2), Scalar(1), Scalar(0), Scalar(0)};
  }

  /// \f$y^{(d)}(t)\f$ of the solution with network `network`, for \f$d \le 8\f$.
  template <typename Network>
  Scalar derivative(const Network& network, Scalar t, int d) const {
    return detail::network_derivatives<8>(network, t)[static_cast<std::size_t>(d)] + polynomial(t, d);
  }

  /// \f$y^{(d)}(t)\f$ of the solution with network `network` for every \f$d \le M\f$.
  template <int M, typename Network>
  std::array<Scalar, M + 1> derivatives(const Network& network, Scalar t) const {
    std::array<Scalar, M + 1> y = detail::network_derivatives<M>(network, t);
    for (int d = 0; d <= M; ++d) y[static_cast<std::size_t>(d)] += polynomial(t, d);
    return y;
  }

  /// \f$\kappa\f$.
  Vector values() const {
    Vector kappa(static_cast<Eigen::Index>(conditions.size()));
    for (std::size_t i = 0; i < conditions.size(); ++i) kappa[static_cast<Eigen::Index>(i)] = conditions[i].value;
    return kappa;
  }

  /// Sets \f$\eta = S^{-1}(\kappa - C[N])\f$ for the network, so that the solution meets the conditions;
  /// computed in the wider type of `violations`, so that the conditions hold to the rounding of \f$\eta\f$,
  /// not to that of the large terms C[N] sums.
  template <typename Network>
  void fit_to(const Network& network) {
    std::vector<Condition<Wide>> wide(conditions.size());
    for (std::size_t i = 0; i < conditions.size(); ++i) {
      wide[i].value = conditions[i].value;
      wide[i].functional.integral = conditions[i].functional.integral;
      for (const ConditionTerm<Scalar>& term : conditions[i].functional.terms) {
        wide[i].functional.terms.push_back({Wide(term.coefficient), Wide(term.point), term.order});
      }
    }
    const detail::SupportSolver<Wide> s(detail::support_matrix(wide, Wide(t0), Wide(t1), support));
    Eigen::Matrix<Wide, Eigen::Dynamic, 1> size;
    Eigen::Matrix<Wide, Eigen::Dynamic, 1> rhs = -wide_functional(network, false, size);
    for (std::size_t i = 0; i < conditions.size(); ++i) rhs[static_cast<Eigen::Index>(i)] += Wide(conditions[i].value);
    eta = s.solve(rhs).template cast<Scalar>();
  }

  /// \f$|C_i[y] - \kappa_i|\f$ for every condition, for the solution with network `network`: the violation of
  /// the solution as its weights define it, computed in a wider type (`Wide`: `long double` for `double`,
  /// `double` for `float`), whose rounding is far below what large output weights leave. (Computed in `Scalar`,
  /// the rounding of C[N] in \f$\eta\f$ and in the check would cancel and say 0.) Where there is no wider type
  /// (`long double`, and `double` where `long double` is no wider), \f$\varepsilon\f$ times the sizes of the
  /// terms summed is added. In the problem's units.
  template <typename Network>
  Eigen::Array<Scalar, Eigen::Dynamic, 1> violations(const Network& network) const {
    using std::abs;
    constexpr bool wider = std::numeric_limits<Wide>::digits > std::numeric_limits<Scalar>::digits;
    Eigen::Matrix<Wide, Eigen::Dynamic, 1> size;
    const Eigen::Matrix<Wide, Eigen::Dynamic, 1> value = wide_functional(network, true, size);
    Eigen::Array<Scalar, Eigen::Dynamic, 1> out(static_cast<Eigen::Index>(conditions.size()));
    for (Eigen::Index i = 0; i < out.size(); ++i) {
      const Wide kappa = conditions[static_cast<std::size_t>(i)].value;
      const Wide rounding = wider ? Wide(0) : Wide(std::numeric_limits<Scalar>::epsilon()) * (size[i] + abs(kappa));
      out[i] = static_cast<Scalar>(abs(value[i] - kappa) + rounding);
    }
    return out;
  }

 private:
  /// The type the conditions of a solution are evaluated in: wider than `Scalar` where one is.
  using Wide = std::conditional_t<std::is_same<Scalar, float>::value, double, long double>;

  /// \f$C_i[N]\f$ (with `polynomial`, \f$C_i[y]\f$) for every condition, in `Wide`, and into `size` the sum of
  /// the sizes of the terms each adds up.
  template <typename Network>
  Eigen::Matrix<Wide, Eigen::Dynamic, 1> wide_functional(const Network& network, bool polynomial,
                                                         Eigen::Matrix<Wide, Eigen::Dynamic, 1>& size) const {
    using std::abs;
    const auto& p = network.parameters();
    const WeightLayout layout = network.layout();
    const Wide length = Wide(t1) - Wide(t0);
    const auto at = [&](Scalar t, int d, Wide& term_size) {
      Wide sum(0);
      term_size = Wide(0);
      for (Eigen::Index k = 0; k < network.hidden_units(); ++k) {
        const Wide w = p[layout.w_index(0, k)];
        const std::array<Wide, 4> sd =  // conditions take derivatives of order 0 to 3
            detail::sigmoid_derivatives<3>(w * (Wide(t) - Wide(network.origin())) + Wide(p[layout.u_index(0, k)]));
        if (sd[static_cast<std::size_t>(d)] == Wide(0)) continue;
        Wide term = Wide(p[layout.v_index(0, k)]) * sd[static_cast<std::size_t>(d)];
        for (int j = 0; j < d; ++j) term *= w;
        sum += term;
        term_size += abs(term);
      }
      if (!polynomial) return sum;
      const Wide z = (Wide(t) - Wide(t0)) / length;
      for (std::size_t j = 0; j < support.size(); ++j) {
        if (support[j] < d) continue;
        Wide term = Wide(eta[static_cast<Eigen::Index>(j)]) * detail::monomial_derivative(support[j], d, z);
        for (int k = 0; k < d && term != Wide(0); ++k) term /= length;
        sum += term;
        term_size += abs(term);
      }
      return sum;
    };
    Wide integral(0), integral_size(0);
    for (Eigen::Index k = 0; k < network.hidden_units(); ++k) {
      const Wide term = Wide(p[layout.v_index(0, k)]) *
                        detail::unit_integral(Wide(p[layout.w_index(0, k)]), Wide(p[layout.u_index(0, k)]),
                                              Wide(t0) - Wide(network.origin()), Wide(t1) - Wide(network.origin()))
                            .value;
      integral += term;
      integral_size += abs(term);
    }
    for (std::size_t j = 0; polynomial && j < support.size(); ++j) {
      const Wide term = length * Wide(eta[static_cast<Eigen::Index>(j)]) / Wide(support[j] + 1);
      integral += term;
      integral_size += abs(term);
    }
    const Eigen::Index m = static_cast<Eigen::Index>(conditions.size());
    Eigen::Matrix<Wide, Eigen::Dynamic, 1> value(m);
    size.resize(m);
    for (Eigen::Index i = 0; i < m; ++i) {
      const LinearFunctional<Scalar>& c = conditions[static_cast<std::size_t>(i)].functional;
      value[i] = Wide(c.integral) * integral;
      size[i] = abs(Wide(c.integral)) * integral_size;
      for (const ConditionTerm<Scalar>& term : c.terms) {
        Wide term_size(0);
        value[i] += Wide(term.coefficient) * at(term.point, term.order, term_size);
        size[i] += abs(Wide(term.coefficient)) * term_size;
      }
    }
    return value;
  }
};

/// The trial form of a problem with general linear conditions, before any fit: its support chosen
/// (`detail::choose_support`) and \f$\eta = S^{-1} \kappa\f$, the part the conditions fix when \f$N = 0\f$.
template <typename Scalar, int Order, typename F, typename Gradient>
ConstrainedTrial<Scalar> trial_for(const LinearConditionProblem<Scalar, Order, F, Gradient>& problem) {
  ConstrainedTrial<Scalar> trial;
  trial.t0 = problem.t0;
  trial.t1 = problem.t1;
  trial.order = Order;
  trial.conditions = problem.conditions;
  trial.support =
      detail::choose_support("LinearConditionProblem", problem.conditions, problem.t0, problem.t1, Order, problem.support);
  const detail::SupportSolver<Scalar> s(detail::support_matrix(trial.conditions, trial.t0, trial.t1, trial.support));
  trial.eta = s.solve(trial.values());
  return trial;
}

namespace detail {

template <typename Trial>
struct IsConstrainedTrial : std::false_type {};
template <typename Scalar>
struct IsConstrainedTrial<ConstrainedTrial<Scalar>> : std::true_type {};
/// True for the constrained expression's trial form.
template <typename Trial>
constexpr bool is_constrained_trial = IsConstrainedTrial<Trial>::value;

/// The largest \f$|y^{(m)} - f(t, y, \dots, y^{(m-1)})|\f$ of a solution of an equation with linear
/// conditions over the points `t`, NaN if any residual is: `max_abs_residual` for this family, whose
/// residual needs derivatives up to the fourth.
template <typename Scalar, int Order, typename F, typename Gradient, typename Solution, typename Derived>
Scalar max_abs_constrained_residual(const LinearConditionProblem<Scalar, Order, F, Gradient>& problem,
                                    const Solution& solution, const Eigen::DenseBase<Derived>& t) {
  using std::abs;
  using std::isnan;
  Scalar worst(0);
  for (Eigen::Index j = 0; j < t.size(); ++j) {
    const Scalar at = static_cast<Scalar>(t.derived().coeff(j));
    const std::array<Scalar, Order + 1> y = solution.trial().template derivatives<Order>(solution.network(), at);
    std::array<Scalar, Order> state{};
    for (int d = 0; d < Order; ++d) state[static_cast<std::size_t>(d)] = y[static_cast<std::size_t>(d)];
    const Scalar r = abs(y[Order] - problem.value(at, state));
    if (isnan(r)) return r;
    worst = std::max(worst, r);
  }
  return worst;
}

}  // namespace detail

}  // namespace trialode
