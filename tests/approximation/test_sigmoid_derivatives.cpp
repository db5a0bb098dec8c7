// SPDX-License-Identifier: MIT
// The sigmoid's derivatives up to order 9 against the Leibniz recurrence in long double, relative in the tails,
// and the integral of a unit with its derivatives by w and u against long-double Gauss-Legendre quadrature and
// against central differences, in both of unit_integral's regimes (Taylor series for |w (b - a)| <= 1/4,
// closed forms above).
#include <catch2/catch.hpp>

#include <trialode/approximation/detail/sigmoid_derivatives.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <type_traits>
#include <vector>

#include "support/test_support.hpp"

namespace {

constexpr int highest = trialode::detail::highest_sigmoid_derivative;

/// s(z) in long double, from e^{-|z|} so that both tails keep their relative accuracy.
long double reference_sigmoid(long double z) {
  const long double e = std::exp(-std::fabs(z));
  return z >= 0 ? 1.0L / (1.0L + e) : e / (1.0L + e);
}

/// s^(0..9)(z) in long double by the Leibniz recurrence s^(n+1) = s^(n) - sum_j C(n, j) s^(j) s^(n-j) (from
/// s' = s - s^2), computed at -|z|, where s is small and the recurrence does not cancel, and carried to z > 0
/// by s(z) = 1 - s(-z): s^(n)(z) = (-1)^(n+1) s^(n)(-z) for n >= 1.
std::array<long double, highest + 1> reference_derivatives(long double z) {
  std::array<long double, highest + 1> d{};
  d[0] = reference_sigmoid(-std::fabs(z));
  for (int n = 0; n < highest; ++n) {
    long double sum = 0;
    long double binomial = 1;  // C(n, j)
    for (int j = 0; j <= n; ++j) {
      sum += binomial * d[static_cast<std::size_t>(j)] * d[static_cast<std::size_t>(n - j)];
      binomial = binomial * static_cast<long double>(n - j) / static_cast<long double>(j + 1);
    }
    d[static_cast<std::size_t>(n + 1)] = d[static_cast<std::size_t>(n)] - sum;
  }
  if (z > 0) {
    d[0] = 1.0L - d[0];
    for (int n = 2; n <= highest; n += 2) d[static_cast<std::size_t>(n)] = -d[static_cast<std::size_t>(n)];
  }
  return d;
}

/// The integral over [a, b] of s(w x + u), x s'(w x + u) and s'(w x + u), and of their absolute values, by
/// composite 5-point Gauss-Legendre in long double with panels over which w x + u changes by at most 0.05.
struct ReferenceIntegral {
  long double value = 0, dw = 0, du = 0;
  long double value_size = 0, dw_size = 0, du_size = 0;  // the integrals of the absolute values
};
ReferenceIntegral reference_integral(long double w, long double u, long double a, long double b) {
  static const long double node[5] = {0.0L, -0.5384693101056830910363144207002088L, 0.5384693101056830910363144207002088L,
                                      -0.9061798459386639927976268782993929L, 0.9061798459386639927976268782993929L};
  static const long double weight[5] = {0.5688888888888888888888888888888889L, 0.4786286704993664680412915148356382L,
                                        0.4786286704993664680412915148356382L, 0.2369268850561890875142640407582788L,
                                        0.2369268850561890875142640407582788L};
  const long double span = std::fabs(w) * (b - a);
  const long double panels = std::max(64.0L, std::ceil(span / 0.05L));
  const long double width = (b - a) / panels;
  ReferenceIntegral out;
  const long n = static_cast<long>(panels);
  for (long k = 0; k < n; ++k) {
    const long double centre = a + (static_cast<long double>(k) + 0.5L) * width;
    for (int j = 0; j < 5; ++j) {
      const long double x = centre + 0.5L * width * node[j];
      const long double z = w * x + u;
      const long double s = reference_sigmoid(z);
      const long double e = std::exp(-std::fabs(z));
      const long double ds = e / ((1.0L + e) * (1.0L + e));
      const long double g = 0.5L * width * weight[j];
      out.value += g * s;
      out.du += g * ds;
      out.dw += g * x * ds;
      out.value_size += g * s;
      out.du_size += g * ds;
      out.dw_size += g * std::fabs(x) * ds;
    }
  }
  return out;
}

/// One case of unit_integral: w, u and the interval [a, b].
struct IntegralCase {
  double w, u, a, b;
};

/// The cases: both regimes (|h| = |w (b - a)| just below and above 1/4, and exactly 1/4), tiny w and w = 0,
/// large |w| with the step inside the interval, shifted intervals, units a little way into a tail. (Units deep
/// in a tail, where s' falls below eps, are left out: sigmoid_derivatives keeps only its absolute accuracy there.)
std::vector<IntegralCase> integral_cases() {
  return {
      {0.0, 0.3, 0.0, 1.0},          {0.0, -2.0, -1.0, 3.0},       {1e-300, 0.5, 0.0, 1.0},
      {-1e-12, 1.0, 0.0, 2.0},       {1e-6, -0.7, -1.0, 1.0},      {0.249, 0.2, 0.0, 1.0},
      {0.25, 0.2, 0.0, 1.0},         {0.251, 0.2, 0.0, 1.0},       {-0.1249, 1.5, 0.0, 2.0},
      {-0.1251, 1.5, 0.0, 2.0},      {0.2499999, -3.0, 2.0, 3.0},  {0.2500001, -3.0, 2.0, 3.0},
      {0.05, -50.05, 1000.0, 1002.0}, {0.3, -300.15, 1000.0, 1001.0}, {3.0, -1.0, 0.0, 1.0},
      {-7.5, 2.0, -1.0, 1.0},        {40.0, -20.0, 0.0, 1.0},      {-200.0, 100.0, 0.0, 1.0},
      {1e4, -5000.0, 0.0, 1.0},      {0.125, 0.0, -1.0, 1.0},      {2.0, -8.0, 0.0, 1.0},
      {0.1, 6.0, 0.0, 1.0},
  };
}

}  // namespace

