// SPDX-License-Identifier: MIT
// libFuzzer target for the solution loader: every input is loaded as each solution type. Loading may only
// succeed or throw SolutionFileError; a solution that loads must be finite at points of its interval, and
// save -> load must give back the same bits and save the same text again. Anything else aborts.
#include <trialode/trialode.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

namespace {

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "fuzz_load: %s\n", what);
  std::abort();
}

// Equal finite values with the same sign have the same bits (one encoding per finite IEEE value).
template <typename Scalar>
bool same_bits(Scalar a, Scalar b) {
  return a == b && std::signbit(a) == std::signbit(b);
}

template <typename Scalar>
std::enable_if_t<std::is_floating_point<Scalar>::value, bool> all_finite(Scalar y) {
  return std::isfinite(y);
}
template <typename Derived>
bool all_finite(const Eigen::DenseBase<Derived>& y) {
  return y.allFinite();
}

template <typename Solution>
std::string saved(const Solution& solution) {
  std::ostringstream out;
  trialode::save(solution, out);
  return out.str();
}

// y, y' and y'' at the ends, at points between them and on an equally spaced grid (the array forms evaluate
// runs of equally spaced points by a recurrence of their own).
template <typename Solution>
void check_finite(const Solution& solution) {
  using Scalar = decltype(solution.t0());
  const Scalar t0 = solution.t0();
  const Scalar t1 = solution.t1();
  const auto inside = [t0, t1](Scalar t) { return std::min(t1, std::max(t0, t)); };
  for (const double f : {0.0, 1.0 / 3.0, 0.5, 0.875, 1.0}) {
    const auto y = solution.evaluate(inside(t0 + (t1 - t0) * static_cast<Scalar>(f)));
    if (!all_finite(y.y) || !all_finite(y.dy) || !all_finite(y.d2y)) fail("a loaded solution is not finite at a point");
  }
  Eigen::Array<Scalar, Eigen::Dynamic, 1> grid(70);
  for (Eigen::Index i = 0; i < grid.size(); ++i) {
    grid[i] = inside(t0 + (t1 - t0) * (static_cast<Scalar>(i) / static_cast<Scalar>(grid.size() - 1)));
  }
  if (!all_finite(solution.value(grid)) || !all_finite(solution.derivative(grid)) ||
      !all_finite(solution.second_derivative(grid))) {
    fail("a loaded solution is not finite on a grid");
  }
}

template <typename Solution>
void check_round_trip(const Solution& solution) {
  const std::string text = saved(solution);
  std::istringstream in(text);
  const Solution again = trialode::load<Solution>(in);  // any exception here aborts
  bool same = same_bits(again.t0(), solution.t0()) && same_bits(again.t1(), solution.t1()) &&
              again.networks().size() == solution.networks().size();
  using Format = trialode::detail::TrialFormat<typename Solution::Trial>;
  const auto constants = Format::constants(solution.trial());
  const auto constants_again = Format::constants(again.trial());
  same = same && constants.size() == constants_again.size();
  for (std::size_t j = 0; same && j < constants.size(); ++j) same = same_bits(constants[j], constants_again[j]);
  for (std::size_t k = 0; same && k < solution.networks().size(); ++k) {
    const auto& p = solution.networks()[k].parameters();
    const auto& q = again.networks()[k].parameters();
    same = p.size() == q.size() && same_bits(solution.networks()[k].origin(), again.networks()[k].origin());
    for (Eigen::Index j = 0; same && j < p.size(); ++j) same = same_bits(p[j], q[j]);
  }
  if (!same) fail("save -> load changed a number");
  if (saved(again) != text) fail("save -> load -> save changed the text");
}

template <typename Solution>
void fuzz(const std::string& text) {
  std::unique_ptr<Solution> solution;
  try {
    std::istringstream in(text);
    solution = std::make_unique<Solution>(trialode::load<Solution>(in));
  } catch (const trialode::SolutionFileError&) {
    return;  // refused, as it should be for most inputs
  }
  check_finite(*solution);
  check_round_trip(*solution);
}

template <typename Scalar>
void fuzz_scalar_type(const std::string& text) {
  fuzz<trialode::Solution<Scalar>>(text);
  fuzz<trialode::Solution<Scalar, trialode::SecondOrderTrial<Scalar>>>(text);
  fuzz<trialode::Solution<Scalar, trialode::DirichletTrial<Scalar>>>(text);
  fuzz<trialode::SystemSolution<Scalar>>(text);
  fuzz<trialode::Solution<Scalar, trialode::ConstrainedTrial<Scalar>>>(text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  fuzz_scalar_type<float>(text);
  fuzz_scalar_type<double>(text);
  fuzz_scalar_type<long double>(text);
  // Sizes fixed at compile time.
  fuzz<trialode::Solution<double, trialode::FirstOrderTrial<double>, 2>>(text);
  fuzz<trialode::SystemSolution<double, 2, 2>>(text);
  return 0;
}
