// SPDX-License-Identifier: MIT
// The check every problem makes of its interval [t0, t1] beyond finite ends in order: a length that the scalar
// type holds, as a finite and normal number, and that spans enough floating-point numbers for distinct times.
#pragma once

#include <cmath>
#include <limits>
#include <locale>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace trialode {
namespace detail {

/// The fewest spacings of floating-point numbers at \f$\max(|t_0|, |t_1|)\f$ that \f$t_1 - t_0\f$ must span:
/// 16, so that the interval holds at least 17 distinct times. (In float, \f$[10^6, 10^6 + 1]\f$ spans 16: it
/// passes, and 41 equally spaced points are then refused by `collocation_points`, which names their number.)
constexpr int fewest_interval_spacings = 16;

/// The name of a floating-point type, for messages: "float", "double" or "long double".
template <typename Scalar>
const char* type_name() {
  if (std::is_same<Scalar, float>::value) return "float";
  if (std::is_same<Scalar, double>::value) return "double";
  if (std::is_same<Scalar, long double>::value) return "long double";
  return "its scalar type";
}

/// `value` printed in the C locale with the digits that tell it apart from its neighbours in `Scalar`, for
/// messages about values a few spacings apart.
template <typename Scalar>
std::string number_text(Scalar value) {
  std::ostringstream out;
  out.imbue(std::locale::classic());
  out.precision(std::numeric_limits<Scalar>::max_digits10);
  out << static_cast<long double>(value);
  return out.str();
}

/// Throws `std::invalid_argument`, naming `problem`, unless \f$t_1 - t_0\f$ of finite \f$t_0 < t_1\f$ is finite
/// (\f$[-10^{308}, 10^{308}]\f$ is not, in double), a normal number (not below
/// `std::numeric_limits<Scalar>::min()`) and at least `fewest_interval_spacings` spacings of floating-point
/// numbers at \f$\max(|t_0|, |t_1|)\f$: every point, weight and step of a solve is computed from it.
template <typename Scalar>
void check_interval_length(const char* problem, Scalar t0, Scalar t1) {
  using std::abs;
  using std::isfinite;
  using std::nextafter;
  const Scalar length = t1 - t0;
  const auto ends = [&] { return " (t0 = " + number_text(t0) + ", t1 = " + number_text(t1) + ")"; };  // for messages only
  if (!isfinite(length)) {
    throw std::invalid_argument(std::string(problem) + ": t1 - t0 is not finite" + ends() +
                                ": the interval is longer than the largest " + type_name<Scalar>());
  }
  if (length < std::numeric_limits<Scalar>::min()) {
    throw std::invalid_argument(std::string(problem) + ": t1 - t0 = " + number_text(length) +
                                " is not a normal number" + ends() + ": the interval is too short to compute with");
  }
  const Scalar largest = abs(t0) > abs(t1) ? abs(t0) : abs(t1);
  const Scalar spacing = largest - nextafter(largest, Scalar(0));  // below largest: finite at the largest number
  if (length < Scalar(fewest_interval_spacings) * spacing) {
    throw std::invalid_argument(std::string(problem) + ": t1 - t0 = " + number_text(length) + " spans fewer than " +
                                std::to_string(fewest_interval_spacings) + " spacings of " + type_name<Scalar>() + " at max(|t0|, |t1|) (" +
                                number_text(spacing) + " each)" + ends() + ": the interval holds too few distinct times");
  }
}

}  // namespace detail
}  // namespace trialode
