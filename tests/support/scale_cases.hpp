// SPDX-License-Identifier: MIT
// The cases of the scale suite (issue 9), shared by the unit test [scale] and the benchmark scale_suite: one
// equation on a shifted, a stretched and a squeezed interval, with solutions of size 1e-100, 1 and 1e100.
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

namespace trialode_test {

/// One run of the scale suite: the interval \f$[t_0, t_0 + L]\f$ and the size of the solution, \f$y_0\f$. The
/// equations take the rate \f$k = 5/L\f$, so that every case is the plain one with the time scaled.
struct ScaleCase {
  double t0;
  double length;
  double y0;
  /// The rate \f$k = 5/L\f$.
  double rate() const { return 5.0 / length; }
};

/// [0, 5], [1e6, 1e6 + 5], [-5, 0] and [0, 5e-6], each with y0 = 1, 1e-100 and 1e100; the first case is the
/// plain one.
inline std::vector<ScaleCase> scale_cases() {
  std::vector<ScaleCase> cases;
  const double intervals[][2] = {{0.0, 5.0}, {1e6, 5.0}, {-5.0, 5.0}, {0.0, 5e-6}};
  for (const auto& interval : intervals) {
    for (const double y0 : {1.0, 1e-100, 1e100}) cases.push_back({interval[0], interval[1], y0});
  }
  return cases;
}

/// The largest |y - exact| / |y0| on 2001 equally spaced points of the case's interval; `error_at(t)` is
/// |y(t) - exact(t)|.
template <typename ErrorAt>
double relative_error(const ScaleCase& c, ErrorAt error_at) {
  double worst = 0.0;
  for (int i = 0; i <= 2000; ++i) {
    const double t = std::min(c.t0 + c.length * i / 2000.0, c.t0 + c.length);
    worst = std::max(worst, error_at(t) / std::abs(c.y0));
  }
  return worst;
}

}  // namespace trialode_test