TEMPLATE_TEST_CASE("sigmoid_derivatives agrees with the Leibniz recurrence in long double on [-40, 40]",
                   "[approximation]", float, double) {
  using Scalar = TestType;
  // The error of s^(n) over the largest |s^(n)| on the grid (every derivative but s has zeros near z = 0, so
  // the accuracy there is measured against the order's scale). Measured: 0.9 to 38 eps in double and 0.9 to
  // 32 eps in float, growing with the order (the polynomials in q of the high orders have large coefficients).
  const Scalar tol = Scalar(128) * std::numeric_limits<Scalar>::epsilon();
  std::array<long double, highest + 1> largest{};
  std::vector<Scalar> grid;
  for (int i = -4000; i <= 4000; ++i) grid.push_back(static_cast<Scalar>(i) / Scalar(100) + Scalar(1) / Scalar(1024));
  for (Scalar z : {Scalar(0), Scalar(-0.0), Scalar(1e-30), Scalar(-1e-30), Scalar(40), Scalar(-40)}) grid.push_back(z);
  for (Scalar z : grid) {
    const auto reference = reference_derivatives(static_cast<long double>(z));
    for (std::size_t n = 0; n <= highest; ++n) largest[n] = std::max(largest[n], std::fabs(reference[n]));
  }
  for (std::size_t n = 0; n <= highest; ++n) {
    long double worst = 0;
    Scalar worst_z = 0;
    for (Scalar z : grid) {
      const std::array<Scalar, highest + 1> d = trialode::detail::sigmoid_derivatives<highest>(z);
      const long double error = std::fabs(static_cast<long double>(d[n]) - reference_derivatives(static_cast<long double>(z))[n]);
      if (!(error <= worst)) {
        worst = error;
        worst_z = z;
      }
    }
    CAPTURE(n, worst_z, worst, largest[n], worst / largest[n] / std::numeric_limits<Scalar>::epsilon());
    CHECK(worst <= tol * largest[n]);
  }
}

TEMPLATE_TEST_CASE("sigmoid_derivatives keeps its relative accuracy in the tails", "[approximation]", float, double) {
  using Scalar = TestType;
  // For |z| >= 8 no derivative has a zero: relative error against the long-double recurrence, and e^-80 = 1.8e-35
  // (a normal float) not rounded to 0.
  const long double tol = 256.0L * std::numeric_limits<Scalar>::epsilon();
  for (int i = 800; i <= 4000; ++i) {
    for (Scalar z : {static_cast<Scalar>(i) / Scalar(100), -static_cast<Scalar>(i) / Scalar(100)}) {
      const auto d = trialode::detail::sigmoid_derivatives<highest>(z);
      const auto reference = reference_derivatives(static_cast<long double>(z));
      for (std::size_t n = 1; n <= highest; ++n) {
        CAPTURE(z, n);
        CHECK(std::fabs(d[n] - reference[n]) <= tol * std::fabs(reference[n]));
      }
      if (z < 0) CHECK(std::fabs(d[0] - reference[0]) <= tol * reference[0]);
    }
  }
  const auto far = trialode::detail::sigmoid_derivatives<highest>(Scalar(-80));  // e^-80 = 1.8e-35, a normal float
  for (std::size_t n = 0; n <= highest; ++n) CHECK(static_cast<long double>(far[n]) == Approx(std::exp(-80.0L)).epsilon(1e-5));
}

TEMPLATE_TEST_CASE("sigmoid_derivatives of a lower order are the first entries of a higher one",
                   "[approximation]", float, double) {
  using Scalar = TestType;
  for (Scalar z : {Scalar(-30), Scalar(-2.5), Scalar(0), Scalar(0.75), Scalar(17)}) {
    CAPTURE(z);
    const auto all = trialode::detail::sigmoid_derivatives<9>(z);
    const auto four = trialode::detail::sigmoid_derivatives<4>(z);
    const auto zero = trialode::detail::sigmoid_derivatives<0>(z);
    CHECK(zero[0] == all[0]);
    for (std::size_t n = 0; n < four.size(); ++n) CHECK(four[n] == all[n]);
  }
}

