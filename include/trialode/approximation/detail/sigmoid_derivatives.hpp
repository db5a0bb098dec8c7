// SPDX-License-Identifier: MIT
// The logistic sigmoid's derivatives of every order up to 9 at one point, accurate to the last digits in its
// tails too, and the integral of a unit s(w x + u) over an interval with its derivatives by w and u: what
// equations up to fourth order and conditions on derivatives and integrals need of a network.
#pragma once

#include <array>
#include <cmath>

namespace trialode {
namespace detail {

/// The highest derivative `sigmoid_derivatives` gives.
constexpr int highest_sigmoid_derivative = 10;

/// \f$s^{(0)}, \dots, s^{(K)}\f$ of the logistic sigmoid \f$s(z) = 1/(1 + e^{-z})\f$ at \f$z\f$, for
/// \f$K \le 10\f$. Every derivative is written in \f$q = s(1 - s) = s'\f$ and \f$p = 1 - 2s\f$, which obey
/// \f$q' = q p\f$ and \f$p' = -2 q\f$ (so \f$p^2 = 1 - 4q\f$): odd orders are \f$q\f$ times a polynomial in
/// \f$q\f$, even ones \f$q p\f$ times one,
/// \f[ s'' = q p,\ s''' = q (1 - 6q),\ s^{(4)} = q p (1 - 12 q),\ s^{(5)} = q (1 - 30 q + 120 q^2),\ \dots \f]
/// \f$q = e/(1 + e)^2\f$ and \f$p = \mp(1 - e)/(1 + e)\f$ come from \f$e = e^{-|z|}\f$, never from
/// \f$1 - s\f$, so that every derivative keeps its relative accuracy where it is as small as
/// \f$e^{-|z|}\f$ (and \f$p\f$, near 0, its absolute accuracy); no argument overflows, and an infinite
/// \f$z\f$ gives the limits (1 or 0, then zeros).
template <int K, typename Scalar>
std::array<Scalar, K + 1> sigmoid_derivatives(Scalar z) {
  static_assert(K >= 0 && K <= highest_sigmoid_derivative, "sigmoid_derivatives: K lies in [0, 10]");
  using std::abs;
  using std::exp;
  const Scalar e = exp(-abs(z));  // in (0, 1]
  const Scalar m = e - Scalar(1);
  const Scalar inverse = Scalar(1) / (Scalar(1) + e);  // one division serves s, q and p
  std::array<Scalar, K + 1> d{};
  d[0] = z >= Scalar(0) ? inverse : e * inverse;
  if constexpr (K >= 1) {
    const Scalar q = e * inverse * inverse;
    const Scalar p = (z >= Scalar(0) ? m : -m) * inverse;  // 1 - 2s = -(1 - e)/(1 + e) for z >= 0
    const Scalar qp = q * p;
    d[1] = q;
    if constexpr (K >= 2) d[2] = qp;
    if constexpr (K >= 3) d[3] = q * (Scalar(1) - Scalar(6) * q);
    if constexpr (K >= 4) d[4] = qp * (Scalar(1) - Scalar(12) * q);
    if constexpr (K >= 5) d[5] = q * (Scalar(1) + q * (Scalar(-30) + Scalar(120) * q));
    if constexpr (K >= 6) d[6] = qp * (Scalar(1) + q * (Scalar(-60) + Scalar(360) * q));
    if constexpr (K >= 7) d[7] = q * (Scalar(1) + q * (Scalar(-126) + q * (Scalar(1680) - Scalar(5040) * q)));
    if constexpr (K >= 8) d[8] = qp * (Scalar(1) + q * (Scalar(-252) + q * (Scalar(5040) - Scalar(20160) * q)));
    if constexpr (K >= 9) {
      d[9] = q * (Scalar(1) + q * (Scalar(-510) + q * (Scalar(17640) + q * (Scalar(-151200) + Scalar(362880) * q))));
    }
    if constexpr (K >= 10) {
      d[10] = qp * (Scalar(1) + q * (Scalar(-1020) + q * (Scalar(52920) + q * (Scalar(-604800) + Scalar(1814400) * q))));
    }
  }
  return d;
}

/// \f$\ln(1 + e^z)\f$, the antiderivative of the sigmoid, without overflow.
template <typename Scalar>
Scalar softplus(Scalar z) {
  using std::abs;
  using std::exp;
  using std::log1p;
  return (z > Scalar(0) ? z : Scalar(0)) + log1p(exp(-abs(z)));
}

/// The integral of one unit over an interval and its derivatives by the unit's weights.
template <typename Scalar>
struct UnitIntegral {
  Scalar value = Scalar(0);  ///< \f$I = \int_a^b s(w x + u)\, dx\f$
  Scalar dw = Scalar(0);     ///< \f$\partial I/\partial w = \int_a^b x\, s'(w x + u)\, dx\f$
  Scalar du = Scalar(0);     ///< \f$\partial I/\partial u = \int_a^b s'(w x + u)\, dx\f$
};

/// \f$\int_a^b s(w x + u)\, dx\f$ and its derivatives by \f$w\f$ and \f$u\f$, for \f$a < b\f$. With
/// \f$h = w (b - a)\f$, \f$\mu = w (a + b)/2 + u\f$ the unit's argument at the midpoint and \f$d = (b - a)/2\f$:
/// where \f$|h| > 1/4\f$ the closed forms
/// \f$I = (\ln(1 + e^{z_b}) - \ln(1 + e^{z_a}))/w\f$, \f$I_u = (s(z_b) - s(z_a))/w\f$ and
/// \f$I_w = \frac{a + b}{2} I_u + (d\, (s(z_b) + s(z_a)) - I)/w\f$; where \f$|h| \le 1/4\f$, whose closed
/// forms would cancel, the Taylor series about the midpoint,
/// \f[ I = (b - a) \sum_{j=0}^{4} \frac{h^{2j}\, s^{(2j)}(\mu)}{4^j (2j + 1)!}, \quad
///     I_u = (b - a) \sum_{j=0}^{4} \frac{h^{2j}\, s^{(2j+1)}(\mu)}{4^j (2j + 1)!}, \quad
///     I_w = \frac{a + b}{2} I_u + 2 d^2 \sum_{j=0}^{4} \frac{h^{2j+1}\, s^{(2j+2)}(\mu)}{2^{2j+1} (2j + 3)\, (2j + 1)!}, \f]
/// whose first omitted terms are below \f$10^{-15}\f$ of the sums in double (the derivatives of \f$s\f$ of
/// order \f$n\f$ are below \f$n!/\pi^{n+1}\f$ times a small constant).
template <typename Scalar>
UnitIntegral<Scalar> unit_integral(Scalar w, Scalar u, Scalar a, Scalar b) {
  using std::abs;
  const Scalar width = b - a;
  const Scalar h = w * width;
  const Scalar centre = Scalar(0.5) * (a + b);
  UnitIntegral<Scalar> out;
  if (abs(h) > Scalar(0.25)) {
    const Scalar za = w * a + u;
    const Scalar zb = w * b + u;
    const Scalar sa = sigmoid_derivatives<0>(za)[0];
    const Scalar sb = sigmoid_derivatives<0>(zb)[0];
    out.value = (softplus(zb) - softplus(za)) / w;
    out.du = (sb - sa) / w;
    out.dw = centre * out.du + (Scalar(0.5) * width * (sb + sa) - out.value) / w;
    return out;
  }
  const std::array<Scalar, 11> s = sigmoid_derivatives<10>(w * centre + u);
  const Scalar h2 = h * h;
  // 1/(4^j (2j + 1)!) for j = 0..4 and 2/(2^{2j+1} (2j + 3) (2j + 1)!) for j = 0..3
  const Scalar c0 = Scalar(1), c1 = Scalar(1) / Scalar(24), c2 = Scalar(1) / Scalar(1920),
               c3 = Scalar(1) / Scalar(322560), c4 = Scalar(1) / Scalar(92897280);
  out.value = width * (s[0] * c0 + h2 * (s[2] * c1 + h2 * (s[4] * c2 + h2 * (s[6] * c3 + h2 * s[8] * c4))));
  out.du = width * (s[1] * c0 + h2 * (s[3] * c1 + h2 * (s[5] * c2 + h2 * (s[7] * c3 + h2 * s[9] * c4))));
  const Scalar d = Scalar(0.5) * width;
  const Scalar e0 = Scalar(1) / Scalar(3), e1 = Scalar(1) / Scalar(120), e2 = Scalar(1) / Scalar(13440),
               e3 = Scalar(1) / Scalar(2903040), e4 = Scalar(1) / Scalar(1021870080);
  out.dw = centre * out.du +
           d * d * h * (s[2] * e0 + h2 * (s[4] * e1 + h2 * (s[6] * e2 + h2 * (s[8] * e3 + h2 * s[10] * e4))));
  return out;
}

}  // namespace detail
}  // namespace trialode
