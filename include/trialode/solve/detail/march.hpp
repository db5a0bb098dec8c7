// SPDX-License-Identifier: MIT
// Time marching and the tolerance loop: an initial value problem solved segment by segment, each segment a
// trial solution that takes over the state where the one before ends, with the error bound carried across;
// and the loop that splits segments (or, for the other families, adds units) until the bound meets a tolerance.
#pragma once

#include <Eigen/Core>
#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

#include "../../approximation/collocation.hpp"
#include "../../approximation/trial.hpp"
#include "../../methods/detail/linearity.hpp"
#include "../options.hpp"
#include "../solution.hpp"
#include "error_propagation.hpp"
#include "pipeline.hpp"

namespace trialode {
namespace detail {

template <typename Trial>
struct IsInitialValueTrial : std::false_type {};
template <typename Scalar>
struct IsInitialValueTrial<FirstOrderTrial<Scalar>> : std::true_type {};
template <typename Scalar>
struct IsInitialValueTrial<SecondOrderTrial<Scalar>> : std::true_type {};
template <typename Scalar, int N>
struct IsInitialValueTrial<SystemTrial<Scalar, N>> : std::true_type {};
/// True for the problems that march in time: initial value problems of first and second order, and systems.
template <typename Problem>
constexpr bool marches = IsInitialValueTrial<TrialFor<Problem>>::value;

/// `problem` on \f$[a, b]\f$ with the state of `before` at \f$a\f$ as its initial condition (y, and y' for second
/// order; the vector of a system).
template <typename Problem, typename Solution>
Problem segment_problem(const Problem& problem, const Solution& before, typename Problem::scalar_type a,
                        typename Problem::scalar_type b) {
  Problem out = problem;
  out.t0 = a;
  out.t1 = b;
  const auto state = before.evaluate(a);
  out.y0 = state.y;
  if constexpr (!is_system<Problem>) {
    if constexpr (Problem::order == 2) out.dy0 = state.dy;
  }
  return out;
}

/// `problem` on \f$[a, b]\f$, with its own initial state (the first segment).
template <typename Problem>
Problem segment_problem(const Problem& problem, typename Problem::scalar_type a, typename Problem::scalar_type b) {
  Problem out = problem;
  out.t0 = a;
  out.t1 = b;
  return out;
}

/// True when the initial state of `problem` is finite.
template <typename Problem>
bool finite_initial_state(const Problem& problem) {
  using std::isfinite;
  if constexpr (is_system<Problem>) {
    return problem.y0.allFinite();
  } else if constexpr (Problem::order == 2) {
    return isfinite(problem.y0) && isfinite(problem.dy0);
  } else {
    return isfinite(problem.y0);
  }
}

/// Sets the initial state of `problem` to 0.
template <typename Problem>
void zero_initial_state(Problem& problem) {
  using Scalar = typename Problem::scalar_type;
  if constexpr (is_system<Problem>) {
    problem.y0.setZero();
  } else {
    problem.y0 = Scalar(0);
    if constexpr (Problem::order == 2) problem.dy0 = Scalar(0);
  }
}

/// The fit record of segments joined into one solution: the status of the first segment that did not converge
/// (else the last one's), the counts and costs added, every segment's points, the largest residuals and
/// bounds (each segment's bound holds the error carried into it), the first segment's seed and features.
template <typename Result>
FitRecord<typename Result::Network::Parameters::Scalar> joined_record(const std::vector<Result>& pieces) {
  using Scalar = typename Result::Network::Parameters::Scalar;
  FitRecord<Scalar> out = pieces.front();
  const Result* verdict = &pieces.back();
  for (const Result& piece : pieces) {
    if (!piece.converged()) {
      verdict = &piece;
      break;
    }
  }
  out.report = verdict->report;
  out.report.iterations = out.report.evaluations = 0;
  out.report.f = out.report.initial_f = Scalar(0);
  Eigen::Index points = 0;
  for (const Result& piece : pieces) points += piece.collocation.size();
  out.collocation.resize(points);
  out.segment_error_bounds.resize(static_cast<Eigen::Index>(pieces.size()));
  for (std::size_t k = 0; k < pieces.size(); ++k) out.segment_error_bounds[static_cast<Eigen::Index>(k)] = pieces[k].error_bound;
  points = 0;
  out.check_points = 0;
  for (const Result& piece : pieces) {
    out.report.iterations += piece.report.iterations;
    out.report.evaluations += piece.report.evaluations;
    out.report.f += piece.report.f;
    out.report.initial_f += piece.report.initial_f;
    out.collocation.segment(points, piece.collocation.size()) = piece.collocation;
    points += piece.collocation.size();
    out.check_points += piece.check_points;
    using std::isnan;
    const auto larger = [](Scalar a, Scalar b) { return isnan(a) || isnan(b) ? std::numeric_limits<Scalar>::quiet_NaN() : std::max(a, b); };
    out.max_residual_collocation = larger(out.max_residual_collocation, piece.max_residual_collocation);
    out.max_residual_check = larger(out.max_residual_check, piece.max_residual_check);
    out.error_bound = larger(out.error_bound, piece.error_bound);
    out.error_bound_absolute = larger(out.error_bound_absolute, piece.error_bound_absolute);
    out.error_estimate = larger(out.error_estimate, piece.error_estimate);
  }
  for (std::size_t k = 1; k < pieces.size(); ++k) out.features.reused_factorizations += pieces[k].features.reused_factorizations;
  if (pieces.size() > 1) {
    out.report.message = "Segment " + std::to_string(verdict - pieces.data()) + " of " + std::to_string(pieces.size()) +
                         ": " + verdict->report.message;
  }
  return out;
}

/// An initial value problem marched over the segments \f$[a_k, a_{k+1}]\f$ of `ends`: segment k solved (one
/// start, `options`' method and sizes, the same seed and so the same hidden layer on its normalized time)
/// from the state segment k - 1 ends with, the error bound carried from segment to segment. The joined
/// solution's record: the statuses (the first that did not converge, else the last), the counts and the costs
/// added, the points of every segment, the largest residuals and bounds. Into `contributions`, when given,
/// the bound of the errors each segment makes by itself. A state that is not finite ends the march: the
/// segments after it are solved from a zero state and the bound is infinite.
template <int Hidden, typename Problem>
SolutionFor<Problem, Hidden> march(const Problem& problem, const SolveOptions<typename Problem::scalar_type>& options,
                                   const std::vector<typename Problem::scalar_type>& ends,
                                   std::vector<typename Problem::scalar_type>* contributions = nullptr) {
  using Scalar = typename Problem::scalar_type;
  using Result = SolutionFor<Problem, Hidden>;
  SolveOptions<Scalar> each = options;
  each.segments = 1;
  each.tolerance = Scalar(0);
  each.starts = 1;
  SegmentLink<Scalar> link;
  std::vector<Result> pieces;
  pieces.reserve(ends.size() - 1);
  if (contributions != nullptr) contributions->assign(ends.size() - 1, Scalar(0));
  bool broken = false;
  for (std::size_t k = 0; k + 1 < ends.size(); ++k) {
    Problem piece = k == 0 ? segment_problem(problem, ends[0], ends[1])
                           : segment_problem(problem, pieces.back(), ends[k], ends[k + 1]);
    if (!finite_initial_state(piece)) {
      broken = true;
      zero_initial_state(piece);
    }
    link.contribution = Scalar(0);
    pieces.push_back(solve_checked<Hidden>(piece, each, &link));
    if (contributions != nullptr) (*contributions)[k] = link.contribution;
  }
  Result out = Result::joined(pieces);
  static_cast<FitRecord<Scalar>&>(out) = joined_record(pieces);
  if (broken) {
    out.error_bound = out.error_bound_absolute = out.error_estimate = std::numeric_limits<Scalar>::infinity();
    out.segment_error_bounds.setConstant(std::numeric_limits<Scalar>::infinity());
    out.report.status = MinimizerStatus::non_finite;
    out.report.message = "Stopped: the state handed from one segment to the next was not finite.";
  }
  return out;
}


/// `x` with three significant digits, for messages.
template <typename Scalar>
std::string scientific(Scalar x) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", static_cast<double>(x));
  return text;
}

/// \f$t_0 = a_0 < \dots < a_S = t_1\f$ in `segments` equal parts, \f$a_k = t_0 + k h\f$ with
/// \f$h = (t_1 - t_0)/S\f$: where h and its multiples are exact (\f$[0, 100]\f$ in 50 parts), the segments are
/// exactly equal, and so are their feature matrices for an f linear with constant coefficients, which then
/// share one factorization (`FeatureFactorization`).
template <typename Scalar>
std::vector<Scalar> equal_ends(Scalar t0, Scalar t1, int segments) {
  std::vector<Scalar> ends(static_cast<std::size_t>(segments) + 1);
  const Scalar h = (t1 - t0) / static_cast<Scalar>(segments);
  for (int k = 0; k < segments; ++k) ends[static_cast<std::size_t>(k)] = t0 + static_cast<Scalar>(k) * h;
  ends.back() = t1;
  return ends;
}

/// The ends after splitting the segments whose own errors (`contributions`) exceed their share of
/// `tolerance` (half of it, in proportion to their length): in 2, or in 4 or 8 when the contribution is
/// \f$10^3\f$ or \f$10^6\f$ times the share; every segment in 2 when none does (the bound then grows by
/// propagation, not in one place). No more than `most` segments in all; the ends unchanged when no split fits.
template <typename Scalar>
std::vector<Scalar> split_ends(const std::vector<Scalar>& ends, const std::vector<Scalar>& contributions, Scalar tolerance,
                               int most) {
  const std::size_t segments = ends.size() - 1;
  const Scalar length = ends.back() - ends.front();
  std::vector<int> parts(segments, 1);
  int room = most - static_cast<int>(segments);
  bool any = false;
  for (std::size_t k = 0; k < segments && room > 0; ++k) {
    const Scalar share = tolerance * (ends[k + 1] - ends[k]) / length / Scalar(2);
    const Scalar c = contributions[k];
    if (c <= share) continue;
    const int wanted = c <= Scalar(1e3) * share ? 2 : c <= Scalar(1e6) * share ? 4 : 8;  // NaN: 8
    parts[k] = std::min(wanted, 1 + room);
    room -= parts[k] - 1;
    any = true;
  }
  for (std::size_t k = 0; !any && k < segments && room > 0; ++k) {
    parts[k] = 2;
    --room;
  }
  std::vector<Scalar> out{ends.front()};
  for (std::size_t k = 0; k < segments; ++k) {
    for (int j = 1; j < parts[k]; ++j) {
      out.push_back(ends[k] + static_cast<Scalar>(j) * ((ends[k + 1] - ends[k]) / static_cast<Scalar>(parts[k])));
    }
    out.push_back(ends[k + 1]);
  }
  return out;
}

/// The eigenvalue of largest modulus and the largest imaginary part of the eigenvalues of the Jacobian of the
/// state equation at the initial state (\f$f_y\f$; of the companion matrix \f$[[0, 1], [f_y, f_{y'}]]\f$ for
/// second order; of \f$\partial f/\partial y\f$ for a system), as \f$(|\lambda|_{max}, |\mathrm{Im}\,\lambda|_{max})\f$;
/// zeros when they are not finite.
template <typename Problem>
std::pair<typename Problem::scalar_type, typename Problem::scalar_type> initial_rates(const Problem& problem) {
  using Scalar = typename Problem::scalar_type;
  using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
  using std::abs;
  using std::isfinite;
  Matrix j;
  if constexpr (is_system<Problem>) {
    typename Problem::Vector f(problem.y0.size());
    typename Problem::Matrix df(problem.y0.size(), problem.y0.size());
    problem.partials(problem.t0, problem.y0, f, df);
    j = df;
  } else if constexpr (Problem::order == 2) {
    const auto p = problem.partials(problem.t0, problem.y0, problem.dy0);
    j.resize(2, 2);
    j << Scalar(0), Scalar(1), p.df[0], p.df[1];
  } else {
    j = Matrix::Constant(1, 1, problem.partials(problem.t0, problem.y0).df[0]);
  }
  if (!j.allFinite()) return {Scalar(0), Scalar(0)};
  const auto lambda = Eigen::EigenSolver<Matrix>(j, false).eigenvalues();
  const Scalar modulus = lambda.cwiseAbs().maxCoeff();
  const Scalar imaginary = lambda.imag().cwiseAbs().maxCoeff();
  if (!(isfinite(modulus) && isfinite(imaginary))) return {Scalar(0), Scalar(0)};
  return {modulus, imaginary};
}

/// The segments the tolerance loop starts from, at least `given`: each two radians of the fastest oscillation of
/// the state equation at \f$t_0\f$: \f$\lceil T |\mathrm{Im}\,\lambda| / 2 \rceil\f$
/// (an oscillation is resolved everywhere alike: \f$y'' + y = 0\f$ on [0, 1000] takes 500 segments at once
/// rather than by doublings), and for a nonlinear f \f$\lceil T |\lambda| \rceil\f$ (a failed Gauss-Newton
/// fit costs its iterations: p4 on [0, 3] takes 3). Decay and stiff layers start from one segment, to be
/// split where the bound grows.
template <typename Problem>
int first_segments(const Problem& problem, int given, int most) {
  using Scalar = typename Problem::scalar_type;
  using std::ceil;
  const std::pair<Scalar, Scalar> rates = initial_rates(problem);
  const Scalar length = problem.t1 - problem.t0;
  Scalar wanted = ceil(length * rates.second / Scalar(2));
  const Eigen::Array<Scalar, Eigen::Dynamic, 1> probe = collocation_points(problem.t0, problem.t1, 9, CollocationRule::chebyshev_lobatto);
  if (!test_linearity(problem, probe).linear) wanted = std::max(wanted, ceil(length * rates.first));
  if (!(wanted > Scalar(given))) return given;
  return wanted >= Scalar(most) ? most : static_cast<int>(wanted);
}

/// `solve()` with `options.tolerance` > 0 (checked): random features, one start. An initial value problem is
/// marched over `options.segments` equal segments, then again after each split (`split_ends`) until the error
/// bound meets the tolerance or `max_segments` is reached. The other families are solved with the method's
/// units, then half as many again each time, up to `max_hidden_units` (a fixed `Hidden` tries once). Returns
/// the solution with the smallest bound, its status `converged_tolerance` or `tolerance_not_met`.
template <int Hidden, typename Problem>
SolutionFor<Problem, Hidden> solve_to_tolerance(const Problem& problem, const SolveOptions<typename Problem::scalar_type>& options) {
  using Scalar = typename Problem::scalar_type;
  using Result = SolutionFor<Problem, Hidden>;
  const Scalar tolerance = options.tolerance;
  SolveOptions<Scalar> base = options;
  base.tolerance = Scalar(0);
  base.method = Method::random_features;
  base.starts = 1;
  base.segments = 1;
  base.points = 0;
  base.rule = CollocationRule::automatic;
  std::vector<Result> best;  // at most one
  int tries = 0;
  const auto consider = [&](Result&& candidate) {
    ++tries;
    if (best.empty()) {
      best.push_back(std::move(candidate));
    } else if (candidate.error_bound < best.front().error_bound) {
      best.front() = std::move(candidate);
    }
    return best.front().error_bound <= tolerance;
  };
  bool met = false;
  if constexpr (marches<Problem>) {
    // Segments do what the units would: 26, the linear default, serves nonlinear segments too (p4 on 3
    // segments: bound 3.9e-12 in 2.6 ms with 26 units; 8.2e-10 with the nonlinear default 36, and twice the
    // segments in 20 ms to meet 1e-10).
    if (base.hidden_units == 0 && Hidden == Eigen::Dynamic) base.hidden_units = random_features_units(true);
    const int first = first_segments(problem, options.segments, options.max_segments);
    std::vector<Scalar> ends = equal_ends(problem.t0, problem.t1, first);
    std::vector<Scalar> contributions;
    int stalls = 0;
    while (true) {
      Result marched = march<Hidden>(problem, base, ends, &contributions);
      // The contributions are absolute bounds; the bound reported may be smaller (the signed estimate): split
      // for that one.
      const Scalar calibration = marched.error_bound < marched.error_bound_absolute
                                     ? marched.error_bound / marched.error_bound_absolute : Scalar(1);
      for (Scalar& c : contributions) c *= calibration;
      const Scalar before = best.empty() ? std::numeric_limits<Scalar>::infinity() : best.front().error_bound;
      const bool gained = marched.error_bound < Scalar(0.9) * before;
      met = consider(std::move(marched));
      // Stop at the limit, or when splitting gained nothing twice in a row (the bound has reached the
      // rounding floor, or the fits fail however short the segments).
      stalls = gained ? 0 : stalls + 1;
      if (met || static_cast<int>(ends.size()) - 1 >= options.max_segments || stalls >= 2) break;
      std::vector<Scalar> split = split_ends(ends, contributions, tolerance, options.max_segments);
      if (split.size() == ends.size()) break;
      ends = std::move(split);
    }
  } else {
    Eigen::Index units = options.hidden_units;
    while (true) {
      base.hidden_units = units;
      Result candidate = solve_checked<Hidden>(problem, base);
      units = candidate.networks().front().hidden_units();
      met = consider(std::move(candidate));
      if (met || Hidden != Eigen::Dynamic || units >= options.max_hidden_units) break;
      units = std::min(options.max_hidden_units, units + (units + 1) / 2);
    }
  }
  Result out = std::move(best.front());
  const std::string bound = scientific(out.error_bound);
  const std::string wanted = scientific(tolerance);
  const std::string pieces = std::to_string(out.segments()) + (out.segments() == 1 ? " segment" : " segments") + " of " +
                             std::to_string(out.networks().front().hidden_units()) + " units";
  if (met) {
    out.report.status = MinimizerStatus::converged_tolerance;
    out.report.message = "Converged: the error bound " + bound + " meets the tolerance " + wanted + " with " + pieces +
                         " (" + std::to_string(tries) + (tries == 1 ? " try)." : " tries).");
  } else {
    const std::string fit = out.converged() ? std::string() : " The fit did not converge: " + out.report.message;
    out.report.status = MinimizerStatus::tolerance_not_met;
    out.report.message = "Stopped: the error bound " + bound + " is above the tolerance " + wanted + " with " + pieces +
                         ", the best of " + std::to_string(tries) + (tries == 1 ? " try" : " tries") +
                         " (the limits reached, or more segments or units no longer lowered the bound)." + fit;
  }
  return out;
}

}  // namespace detail
}  // namespace trialode