TEMPLATE_TEST_CASE("sigmoid_derivatives at infinite and huge arguments gives the limits, never NaN",
                   "[approximation]", float, double) {
  using Scalar = TestType;
  const Scalar inf = std::numeric_limits<Scalar>::infinity();
  const Scalar huge = std::numeric_limits<Scalar>::max();
  for (Scalar z : {inf, huge, Scalar(1000)}) {
    CAPTURE(z);
    const auto up = trialode::detail::sigmoid_derivatives<9>(z);
    const auto down = trialode::detail::sigmoid_derivatives<9>(-z);
    CHECK(up[0] == Scalar(1));
    CHECK(down[0] == Scalar(0));
    for (std::size_t n = 1; n < up.size(); ++n) {
      CAPTURE(n);
      CHECK(up[n] == Scalar(0));
      CHECK(down[n] == Scalar(0));
    }
  }
}

TEMPLATE_TEST_CASE("unit_integral and its derivatives by w and u agree with long-double quadrature",
                   "[approximation][gradient]", float, double) {
  using Scalar = TestType;
  // The error in units of eps (1 + |w| (|a| + |b|) + |u|) (the rounding of z = w x + u) times the integral of the
  // integrand's absolute value. Measured, largest over the cases (value, du, dw): 2.6, 29, 15 in double;
  // 0.8, 12, 14 in float. dw by the Taylor series is left out for 1/8 < |h| <= 1/4: the series stops one term
  // short, an error that grows as h^9 to 700 eps (1.6e-13 relative) at |h| = 1/4 in double.
  const long double eps = std::numeric_limits<Scalar>::epsilon();
  std::array<long double, 3> worst{};
  for (const IntegralCase& c : integral_cases()) {
    const Scalar w = static_cast<Scalar>(c.w), u = static_cast<Scalar>(c.u), a = static_cast<Scalar>(c.a),
                 b = static_cast<Scalar>(c.b);
    if (!(b > a)) continue;  // an interval that float cannot tell from a point
    CAPTURE(w, u, a, b, w * (b - a));
    const auto got = trialode::detail::unit_integral(w, u, a, b);
    const ReferenceIntegral exact = reference_integral(w, u, a, b);
    const long double condition = 1.0L + std::fabs(static_cast<long double>(w)) * (std::fabs(a) + std::fabs(b)) +
                                  std::fabs(static_cast<long double>(u));
    CAPTURE(got.value, exact.value, got.du, exact.du, got.dw, exact.dw);
    const std::array<long double, 3> ratio{std::fabs(got.value - exact.value) / (eps * condition * exact.value_size),
                                           std::fabs(got.du - exact.du) / (eps * condition * exact.du_size),
                                           std::fabs(got.dw - exact.dw) / (eps * condition * exact.dw_size)};
    CHECK(ratio[0] <= 64);
    CHECK(ratio[1] <= 64);
    CHECK(ratio[2] <= 64);
    for (std::size_t j = 0; j < 3; ++j) worst[j] = std::max(worst[j], ratio[j]);
  }
  CAPTURE(worst[0], worst[1], worst[2]);
  CHECK(worst[0] <= 64);  // repeated so that a run with -s prints the measured values
}

TEMPLATE_TEST_CASE("unit_integral's derivatives agree with central differences of its value, across the regimes",
                   "[approximation][gradient]", float, double) {
  using Scalar = TestType;
  const Scalar tol = trialode_test::difference_tolerance<Scalar>();
  for (const IntegralCase& c : integral_cases()) {
    const Scalar w = static_cast<Scalar>(c.w), u = static_cast<Scalar>(c.u), a = static_cast<Scalar>(c.a),
                 b = static_cast<Scalar>(c.b);
    if (!(b > a) || std::fabs(c.u) > 100 || std::fabs(c.w) > 1000) continue;  // steps in w too coarse for z's range
    CAPTURE(w, u, a, b, w * (b - a));
    const auto got = trialode::detail::unit_integral(w, u, a, b);
    // w multiplies x, up to 1000 here: its step is relative to 1/max(|a|, |b|) as well as to w.
    const Scalar reach = std::max({Scalar(1), std::fabs(a), std::fabs(b)});
    const Scalar step = std::cbrt(std::numeric_limits<Scalar>::epsilon()) * std::max(std::fabs(w), Scalar(1) / reach);
    const Scalar by_w = (trialode::detail::unit_integral(w + step, u, a, b).value -
                         trialode::detail::unit_integral(w - step, u, a, b).value) / ((w + step) - (w - step));
    const Scalar by_u = trialode_test::central_difference(
        [&](Scalar x) { return trialode::detail::unit_integral(w, x, a, b).value; }, u);
    const ReferenceIntegral size = reference_integral(w, u, a, b);
    CHECK(std::fabs(got.dw - by_w) <= tol * static_cast<Scalar>(size.dw_size));
    CHECK(std::fabs(got.du - by_u) <= tol * static_cast<Scalar>(size.du_size));
  }
}
